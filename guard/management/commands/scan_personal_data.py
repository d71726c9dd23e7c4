"""manage.py scan_personal_data [--hearing ID …] [--published-only] [--extract] [--language da|en]: the
personal-data guard run on what is already stored (issue 15, item 5), reported per hearing.

Scans every response's published fields and every read attachment's text (guard.report.scan_existing),
saves each response's Review (what the moderation queue's filter "Personoplysninger" lists), and prints
per hearing what it found, ending with what a moderator should do. Changes nothing a citizen sees: no
status, no text, no publication. ``--extract`` first asks for the attachments whose text was never read
to be read (the task guard.tasks.extract_attachment_text, by a worker; in the demo at once).
"""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from guard import finders, report
from guard.models import kind_label
from hearings.models import Hearing, Response, ResponseAttachment
from portal.queue import enqueue_on_commit

LISTED = 20  # responses with public attachments with findings listed by their page, per hearing


def _queue_link(hearing_id: int | None = None) -> str:
    """The path of the moderation queue's tab "Personoplysninger" (of one hearing)."""
    hearing = f"&hearing={hearing_id}" if hearing_id is not None else ""
    return f"{reverse('moderation:queue')}?tab={report.QUEUE_TAB}{hearing}"


def _kinds(kinds: dict[str, int]) -> str:
    return ", ".join(f"{kind_label(kind)} {kinds[kind]}" for kind in finders.KINDS if kinds.get(kind))


def _statuses(by_status: dict[str, int]) -> str:
    return ", ".join(
        f"{label.lower()} {by_status[value]}"
        for value, label in Response.Status.choices
        if by_status.get(value)
    )


class Command(BaseCommand):
    help = (
        "Scan stored responses and attachments for personal data and report per hearing; saves each "
        "response's guard review and changes nothing public."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hearing", dest="hearing_ids", action="append", type=int, metavar="ID",
            help="only this hearing (may be given several times); default: every hearing",
        )  # fmt: skip
        parser.add_argument(
            "--published-only", action="store_true", help="only published responses and their attachments"
        )
        parser.add_argument(
            "--extract", action="store_true",
            help="first enqueue the reading of attachments whose text was never read",
        )  # fmt: skip
        parser.add_argument("--language", choices=["da", "en"], default="da", help="language of the report")

    def handle(self, *args, hearing_ids, published_only, extract, language, **options):
        with translation.override(language):
            if hearing_ids:
                found = set(Hearing.objects.filter(pk__in=hearing_ids).values_list("pk", flat=True))
                if missing := sorted(set(hearing_ids) - found):
                    raise CommandError(
                        _("Der er ingen høring med id %(ids)s.") % {"ids": ", ".join(map(str, missing))}
                    )
            enqueued = self.extract(hearing_ids, published_only) if extract else None
            reports = report.scan_existing(hearing_ids=hearing_ids, published_only=published_only)
            self.write_reports(reports, published_only=published_only, enqueued=enqueued)

    def extract(self, hearing_ids: list[int] | None, published_only: bool) -> int | None:
        """Enqueue the reading of every attachment whose text is still pending; the number enqueued, or
        None when this installation cannot read attachments."""
        try:
            from guard.tasks import extract_attachment_text  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            self.stderr.write(_("Denne udgave af portalen kan ikke læse bilag (guard.tasks mangler)."))
            return None
        pending = ResponseAttachment.objects.filter(text_status=ResponseAttachment.TextStatus.PENDING)
        if hearing_ids:
            pending = pending.filter(response__hearing_id__in=hearing_ids)
        if published_only:
            pending = pending.filter(response__status=Response.Status.PUBLISHED)
        count = 0
        for pk in pending.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000):
            enqueue_on_commit(extract_attachment_text, pk)
            count += 1
        return count

    def write_reports(self, reports: list[report.HearingReport], *, published_only: bool,
                      enqueued: int | None) -> None:  # fmt: skip
        out = self.stdout.write
        out(
            _("Kontrol af personoplysninger i gemte høringssvar og bilag (findernes udgave %(version)s)")
            % {"version": finders.VERSION}
        )
        if published_only:
            out(_("Kun offentliggjorte høringssvar og deres bilag."))
        for one in reports:
            out("")
            out(
                _("Høring %(id)s: %(title)s (%(municipality)s)")
                % {"id": one.hearing_id, "title": one.title, "municipality": one.municipality}
            )
            out("  " + _("Høringssvar kontrolleret: %(n)s") % {"n": one.responses})
            line = _("Med sikre fund: %(n)s") % {"n": one.high}
            if one.high:
                line += f" ({_statuses(one.high_by_status)})"
            out("  " + line)
            if one.cleared:
                out("    " + _("heraf allerede gennemset af en moderator: %(n)s") % {"n": one.cleared})
            if one.kinds:
                out("  " + _("Fund efter slags: %(kinds)s") % {"kinds": _kinds(one.kinds)})
            out("  " + _("Mulige fund (vises for personalet, holder intet tilbage): %(n)s") % {"n": one.low})
            out(
                "  "
                + _(
                    "Bilag læst og kontrolleret: %(n)s, med sikre fund: %(found)s, heraf offentlige nu: %(public)s"
                )
                % {
                    "n": one.attachments,
                    "found": one.attachments_with_findings,
                    "public": one.attachments_public_with_findings,
                }
            )
            if one.attachments_not_read:
                out("  " + _("Bilag ikke læst endnu: %(n)s") % {"n": one.attachments_not_read})
            if one.attachments_failed:
                out("  " + _("Bilag, der ikke kunne læses: %(n)s") % {"n": one.attachments_failed})
            if one.high:
                out("  " + _("Gennemgå dem her: %(link)s") % {"link": _queue_link(one.hearing_id)})
            if one.public_attachments_in:
                out("  " + _("Offentlige bilag med sikre fund, i høringssvar:"))
                for number, response_id in one.public_attachments_in[:LISTED]:
                    link = reverse("moderation:response", args=[response_id])
                    out("    " + _("nr. %(number)s: %(link)s") % {"number": number, "link": link})
                if len(one.public_attachments_in) > LISTED:
                    out("    " + _("og %(n)s flere") % {"n": len(one.public_attachments_in) - LISTED})
        self.write_advice(reports, enqueued=enqueued)

    def write_advice(self, reports: list[report.HearingReport], *, enqueued: int | None) -> None:
        out = self.stdout.write
        published = sum(r.published_to_check for r in reports)
        public_attachments = sum(r.attachments_public_with_findings for r in reports)
        others = sum(r.others_to_check for r in reports)
        attachments = sum(r.attachments_with_findings - r.attachments_public_with_findings for r in reports)
        not_read = sum(r.attachments_not_read for r in reports)
        failed = sum(r.attachments_failed for r in reports)
        out("")
        out(_("Det skal en moderator gøre:"))
        if published or public_attachments:
            out(
                "- "
                + _(
                    "Først det, der er offentligt nu, med sikre fund af personoplysninger: høringssvar "
                    "%(responses)s, bilag %(attachments)s. Udelad personoplysningerne med en begrundelse, "
                    "skjul svaret, eller hold bilaget tilbage."
                )
                % {"responses": published, "attachments": public_attachments}
            )
        if others or attachments:
            out(
                "- "
                + _(
                    "Ikke offentligt, med sikre fund: høringssvar %(responses)s, bilag %(attachments)s. Udelad "
                    "personoplysningerne, før de offentliggøres."
                )
                % {"responses": others, "attachments": attachments}
            )
        if published or others:
            out(
                "- "
                + _("Høringssvarene står i moderationskøens filter «Personoplysninger»: %(link)s")
                % {"link": _queue_link()}
            )
        if public_attachments:
            out(
                "- "
                + _(
                    "De offentlige bilag står ikke i filteret, før en moderator holder dem tilbage: åbn "
                    "høringssvarene, der er nævnt under hver høring."
                )
            )
        else:
            out(
                "- "
                + _(
                    "Intet, der ikke er gennemset: der er ingen nye sikre fund. Mulige fund vises på "
                    "høringssvarenes side for personalet."
                )
            )
        if enqueued is not None:
            out(
                "- "
                + _("Sat i kø til at blive læst: %(n)s bilag. Kør kommandoen igen, når de er læst.")
                % {"n": enqueued}
            )
        elif not_read:
            out(
                "- "
                + _(
                    "Bilag, der ikke er læst endnu: %(n)s. Deres tekst er ikke kontrolleret: kør kommandoen "
                    "med --extract for at få dem læst."
                )
                % {"n": not_read}
            )
        if failed:
            out(
                "- "
                + _(
                    "Bilag, der ikke kunne læses: %(n)s. Se hvorfor på høringssvarets side for personalet, og se "
                    "filen igennem selv."
                )
                % {"n": failed}
            )
        out("")
        out(
            _(
                "Intet er offentliggjort, skjult eller ændret for borgerne: kun kontrollen af hvert høringssvar "
                "er gemt."
            )
        )
