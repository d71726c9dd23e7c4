from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoRefused, load_demo


class Command(BaseCommand):
    help = "Load the seed strategies and the demo content: accounts, hearings, marked demo responses (demo mode only)."

    def handle(self, *args, **options):
        try:
            done = load_demo()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from refused
        for line in done:
            self.stdout.write(line)
        accounts = ", ".join(email for email, _name, _superuser, _role in DEMO_ACCOUNTS)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ({DEMO_PASSWORD}): {accounts}"))
