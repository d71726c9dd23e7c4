"""The guard's part of a response's staff page (moderation.panels.response_page): the findings highlighted
in the response's published fields, the redaction form, what was redacted and, for staff only, the text
before. And the redaction itself (a POST from that form). Thin: reads here, the change in guard.services.

Like every staff page: the login page for the anonymous, a 404 for anyone who is not staff of the
response's municipality; only its moderators redact (anyone else posting gets a 404 too). A refused
redaction shows the page again with what was typed and a Danish message, answered 400."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from accounts import rules
from hearings.models import Response
from moderation import panels
from moderation import selectors as staff_selectors
from moderation.views import RESPONSE_PAGE, StaffMixin, response_page_context
from portal.forms import add_service_errors

from . import scanning, services
from .forms import KIND_LABELS, RedactionForm
from .models import CONFIDENCE_LABELS, Redaction, RedactionReason

PANEL_ANCHOR = "#guard-heading"


def _segments(text: str, marks: list[tuple[int, int, dict]]) -> list[dict]:
    """``text`` cut into ``{"text": …}`` pieces, the marked ones with their mark's details."""
    pieces: list[dict] = []
    at = 0
    for start, end, details in sorted(marks, key=lambda m: m[0]):
        if start < at or end > len(text):
            continue
        if start > at:
            pieces.append({"text": text[at:start]})
        pieces.append({"text": text[start:end], "mark": True, **details})
        at = end
    if at < len(text):
        pieces.append({"text": text[at:]})
    return pieces


def _highlighted(scanned: list[scanning.FieldFindings]) -> list[dict]:
    """Each field with findings: its label, its text with the findings marked, its counts."""
    fields = []
    for s in scanned:
        if not s.findings:
            continue
        marks = [
            (f.start, f.end, {"level": f.confidence, "kind": KIND_LABELS[f.kind],
                              "confidence": CONFIDENCE_LABELS[f.confidence]})
            for f in s.findings
        ]  # fmt: skip
        fields.append(
            {
                "name": s.field,
                "label": Redaction.Field(s.field).label,
                "segments": _segments(s.text, marks),
                "high": sum(1 for f in s.findings if f.confidence == "high"),
                "low": sum(1 for f in s.findings if f.confidence == "low"),
            }
        )
    return fields


def _redaction_groups(redactions: list[Redaction]) -> list[dict]:
    """The redactions made at once (one per field and reason) as one entry per field: who, when, why,
    how many places, and the value before with them marked (None once it was removed)."""
    groups = []
    for (field, created_at, _actor), rows_iter in groupby(
        redactions, key=lambda r: (r.field, r.created_at, r.actor_id)
    ):
        rows = list(rows_iter)
        first = rows[0]
        original = None
        if first.original_removed_at is None:
            marks = [
                (start, end, {"reason": RedactionReason(r.reason).label})
                for r in rows
                for start, end in r.spans
            ]
            original = _segments(first.original, marks)
        groups.append(
            {
                "field": Redaction.Field(field).label,
                "created_at": created_at,
                "actor": first.actor.email if first.actor else _("en tidligere bruger"),
                "reasons": [RedactionReason(r.reason).label for r in rows],
                "count": sum(len(r.spans) for r in rows),
                "note": first.note,
                "original": original,
                "removed_at": first.original_removed_at,
            }
        )
    return groups


def response_panel_context(request, *, response: Response, form: RedactionForm | None = None) -> dict:
    """The guard's panel of a response's staff page (moderation.panels.response_page): for its
    moderators always (the form), for its other staff when there are findings or redactions."""
    may_moderate = rules.may_moderate(request.user, response.hearing)
    scanned = scanning.scan_fields(
        {field: getattr(response, field) for field in scanning.FIELDS},
        terms=scanning.terms_of(response.hearing),
    )
    redactions = list(
        Redaction.objects.filter(response=response)
        .select_related("actor")
        .order_by("created_at", "field", "pk")
    )
    fields = _highlighted(scanned)
    if not (may_moderate or fields or redactions):
        return {}
    if may_moderate and form is None:
        form = RedactionForm(response=response, scanned=scanned)
    return {
        "guard_panel": {
            "fields": fields,
            "high": sum(f["high"] for f in fields),
            "low": sum(f["low"] for f in fields),
            "form": form if may_moderate else None,
            "redactions": _redaction_groups(redactions),
            "personal_data_removed_at": response.hearing.personal_data_removed_at,
        }
    }


class RedactView(StaffMixin, View):
    """POST: redact the chosen findings and the passage typed (guard.services.redact_response)."""

    def post(self, request, pk):
        response = staff_selectors.staff_response(user=request.user, pk=pk)
        if not rules.may_moderate(request.user, response.hearing):
            raise Http404
        scanned = scanning.scan_fields(
            {field: getattr(response, field) for field in scanning.FIELDS},
            terms=scanning.terms_of(response.hearing),
        )
        form = RedactionForm(request.POST, response=response, scanned=scanned)
        made: list[Redaction] = []
        if form.is_valid():
            try:
                made = services.redact_response(
                    response=response, actor=request.user, parts=form.parts(),
                    note=form.cleaned_data["note"], digest=form.digest,
                )  # fmt: skip
            except PermissionDenied as denied:
                raise Http404 from denied
            except (ValidationError, OperationalError) as error:
                add_service_errors(form, error)
        if form.errors:
            response = staff_selectors.staff_response(user=request.user, pk=pk)
            context = response_page_context(user=request.user, response=response)
            context.update(panels.response_page.context(request, response=response))
            context.update(response_panel_context(request, response=response, form=form))
            return render(request, RESPONSE_PAGE, context, status=400)
        count = sum(len(r.spans) for r in made)
        text = ngettext(
            "Personoplysninger er udeladt %(count)s sted i høringssvar nr. %(number)s.",
            "Personoplysninger er udeladt %(count)s steder i høringssvar nr. %(number)s.",
            count,
        ) % {"count": count, "number": response.number}
        if response.status == Response.Status.PENDING:
            text += " " + _("Svaret afventer stadig, at en moderator offentliggør det.")
        messages.success(request, text)
        return HttpResponseRedirect(reverse("moderation:response", args=[pk]) + PANEL_ANCHOR)


def register_panels() -> None:
    """Called once from ``GuardConfig.ready()``: the guard's panel of moderation's response page."""
    panels.response_page.register(response_panel_context)
