"""The decision's pages: the staff form (record, correct, publish; under /personale/) and the public page
"Det sagde I – det gjorde vi" (under the hearing's address). Thin: the rules are in services and
permissions, the reads in selectors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from hearings import selectors as hearing_selectors
from moderation import selectors as staff_selectors
from moderation.views import StaffMixin
from portal.db import BUSY_MESSAGE, is_database_busy
from portal.forms import add_service_errors

from . import selectors, services
from .forms import DecisionForm
from .permissions import can_record_decision


class DecisionStaffMixin(StaffMixin):
    """``self.hearing``: a hearing the user is staff of (404 for any other, and for anyone not staff);
    ``self.permission``: ``can_record_decision``. Staff of the municipality who are not its editors get a
    403 page saying why."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)  # to the login page
        self.hearing = staff_selectors.staff_hearing(user=request.user, pk=kwargs["pk"])
        self.permission = can_record_decision(request.user, self.hearing)
        if self.permission.code == "role":
            return render(
                request,
                "decisions/refused.html",
                {"hearing": self.hearing, "reason": self.permission.reason},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def edit_url(self) -> str:
        return reverse("decisions:edit", args=[self.hearing.pk])


class DecisionEditView(DecisionStaffMixin, View):
    """Record or correct the decision, with what changed per part of the strategy, on one page."""

    template_name = "decisions/edit.html"

    def form_kwargs(self) -> dict:
        return {
            "sections": services.section_choices(self.hearing),
            "word": self.hearing.strategy.section_label_singular,
        }

    def render(self, form: DecisionForm | None, status: int = 200):
        context = {
            "hearing": self.hearing,
            "decision": self.decision,
            "form": form,
            "refusal": "" if self.permission else self.permission.reason,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        self.decision = selectors.staff_decision(self.hearing)
        form = DecisionForm.of(self.decision, **self.form_kwargs()) if self.permission else None
        return self.render(form)

    def post(self, request, pk):
        self.decision = selectors.staff_decision(self.hearing)
        if not self.permission:
            return self.render(None, status=400)
        form = DecisionForm(request.POST, **self.form_kwargs())
        if form.is_valid():
            try:
                services.save_decision(
                    hearing=self.hearing, actor=request.user, changes=form.changes(), **form.decision_values()
                )
            except PermissionDenied as error:
                raise Http404 from error
            except (ValidationError, OperationalError) as error:
                add_service_errors(form, error)
        if form.errors:
            return self.render(form, status=400)
        if self.decision is not None and self.decision.is_published:
            messages.success(request, _("Rettelsen er gemt og vises nu på den offentlige side."))
        else:
            messages.success(request, _("Beslutningen er gemt. Den er ikke offentliggjort endnu."))
        return HttpResponseRedirect(self.edit_url())


class DecisionPublishView(DecisionStaffMixin, View):
    """Publish the recorded decision, once."""

    def post(self, request, pk):
        decision = selectors.staff_decision(self.hearing)
        if not self.permission:
            messages.error(request, self.permission.reason)
        elif decision is None:
            messages.error(request, _("Gem beslutningen, før du offentliggør den."))
        else:
            try:
                services.publish_decision(decision=decision, actor=request.user)
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except OperationalError as error:
                if not is_database_busy(error):  # the demo's SQLite busy beyond its timeout: said
                    raise
                messages.error(request, BUSY_MESSAGE)
            else:
                messages.success(
                    request,
                    _(
                        "Beslutningen er offentliggjort. Dem, der følger høringen eller har svaret på den, "
                        "får én e-mail om den."
                    ),
                )
        return HttpResponseRedirect(self.edit_url())


class DecisionPageView(TemplateView):
    """ "Det sagde I – det gjorde vi": the published decision and, topic by topic, what was said, the
    administration's remark (once public) and what changed. 404 until the decision is published."""

    template_name = "decisions/decision_page.html"

    def get_context_data(self, **kwargs):
        hearing = hearing_selectors.hearing_detail(pk=self.kwargs["pk"])
        page = selectors.decision_page(hearing=hearing)
        if page is None:
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            "hearing": hearing,
            "strategy": hearing.strategy,
            "municipality": hearing.strategy.municipality,
            "page": page,
            "decision": page.decision,
        }
