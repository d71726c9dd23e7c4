"""What every staff page of a hearing's analysis starts with."""

from django.http import Http404

from moderation import selectors as staff_selectors
from moderation.views import StaffMixin

from .permissions import may_analyse


class HearingMixin(StaffMixin):
    """``self.hearing``: a hearing the user is staff of (404 otherwise); ``self.may_analyse``. Changes
    (POST) are for those who may analyse; anyone else gets a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)  # to the login page
        self.hearing = staff_selectors.staff_hearing(user=request.user, pk=kwargs["pk"])
        self.load(**kwargs)
        self.may_analyse = may_analyse(request.user, self.hearing)
        if request.method == "POST" and not self.may_analyse:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Read what the URL names besides the hearing (404 when it is not the hearing's)."""

    def base_context(self, **context):
        return {"hearing": self.hearing, "may_analyse": self.may_analyse, **context}
