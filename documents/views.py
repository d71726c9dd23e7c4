"""Asking for a PDF, watching it being made, downloading it. Rendering happens in a worker, never here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from hearings import selectors as hearing_selectors
from hearings import services as hearing_services
from moderation import selectors as moderation_selectors

from . import content, permissions, services
from .models import RenderedDocument

KINDS = {"hoeringsforslag": RenderedDocument.Kind.PROPOSAL, "hoeringsnotat": RenderedDocument.Kind.SUMMARY}


def _allowed_hearing(request, pk: int, kind: str):
    hearing = hearing_selectors.hearing_detail(pk=pk)
    if not permissions.may_download_document(request.user, hearing, kind):
        raise Http404  # not 403: the summary's existence before publication is not for everyone
    return hearing


def _file_response(document: RenderedDocument) -> FileResponse:
    slug = "hoeringsnotat" if document.kind == RenderedDocument.Kind.SUMMARY else "hoeringsforslag"
    name = f"{slug}-{document.hearing_id}{'-udkast' if document.is_draft else ''}.pdf"
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _progress(hearing, document: RenderedDocument, *, download: bool = False) -> HttpResponseRedirect:
    """The progress page of ``document``; ``download``: the user asked for the PDF with a button, and its
    page starts the download by itself once it is made (with JavaScript; else it offers the link)."""
    url = reverse("documents:status", args=[hearing.pk, document.pk])
    return HttpResponseRedirect(f"{url}?hent=1" if download else url)


class DocumentView(View):
    """The address of a hearing's PDF, as the hearing page links to it.

    GET shows the state of the document of the hearing's current content and never asks for it (a
    crawler, a prefetch or a reload starts no render and reads no response): the PDF at once when it
    is made, the progress page while it is being made, else a page with one button that asks for it.
    POST asks (once per content): the PDF at once if it was made already, else the progress page."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = KINDS.get(kwargs["slug"])

    def get(self, request, pk: int, slug: str):
        if self.kind is None:
            raise Http404
        hearing = _allowed_hearing(request, pk, self.kind)
        document, edition = content.current_edition_document(hearing=hearing, kind=self.kind)
        if document is not None and document.status == RenderedDocument.Status.DONE and document.file:
            return _file_response(document)
        if document is not None and document.status != RenderedDocument.Status.FAILED:
            return _progress(hearing, document)
        context = {
            "hearing": hearing,
            "document": document,  # None, or the failed one, with its 'Prøv igen'
            "kind_label": RenderedDocument.Kind(self.kind).label,
            "is_draft": edition.is_draft,
        }
        return render(request, "documents/status.html", context)

    def post(self, request, pk: int, slug: str):
        if self.kind is None:
            raise Http404
        hearing = _allowed_hearing(request, pk, self.kind)
        document = services.request_document(hearing=hearing, kind=self.kind, user=request.user)
        document.refresh_from_db()
        if document.status == RenderedDocument.Status.DONE and document.file:
            return _file_response(document)
        return _progress(hearing, document, download=True)


class DocumentStatusView(View):
    template_name = "documents/status.html"

    def get(self, request, pk: int, document_pk: int):
        document = get_object_or_404(
            RenderedDocument.objects.select_related("hearing"), pk=document_pk, hearing_id=pk
        )
        hearing = _allowed_hearing(request, pk, document.kind)
        estimate = services.estimate_seconds(kind=document.kind, response_count=document.response_count)
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "status": document.status,
                    "label": document.get_status_display(),
                    "estimate_seconds": estimate,
                    "download": reverse("documents:file", args=[pk, document.pk])
                    if document.status == RenderedDocument.Status.DONE else None,
                    "pages": document.page_count,
                }
            )  # fmt: skip
        context = {
            "document": document,
            "hearing": hearing,
            "estimate": estimate,
            "kind_label": document.get_kind_display(),
            "is_draft": document.is_draft,
            "download_when_done": request.GET.get("hent") == "1",
        }
        return render(request, self.template_name, context)

    def post(self, request, pk: int, document_pk: int):
        """'Prøv igen' after a failure."""
        document = get_object_or_404(RenderedDocument, pk=document_pk, hearing_id=pk)
        hearing = _allowed_hearing(request, pk, document.kind)
        fresh = services.request_document(hearing=hearing, kind=document.kind, user=request.user)
        return _progress(hearing, fresh)


class DocumentFileView(View):
    def get(self, request, pk: int, document_pk: int):
        document = get_object_or_404(
            RenderedDocument, pk=document_pk, hearing_id=pk, status=RenderedDocument.Status.DONE
        )
        _allowed_hearing(request, pk, document.kind)
        if not document.file:
            raise Http404
        return _file_response(document)


class PublishSummaryView(View):
    def post(self, request, pk: int):
        hearing = (
            moderation_selectors.staff_hearing(user=request.user, pk=pk)
            if request.user.is_authenticated
            else None
        )
        if hearing is None:
            raise Http404
        try:
            hearing_services.publish_summary(hearing=hearing, actor=request.user)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Høringsnotatet er offentliggjort. Bemærkningerne kan ikke længere ændres.")
            )
        return HttpResponseRedirect(reverse("moderation:overview", args=[pk]))
