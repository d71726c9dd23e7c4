"""Downloads of all responses of a hearing for the staff (XLSX and CSV). Like every staff page: the
login page for the anonymous, a 404 for everyone without a role in the hearing's municipality."""

import tempfile

from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers
from django.views import View

from accounts import rules
from moderation import selectors as moderation_selectors
from moderation.views import StaffMixin

from . import exports

# Kept in memory up to this size, then in a temporary file on disk.
SPOOL_BYTES = 8 * 1024 * 1024


class _ResponsesExportView(StaffMixin, View):
    extension = ""
    content_type = ""

    def write(self, *, hearing, file) -> None:
        raise NotImplementedError

    def get(self, request, pk):
        hearing = moderation_selectors.staff_hearing(user=request.user, pk=pk)
        if not rules.may_export_responses(request.user, hearing):
            raise Http404
        # Not a ``with`` block: FileResponse closes the file once it is sent.
        file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        try:
            self.write(hearing=hearing, file=file)
        except BaseException:
            file.close()
            raise
        file.seek(0)
        response = FileResponse(
            file,
            as_attachment=True,
            filename=exports.file_name(hearing, self.extension),
            content_type=self.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        # Names and unpublished responses: no copy in a browser's or proxy's cache.
        add_never_cache_headers(response)
        return response


class ResponsesXlsxView(_ResponsesExportView):
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, *, hearing, file) -> None:
        exports.write_xlsx(hearing=hearing, file=file)


class ResponsesCsvView(_ResponsesExportView):
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def write(self, *, hearing, file) -> None:
        exports.write_csv(hearing=hearing, file=file)
