"""manage.py analyse_hearings [hearing id …]: the campaigns and similar responses of hearings computed
from nothing, here and now (for hearings whose responses came in before the analysis existed, e.g. after
the deploy that brought it). Without ids: every hearing that has a response without a signature."""

from django.core.management.base import BaseCommand

from analysis import campaigns
from hearings.models import Hearing


class Command(BaseCommand):
    help = "Compute the campaigns and similar responses of hearings (all that need it, or the ids given)."

    def add_arguments(self, parser):
        parser.add_argument("hearing_ids", nargs="*", type=int)

    def handle(self, *args, hearing_ids, **options):
        hearings = Hearing.objects.order_by("pk")
        if hearing_ids:
            hearings = hearings.filter(pk__in=hearing_ids)
        for hearing in hearings:
            if hearing_ids or campaigns.unanalysed_count(hearing):
                campaigns.analyse_hearing(hearing_id=hearing.pk)
                self.stdout.write(f"{hearing.pk}: {hearing.title}")
