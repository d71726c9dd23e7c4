"""The staff's own pages: moderation queue, a response's staff page, remarks and the hearing overview.
Every page is scoped to the user's municipalities; anything else is a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import rules
from hearings import selectors as hearing_selectors
from hearings import services as hearing_services
from hearings.models import Response
from portal.forms import add_service_errors
from portal.ids import parse_id
from strategies.models import Section

from . import panels, permissions, selectors, services
from .forms import ACTION_CHOICES, FlagForm, ModerationForm, RemarkForm
from .models import ModerationEvent, Remark


def safe_next(request, fallback: str) -> str:
    """Where to go after a POST: ``next`` when it is a path on this site, never another host."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):  # fmt: skip
        return target
    return fallback


class StaffMixin(LoginRequiredMixin):
    """Signed in and holding a staff role somewhere (or the operator); everyone else gets a 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.is_staff_member(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ModeratorMixin(StaffMixin):
    """Signed in and a moderator somewhere (or the operator): the queue and what is done from it.
    Editors and council members get a 404, as everyone else."""

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and rules.municipality_ids_with(request.user, rules.MODERATOR) == set()
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class StaffHomeView(StaffMixin, TemplateView):
    template_name = "moderation/home.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "hearings": selectors.staff_hearings(user=self.request.user),
        }


SELECTED = "valgt"  # the query parameter of the responses to tick again: ids separated by commas
MAX_SELECTED = 500


def with_selection(url: str, ids: list[int]) -> str:
    """``url`` (the queue's, maybe with a query) that ticks ``ids`` again when shown."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{SELECTED}={','.join(str(pk) for pk in ids[:MAX_SELECTED])}"


class QueueView(ModeratorMixin, TemplateView):
    template_name = "moderation/queue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        get = self.request.GET
        queue_filter = selectors.QueueFilter.from_query(get)
        hearings = list(selectors.staff_hearings(user=user, roles=(rules.MODERATOR,)))
        query = get.copy()
        query.pop("side", None)
        query.pop("tab", None)
        query.pop(SELECTED, None)
        here = get.copy()
        here.pop(SELECTED, None)
        page = selectors.moderation_queue(user=user, queue_filter=queue_filter, page=get.get("side", 1))
        return {
            **super().get_context_data(**kwargs),
            **panels.queue_page.context(self.request, responses=list(page)),
            "page": page,
            "filter": queue_filter,
            "tabs": selectors.queue_tabs(),
            "hearings": hearings,
            "sections": Section.objects.filter(strategy__hearings__in=hearings)
            .select_related("strategy")
            .distinct()
            .order_by("strategy__title", "number"),
            "statuses": Response.Status.choices,
            "respondent_types": Response.RespondentType.choices,
            "query": query.urlencode(),
            "here": f"{self.request.path}?{here.urlencode()}",  # where a bulk action comes back to
            # Ticked again after a bulk action sent back (e.g. no topic chosen), so nothing is ticked twice.
            "selected": {pk for pk in map(parse_id, get.get(SELECTED, "").split(",")[:MAX_SELECTED]) if pk},
        }


class BulkPublishView(ModeratorMixin, View):
    def post(self, request):
        ids = [pk for pk in map(parse_id, request.POST.getlist("response")) if pk]
        result = services.bulk_publish(response_ids=ids, actor=request.user)
        if result.published:
            messages.success(
                request, _("%(count)s høringssvar er offentliggjort.") % {"count": result.published}
            )
        for sentence in result.skipped:  # held back for a check (possible personal data): one by one
            messages.warning(request, sentence)
        if not (result.published or result.skipped):
            if ids and not Response.objects.filter(pk__in=ids, status=Response.Status.PENDING).exists():
                # The same post again, or another moderator was first: nothing was left to publish.
                messages.info(
                    request, _("De valgte høringssvar afventer ikke længere; de er allerede behandlet.")
                )
            else:
                messages.warning(request, _("Vælg de afventende høringssvar, der skal offentliggøres."))
        return HttpResponseRedirect(safe_next(request, reverse("moderation:queue")))


RESPONSE_PAGE = "moderation/response.html"


def response_page_context(*, user, response: Response, moderation_form=None, remark_form=None) -> dict:
    """What a response's staff page shows; the forms are fresh ones unless a refused POST passes its own
    (bound, with what was typed and the errors)."""
    remark = Remark.of(response)
    allowed = services.allowed_actions(response)
    actions = [(value, label) for value, label in ACTION_CHOICES if value in allowed]
    return {
        "response": response,
        "hearing": response.hearing,
        "events": selectors.response_events(response=response),
        "may_moderate": rules.may_moderate(user, response.hearing),
        "actions": actions,
        "moderation_form": moderation_form or ModerationForm(),
        "remark": remark,
        "remark_form": remark_form
        or RemarkForm(
            initial={"text": remark.text, "recommendation": remark.recommendation} if remark else None
        ),
    }


def render_refused(request, pk: int, **forms):
    """A refused POST on a response's staff page: the page again (as it is now), with the form as it was
    sent and its errors, answered 400."""
    response = selectors.staff_response(user=request.user, pk=pk)
    context = response_page_context(user=request.user, response=response, **forms)
    context.update(panels.response_page.context(request, response=response))
    return render(request, RESPONSE_PAGE, context, status=400)


class StaffResponseView(StaffMixin, TemplateView):
    template_name = RESPONSE_PAGE

    def get_context_data(self, **kwargs):
        user = self.request.user
        response = selectors.staff_response(user=user, pk=self.kwargs["pk"])
        if not rules.may_remark(user, response.hearing):
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            **response_page_context(user=user, response=response),
            **panels.response_page.context(self.request, response=response),
        }


class ModerateView(StaffMixin, View):
    def post(self, request, pk):
        response = selectors.staff_response(user=request.user, pk=pk)
        if not rules.may_moderate(request.user, response.hearing):
            raise Http404
        form = ModerationForm(request.POST)
        if form.is_valid():
            try:
                services.moderate(
                    response=response, actor=request.user, action=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                )  # fmt: skip
            except services.AlreadyDone as done:  # the same post again: say so, as after the first
                messages.info(request, " ".join(done.messages))
                return HttpResponseRedirect(safe_next(request, reverse("moderation:response", args=[pk])))
            except (ValidationError, OperationalError) as error:
                add_service_errors(form, error)
            except PermissionDenied as denied:
                raise Http404 from denied
        if form.errors:
            if form.has_error("action"):  # a hidden field: its error would not be shown
                form.add_error(None, _("Ukendt handling."))
            return render_refused(request, pk, moderation_form=form)
        label = ModerationEvent.Action(form.cleaned_data["action"]).label.lower()
        messages.success(
            request,
            _("Høringssvar nr. %(number)s er %(action)s.") % {"number": response.number, "action": label},
        )
        return HttpResponseRedirect(safe_next(request, reverse("moderation:response", args=[pk])))


class RemarkView(StaffMixin, View):
    def post(self, request, pk):
        response = selectors.staff_response(user=request.user, pk=pk)
        if not rules.may_remark(request.user, response.hearing):
            raise Http404
        form = RemarkForm(request.POST)
        if form.is_valid():
            try:
                services.save_remark(response=response, actor=request.user, **form.cleaned_data)
            except (ValidationError, OperationalError) as error:
                add_service_errors(form, error)
        if form.errors:
            return render_refused(request, pk, remark_form=form)
        messages.success(request, _("Bemærkningen er gemt."))
        return HttpResponseRedirect(reverse("moderation:response", args=[pk]))


class HearingOverviewView(StaffMixin, TemplateView):
    template_name = "moderation/overview.html"

    def get_context_data(self, **kwargs):
        hearing = selectors.staff_hearing(user=self.request.user, pk=self.kwargs["pk"])
        overview = selectors.hearing_overview(hearing=hearing)
        return {
            **super().get_context_data(**kwargs),
            "hearing": hearing,
            "overview": overview,
            "may_moderate": rules.may_moderate(self.request.user, hearing),
            "may_remark": rules.may_remark(self.request.user, hearing),
        }


class ReleaseRemarksView(View):
    """Staff release a hearing's remarks in one action (hearings.services.release_remarks): a POST from the
    overview page, which it returns to with what happened."""

    def post(self, request, pk: int):
        hearing = selectors.staff_hearing(user=request.user, pk=pk)  # 404 unless staff of its municipality
        try:
            released = hearing_services.release_remarks(hearing=hearing, actor=request.user)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if released:
                messages.success(
                    request,
                    _(
                        "Bemærkningerne er frigivet. De vises nu på høringens side, og hver afsender får "
                        "én e-mail med bemærkningerne til sit svar."
                    ),
                )
            else:
                messages.info(request, _("Bemærkningerne var allerede frigivet."))
        return HttpResponseRedirect(reverse("moderation:overview", args=[pk]))


class FlagView(LoginRequiredMixin, View):
    """A signed-in citizen reports a published response ("Anmeld")."""

    template_name = "moderation/flag.html"

    def dispatch(self, request, *args, **kwargs):
        self.hearing = hearing_selectors.hearing_detail(pk=kwargs["pk"])
        responses = self.hearing.responses.all()
        if not (request.method == "POST" and request.user.is_authenticated):
            responses = responses.published()
        else:  # a report sent again finds the response even if the first one took it to moderation
            responses = responses.filter(Q(status=Response.Status.PUBLISHED) | Q(flags__user=request.user))
        self.response = get_object_or_404(responses.distinct(), number=kwargs["number"])
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        decision = permissions.can_flag(self.request.user, self.response)
        context = {"hearing": self.hearing, "response": self.response, "form": form, "decision": decision}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(FlagForm())

    def post(self, request, *args, **kwargs):
        form = FlagForm(request.POST)
        if form.is_valid():
            try:
                services.flag_response(response=self.response, user=request.user, **form.cleaned_data)
            except (ValidationError, OperationalError) as error:
                add_service_errors(form, error)
        if form.errors:
            return self.render(form, status=400)
        messages.success(request, _("Tak. En moderator ser på høringssvaret."))
        return HttpResponseRedirect(self.hearing.get_absolute_url())
