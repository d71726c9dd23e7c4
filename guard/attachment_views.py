"""The attachments panel of a response's staff page (registered on ``moderation.panels.response_page``) and
what is done from it: staff download an attachment (held and withheld ones too) and the original of a
replaced one; moderators release, withhold or replace it (``guard.attachment_services``).

Every URL names the response and the attachment; the response must be of a hearing of the user's
municipality (``moderation.selectors.staff_response``) and the attachment the response's, else 404. Downloads
are for the municipality's moderators and editors (``accounts.rules.may_remark``, as the staff page
itself), changes for its moderators (``may_moderate``); anyone else gets a 404. A refused change shows the
staff page again, answered 400, with the form as it was sent (what was typed in it) and a Danish message."""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views import View

from accounts import rules
from hearings.attachments import CONTENT_TYPES, download_name, safe_file_name
from hearings.models import Response, ResponseAttachment
from moderation import panels
from moderation import selectors as staff_selectors
from moderation.services import AlreadyDone
from moderation.views import RESPONSE_PAGE, StaffMixin, response_page_context
from portal.forms import add_service_errors

from . import attachment_services, finders
from .attachment_forms import ReplaceForm, WithholdForm
from .models import CONFIDENCE_LABELS, AttachmentOriginal, kind_label
from .scanning import terms_of

# The staff page shows this much of an attachment's text, marked; the rest is in the file.
SHOWN_TEXT_CHARS = 50_000


def highlight(text: str, found: list[finders.Finding]) -> SafeString:
    """``text`` escaped, with each of ``found`` (sorted, not overlapping: ``finders.find``) in a ``<mark>``
    that names its kind and confidence."""
    parts: list[str] = []
    position = 0
    for finding in found:
        if finding.start < position:
            continue
        parts.append(escape(text[position : finding.start]))
        parts.append(
            format_html(
                '<mark class="finding finding-{}" title="{}">{}</mark>',
                finding.kind,
                f"{kind_label(finding.kind)} ({CONFIDENCE_LABELS[finding.confidence]})",
                text[finding.start : finding.end],
            )
        )
        position = finding.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


def _kinds(found: list[finders.Finding]) -> list[str]:
    kinds = sorted({f.kind for f in found}, key=finders.KINDS.index)
    return [kind_label(kind) for kind in kinds]


@dataclass
class PanelItem:
    """One attachment as the panel shows it."""

    attachment: ResponseAttachment
    name: SafeString  # the file name, findings marked
    text: SafeString | None  # the text read (its first SHOWN_TEXT_CHARS), findings marked
    text_cut: bool  # the text is longer than what is shown
    kinds: list[str]  # the kinds of findings in the name and the shown text, Danish labels
    high: int  # findings of high confidence among them
    original: AttachmentOriginal | None
    withhold_form: WithholdForm | None = None
    replace_form: ReplaceForm | None = None
    may_release: bool = False
    staff_url: str = field(default="")
    original_url: str = field(default="")


def attachments_panel_context(
    request, *, response: Response, bound_forms: dict[int, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The attachments panel (``moderation.panels.response_page``): per attachment its name, kind, size,
    publication and note, the text's status and problem, the text with findings marked, the staff's
    download (and the original's, when replaced), and for moderators the forms. ``bound_forms``: {attachment
    id: {"withhold_form"|"replace_form": a bound form}} after a refused change. Nothing for users who may
    not see the response's staff page's attachments (not moderator or editor of the municipality)."""
    user = request.user
    hearing = response.hearing
    if not rules.may_remark(user, hearing):
        return {}
    attachments = list(response.attachments.all())
    if not attachments:
        return {"attachments_panel": []}
    may_moderate = rules.may_moderate(user, hearing)
    originals = {o.attachment_id: o for o in AttachmentOriginal.objects.filter(attachment__response=response)}
    terms = terms_of(hearing)
    bound_forms = bound_forms or {}
    items = []
    for attachment in attachments:
        shown = attachment.text[:SHOWN_TEXT_CHARS]
        in_name = finders.find(attachment.original_name, terms)
        in_text = finders.find(shown, terms) if shown else []
        kwargs = {"attachment_id": attachment.pk}
        ids = {"pk": response.pk, "attachment": attachment.pk}
        item = PanelItem(
            attachment=attachment,
            name=highlight(attachment.original_name, in_name),
            text=highlight(shown, in_text) if shown else None,
            text_cut=len(attachment.text) > SHOWN_TEXT_CHARS,
            kinds=_kinds(in_name + in_text),
            high=sum(1 for f in in_name + in_text if f.confidence == "high"),
            original=originals.get(attachment.pk),
            staff_url=reverse("guard_attachments:download", kwargs=ids),
            original_url=reverse("guard_attachments:original", kwargs=ids) if attachment.pk in originals else "",
        )  # fmt: skip
        if may_moderate:
            bound = bound_forms.get(attachment.pk, {})
            initial = {"reason": attachment.publication_note} if attachment.publication == "held" else None
            item.withhold_form = bound.get("withhold_form") or WithholdForm(initial=initial, **kwargs)
            item.replace_form = bound.get("replace_form") or ReplaceForm(**kwargs)
            item.may_release = attachment.publication != ResponseAttachment.Publication.PUBLIC
        items.append(item)
    return {"attachments_panel": items, "attachments_may_moderate": may_moderate}


def register_panels() -> None:
    """Called once from ``GuardConfig.ready()``."""
    panels.response_page.register(attachments_panel_context)


# --- Downloads ---------------------------------------------------------------------------------------------


class AttachmentMixin(StaffMixin):
    """``self.response`` and ``self.attachment``, of a hearing of the user's municipality (404 otherwise);
    GET for its moderators and editors, POST for its moderators."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)  # to the login page
        self.response = staff_selectors.staff_response(user=request.user, pk=kwargs["pk"])
        allowed = rules.may_moderate if request.method == "POST" else rules.may_remark
        if not allowed(request.user, self.response.hearing):
            raise Http404
        self.attachment = get_object_or_404(self.response.attachments.all(), pk=kwargs["attachment"])
        return super().dispatch(request, *args, **kwargs)


def _file_response(field_file: FieldFile, *, filename: str, kind: str) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    answer = FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[kind])
    answer["X-Content-Type-Options"] = "nosniff"
    answer["Content-Security-Policy"] = "default-src 'none'; sandbox"
    answer["Cache-Control"] = "private, no-store"
    return answer


class StaffAttachmentDownloadView(AttachmentMixin, View):
    """The attachment's file as it is now, whatever its publication."""

    def get(self, request, *args, **kwargs):
        return _file_response(
            self.attachment.file, filename=download_name(self.attachment), kind=self.attachment.kind
        )


class StaffOriginalDownloadView(AttachmentMixin, View):
    """The file the citizen sent, of an attachment a moderator replaced (404 for any other)."""

    def get(self, request, *args, **kwargs):
        original = AttachmentOriginal.objects.filter(attachment=self.attachment).first()
        if original is None:
            raise Http404
        extension = ResponseAttachment.EXTENSIONS[original.kind]
        name = safe_file_name(original.original_name)
        if not name.lower().endswith(extension):
            name = f"{name}{extension}"
        return _file_response(original.file, filename=name, kind=original.kind)


# --- Changes -----------------------------------------------------------------------------------------------


class _ChangeView(AttachmentMixin, View):
    form_class: type[WithholdForm] | type[ReplaceForm] | None = None
    form_key = ""

    def done_url(self) -> str:
        return reverse("moderation:response", args=[self.response.pk]) + f"#bilag-{self.attachment.pk}"

    def refused(self, form) -> Any:
        """The staff page again, as it is now, with ``form`` as it was sent and its errors (400)."""
        response = staff_selectors.staff_response(user=self.request.user, pk=self.response.pk)
        context = response_page_context(user=self.request.user, response=response)
        context.update(panels.response_page.context(self.request, response=response))
        context.update(
            attachments_panel_context(
                self.request, response=response, bound_forms={self.attachment.pk: {self.form_key: form}}
            )
        )
        return render(self.request, RESPONSE_PAGE, context, status=400)

    def change(self, request, form):
        """Call the service; return the success message."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        # A change without fields of its own (release) gets an empty form, to carry a refusal.
        form = (
            self.form_class(request.POST, request.FILES, attachment_id=self.attachment.pk)
            if self.form_class
            else forms.Form({})
        )
        if form.is_valid():
            try:
                message = self.change(request, form)
            except AlreadyDone as done:  # the same post again, or another moderator was first
                messages.info(request, " ".join(done.messages))
                return HttpResponseRedirect(self.done_url())
            except PermissionDenied as denied:
                raise Http404 from denied
            except (ValidationError, OperationalError) as error:
                add_service_errors(form, error)  # what was typed is kept; a busy demo database said
        if form.errors:
            if not self.form_key:  # no form of its own on the page: the message, and back to it
                for refusal in form.non_field_errors():
                    messages.error(request, str(refusal))
                return HttpResponseRedirect(self.done_url())
            return self.refused(form)
        messages.success(request, message)
        return HttpResponseRedirect(self.done_url())


class ReleaseAttachmentView(_ChangeView):
    def change(self, request, form):
        attachment = attachment_services.release_attachment(attachment=self.attachment, actor=request.user)
        return _("Bilaget %(name)s er offentliggjort.") % {"name": attachment.original_name}


class WithholdAttachmentView(_ChangeView):
    form_class = WithholdForm
    form_key = "withhold_form"

    def change(self, request, form):
        attachment = attachment_services.withhold_attachment(
            attachment=self.attachment, actor=request.user, reason=form.cleaned_data["reason"]
        )
        return _("Bilaget %(name)s offentliggøres ikke. Afsenderen får begrundelsen at vide.") % {
            "name": attachment.original_name
        }


class ReplaceAttachmentView(_ChangeView):
    form_class = ReplaceForm
    form_key = "replace_form"

    def change(self, request, form):
        name = self.attachment.original_name
        attachment = attachment_services.replace_attachment(
            attachment=self.attachment, actor=request.user, upload=form.cleaned_data["file"],
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
        return _(
            "Bilaget %(name)s er erstattet af %(new)s og offentliggjort. Det oprindelige bilag kan kun "
            "personalet hente. Afsenderen får besked."
        ) % {"name": name, "new": attachment.original_name}
