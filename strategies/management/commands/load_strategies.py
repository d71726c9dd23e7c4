from pathlib import Path

from django.core.management.base import BaseCommand

from strategies.services import SEED_FILE, load_seed_file


class Command(BaseCommand):
    help = (
        "Load the municipalities and strategies of the seed file (idempotent: a second run changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=SEED_FILE, help="YAML file to load (default: the seed file)"
        )

    def handle(self, *args, file: Path, verbosity: int, **options):
        report = load_seed_file(path=file)
        if verbosity > 1:
            for line in report.created:
                self.stdout.write(f"created {line}")
            for line in report.changed:
                self.stdout.write(f"changed {line}")
        self.stdout.write(
            self.style.SUCCESS(f"{file.name}: {len(report.created)} created, {len(report.changed)} changed")
        )
