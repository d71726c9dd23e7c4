"""The archive for the journal system, for the staff (under /personale/): ask for it, watch it being made,
download it. The work happens in workers (documents/archive_services.py), never in a request. Like every
staff page: the login page for the anonymous, a 404 for everyone without a role in the hearing's
municipality."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View

from moderation import selectors as moderation_selectors
from moderation.views import StaffMixin

from . import archive, archive_services, permissions
from .models import ArchiveJob

TEMPLATE = "documents/archive_status.html"


def _hearing(request, pk: int):
    hearing = moderation_selectors.staff_hearing(user=request.user, pk=pk)
    if not permissions.may_download_archive(request.user, hearing):
        raise Http404
    return hearing


def _job(hearing, job_pk: int) -> ArchiveJob:
    return get_object_or_404(ArchiveJob, pk=job_pk, hearing=hearing)


def _page(request, hearing, job: ArchiveJob | None, *, status: int = 200, error: str = ""):
    context = {"hearing": hearing, "job": job, "error": error,
               "may_archive": not _not_archivable(hearing)}  # fmt: skip
    response = render(request, TEMPLATE, context, status=status)
    add_never_cache_headers(response)
    return response


def _not_archivable(hearing) -> str:
    try:
        archive_services.check_archivable(hearing)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


class ArchiveView(StaffMixin, View):
    """GET shows the archive of the hearing's current content (made, being made, or a button to make
    it) and never asks for it; POST asks (once per content) and shows its progress page."""

    def get(self, request, pk: int):
        hearing = _hearing(request, pk)
        job = archive_services.current_archive(hearing=hearing)
        if job is not None:
            return HttpResponseRedirect(reverse("documents:archive_status", args=[pk, job.pk]))
        return _page(request, hearing, None, error=_not_archivable(hearing))

    def post(self, request, pk: int):
        hearing = _hearing(request, pk)
        try:
            job = archive_services.request_archive(hearing=hearing, user=request.user)
        except ValidationError as error:
            return _page(request, hearing, None, status=400, error=" ".join(error.messages))
        return HttpResponseRedirect(reverse("documents:archive_status", args=[pk, job.pk]))


class ArchiveStatusView(StaffMixin, View):
    """The progress page of one archive job (``?format=json`` for the page's script); POST: 'Prøv igen'."""

    def get(self, request, pk: int, job_pk: int):
        hearing = _hearing(request, pk)
        job = _job(hearing, job_pk)
        if request.GET.get("format") == "json":
            response = JsonResponse({
                "status": job.status,
                "label": _progress_label(job),
                "done": job.done,
                "total": job.total,
                "download": reverse("documents:archive_file", args=[pk, job.pk])
                if job.status == ArchiveJob.Status.DONE else None,
            })  # fmt: skip
            add_never_cache_headers(response)
            return response
        return _page(request, hearing, job)

    def post(self, request, pk: int, job_pk: int):
        hearing = _hearing(request, pk)
        _job(hearing, job_pk)
        try:
            fresh = archive_services.request_archive(hearing=hearing, user=request.user)
        except ValidationError as error:
            return _page(request, hearing, None, status=400, error=" ".join(error.messages))
        return HttpResponseRedirect(reverse("documents:archive_status", args=[pk, fresh.pk]))


def _progress_label(job: ArchiveJob) -> str:
    label = str(job.get_status_display())
    if job.status in (ArchiveJob.Status.RENDERING, ArchiveJob.Status.PACKING) and job.total:
        label += (
            " (" + _("%(done)s af %(total)s") % {"done": min(job.done, job.total), "total": job.total} + ")"
        )
    return label


class ArchiveFileView(StaffMixin, View):
    def get(self, request, pk: int, job_pk: int):
        hearing = _hearing(request, pk)
        job = _job(hearing, job_pk)
        if job.status != ArchiveJob.Status.DONE or not job.file:
            messages.error(request, _("Arkivet er ikke færdigt endnu."))
            return HttpResponseRedirect(reverse("documents:archive_status", args=[pk, job.pk]))
        try:
            file = job.file.open("rb")
        except FileNotFoundError:
            return _page(request, hearing, None, status=404,
                         error=_("Arkivets fil findes ikke længere. Lav arkivet igen."))  # fmt: skip
        response = FileResponse(file, as_attachment=True, filename=archive.archive_file_name(hearing),
                                content_type="application/zip")  # fmt: skip
        response["X-Content-Type-Options"] = "nosniff"
        # Names and withheld attachments: no copy in a browser's or proxy's cache.
        add_never_cache_headers(response)
        return response
