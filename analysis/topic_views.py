"""The Analyse pages of a hearing (its topics) and the analysis' panels on moderation's pages. Thin views:
the pages read through analysis.selectors, every change is one call of analysis.services.

Every page is for the hearing's staff (moderation.selectors.staff_hearing: a 404 for anyone else, other
municipalities' staff included); council members read, moderators and editors (``may_analyse``) change.
A refused change shows the form again with what was typed and a Danish message, answered 400."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from hearings.models import Hearing, Response
from moderation import selectors as staff_selectors
from moderation.views import RESPONSE_PAGE, StaffMixin, response_page_context, safe_next, with_selection
from portal.forms import add_service_errors
from portal.ids import parse_id

from . import selectors, services
from .forms import LinkForm, MergeForm, QuickTopicForm, SplitForm, TopicEditForm, TopicForm
from .mixins import HearingMixin
from .models import Topic
from .permissions import may_analyse


def _refused(form, error) -> None:
    if isinstance(error, PermissionDenied):
        raise Http404 from error
    add_service_errors(form, error)


class TopicMixin(HearingMixin):
    """``self.topic``: a topic of the hearing (404 for any other id)."""

    def load(self, **kwargs) -> None:
        self.topic = selectors.topic(hearing=self.hearing, topic_id=kwargs["topic"])


class AnalysisView(HearingMixin, TemplateView):
    """The Analyse hub: progress, topics, campaigns, suggestions, the responses without a topic."""

    template_name = "analysis/analysis.html"

    def get_context_data(self, **kwargs):
        overview = selectors.analysis_overview(hearing=self.hearing, page=self.request.GET.get("side", 1))
        create_form = QuickTopicForm(hearing=self.hearing) if self.may_analyse else None
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(overview=overview, form=create_form),
        }


class TopicCreateView(HearingMixin, View):
    template_name = "analysis/topic_form.html"

    def get(self, request, pk):
        if not self.may_analyse:
            raise Http404
        return self.render(TopicForm(hearing=self.hearing))

    def render(self, form, status=200):
        return render(self.request, self.template_name, self.base_context(form=form), status=status)

    def post(self, request, pk):
        form = TopicForm(request.POST, hearing=self.hearing)
        if form.is_valid():
            try:
                topic = services.create_topic(hearing=self.hearing, actor=request.user, **form.cleaned_data)
            except (ValidationError, OperationalError, PermissionDenied) as error:
                _refused(form, error)
        if form.errors:
            return self.render(form, status=400)
        messages.success(request, _("Emnet «%(title)s» er oprettet.") % {"title": topic.title})
        return HttpResponseRedirect(reverse("analysis:topic", args=[self.hearing.pk, topic.pk]))


class TopicView(TopicMixin, View):
    """A topic's page: its responses (with quotes) and, for those who may analyse, its edit form."""

    template_name = "analysis/topic.html"

    def render(self, form=None, *, saved=None, status=200):
        context = selectors.topic_page(
            hearing=self.hearing, topic_id=self.topic.pk, page=self.request.GET.get("side", 1)
        )
        if form is None and self.may_analyse:
            form = TopicEditForm.of(context["topic"])
        context = self.base_context(**context, form=form, saved=saved)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, topic):
        return self.render()

    def post(self, request, pk, topic):
        form = TopicEditForm(request.POST, hearing=self.hearing)
        saved = None
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.update_topic(topic=self.topic, actor=request.user, **data)
            except services.StaleTopic as stale:
                # Keep what was typed; the next save is made on the version now saved, on purpose.
                form.add_error(None, stale.messages[0])
                form.data = _with(request.POST, version=str(stale.topic.version))
                saved = stale.topic
            except (ValidationError, OperationalError, PermissionDenied) as error:
                _refused(form, error)
        if form.errors:
            return self.render(form, saved=saved, status=400)
        messages.success(request, _("Emnet er gemt."))
        return HttpResponseRedirect(reverse("analysis:topic", args=[pk, topic]))


def _ids(values) -> set[int]:
    return {pk for pk in (parse_id(str(v)) for v in values or []) if pk}


def _with(data: QueryDict, **values: str) -> QueryDict:
    changed = data.copy()
    for key, value in values.items():
        changed[key] = value
    return changed


class TopicMergeView(TopicMixin, View):
    template_name = "analysis/topic_merge.html"

    def form(self, data=None):
        others = [t for t in selectors.hearing_topics(hearing=self.hearing) if t.pk != self.topic.pk]
        return MergeForm(data, topics=others)

    def render(self, form, status=200):
        context = self.base_context(topic=self.topic, form=form)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, topic):
        if not self.may_analyse:
            raise Http404
        return self.render(self.form())

    def post(self, request, pk, topic):
        form = self.form(request.POST)
        if parse_id(request.POST.get("into", "")) == self.topic.pk:
            # Not in the list: said plainly rather than "choose from the list".
            form.is_valid()
            form.errors.pop("into", None)
            form.add_error("into", _("Et emne kan ikke lægges sammen med sig selv. Vælg et andet emne."))
        elif form.is_valid():
            found = Topic.objects.filter(hearing=self.hearing, pk=form.cleaned_data["into"]).first()
            try:
                if found is None:
                    raise ValidationError({"into": _("Emnet findes ikke længere.")})
                into = services.merge_topics(topic=self.topic, into=found, actor=request.user)
            except (ValidationError, OperationalError, PermissionDenied) as error:
                _refused(form, error)
        if form.errors:
            return self.render(form, status=400)
        messages.success(
            request,
            _("Emnet «%(topic)s» er lagt sammen med «%(into)s».")
            % {"topic": self.topic.title, "into": into.title},
        )
        return HttpResponseRedirect(reverse("analysis:topic", args=[pk, into.pk]))


class TopicSplitView(TopicMixin, View):
    template_name = "analysis/topic_split.html"

    def render(self, form, status=200):
        page = selectors.topic_page(
            hearing=self.hearing, topic_id=self.topic.pk, page=self.request.GET.get("side", 1)
        )
        context = self.base_context(**page, form=form, chosen=_ids(form["responses"].value()))
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, topic):
        if not self.may_analyse:
            raise Http404
        return self.render(SplitForm())

    def post(self, request, pk, topic):
        form = SplitForm(request.POST)
        if form.is_valid():
            try:
                new = services.split_topic(
                    topic=self.topic, actor=request.user, title=form.cleaned_data["title"],
                    response_ids=form.cleaned_data["responses"],
                )  # fmt: skip
            except (ValidationError, OperationalError, PermissionDenied) as error:
                _refused(form, error)
        if form.errors:
            return self.render(form, status=400)
        messages.success(request, _("Det nye emne «%(title)s» er oprettet.") % {"title": new.title})
        return HttpResponseRedirect(reverse("analysis:topic", args=[pk, new.pk]))


class TopicDeleteView(TopicMixin, View):
    template_name = "analysis/topic_delete.html"

    def render(self, error="", status=200):
        count = self.topic.links.count()
        context = self.base_context(topic=self.topic, count=count, error=error)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, topic):
        if not self.may_analyse:
            raise Http404
        return self.render()

    def post(self, request, pk, topic):
        try:
            services.delete_topic(topic=self.topic, actor=request.user)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            return self.render(" ".join(error.messages), status=400)
        messages.success(request, _("Emnet «%(title)s» er slettet.") % {"title": self.topic.title})
        return HttpResponseRedirect(reverse("analysis:analysis", args=[pk]))


class TopicUnlinkView(TopicMixin, View):
    """Take one response out of the topic (from the topic page or the response's staff page)."""

    def post(self, request, pk, topic, response):
        found = get_object_or_404(Response, pk=response, hearing=self.hearing)
        fallback = reverse("analysis:topic", args=[pk, topic])
        try:
            services.unlink_response(topic=self.topic, response=found, actor=request.user)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(safe_next(request, fallback))
        messages.success(
            request,
            _("Høringssvar nr. %(number)s er fjernet fra emnet «%(title)s».")
            % {"number": found.number, "title": self.topic.title},
        )
        return HttpResponseRedirect(safe_next(request, fallback))


# --- the panels of moderation's pages -----------------------------------------------------------------


def response_panel_context(request, *, response: Response, link_form: LinkForm | None = None) -> dict:
    """The analysis panel of a response's staff page (moderation.panels.response_page): its topics with
    quotes, the link form, similar responses and its campaign. Only for those who may analyse."""
    if not may_analyse(request.user, response.hearing):
        return {}
    panel = selectors.response_panel(response=response)
    linked = {link.topic_id for link in panel.links}
    choices = [t for t in panel.topics if t.pk not in linked]
    return {
        "analysis_panel": panel,
        "link_form": link_form or LinkForm(topics=choices),
        "link_choices": choices,
    }


class ResponseLinkView(StaffMixin, View):
    """A response's staff page: link it to a topic of its hearing, with an optional quote."""

    def post(self, request, pk):
        response = staff_selectors.staff_response(user=request.user, pk=pk)
        if not may_analyse(request.user, response.hearing):
            raise Http404
        topics = selectors.hearing_topics(hearing=response.hearing)
        form = LinkForm(request.POST, topics=topics)
        if form.is_valid():
            topic = next(t for t in topics if t.pk == form.cleaned_data["topic"])
            try:
                new = services.link_responses(
                    topic=topic, actor=request.user, responses=[response], quote=form.cleaned_data["quote"]
                )
            except (ValidationError, OperationalError, PermissionDenied) as error:
                _refused(form, error)
        if form.errors:
            context = response_page_context(user=request.user, response=response)
            context.update(response_panel_context(request, response=response, link_form=form))
            return render(request, RESPONSE_PAGE, context, status=400)
        values = {"number": response.number, "title": topic.title}
        if new:
            messages.success(
                request, _("Høringssvar nr. %(number)s er knyttet til emnet «%(title)s».") % values
            )
        else:
            messages.info(
                request, _("Høringssvar nr. %(number)s var allerede knyttet til emnet «%(title)s».") % values
            )
        return HttpResponseRedirect(reverse("moderation:response", args=[pk]) + "#analysis-heading")


def queue_panel_context(request, *, responses: list[Response]) -> dict:
    """The queue's "Knyt valgte til emne" (moderation.panels.queue_page): the topics of the hearings on the
    page that the user may analyse, grouped by hearing."""
    groups = selectors.queue_topics(user=request.user, responses=responses)
    return {"analysis_queue_topics": groups} if groups else {}


class BulkLinkView(StaffMixin, View):
    """The queue's selection linked to one topic; the refused responses are named, each with why."""

    def post(self, request):
        fallback = reverse("moderation:queue")
        topic_id = parse_id(request.POST.get("topic", ""))
        topic = (
            Topic.objects.select_related("hearing__strategy").filter(pk=topic_id).first()
            if topic_id
            else None
        )
        ids = [pk for pk in map(parse_id, request.POST.getlist("response")) if pk]
        if topic is None or not may_analyse(request.user, topic.hearing):
            messages.warning(request, _("Vælg det emne, som de valgte høringssvar skal knyttes til."))
            return HttpResponseRedirect(with_selection(safe_next(request, fallback), ids))
        responses = list(Response.objects.filter(pk__in=ids).order_by("number"))
        if not responses:
            messages.warning(request, _("Vælg de høringssvar, der skal knyttes til emnet."))
            return HttpResponseRedirect(safe_next(request, fallback))
        refused = [
            (r, reason) for r in responses if (reason := services.link_refusal(topic=topic, response=r))
        ]
        refused_ids = {r.pk for r, _reason in refused}
        accepted = [r for r in responses if r.pk not in refused_ids]
        new = 0
        if accepted:
            try:
                new = services.link_responses(topic=topic, actor=request.user, responses=accepted)
            except PermissionDenied as denied:
                raise Http404 from denied
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(safe_next(request, fallback))
            already = len(accepted) - new
            text = ngettext(
                "%(count)s høringssvar knyttet til emnet «%(title)s».",
                "%(count)s høringssvar knyttet til emnet «%(title)s».",
                new,
            ) % {"count": new, "title": topic.title}
            if already:
                text += " " + ngettext(
                    "%(count)s var allerede knyttet til det.",
                    "%(count)s var allerede knyttet til det.",
                    already,
                ) % {"count": already}
            messages.success(request, text)
        if refused:
            messages.warning(
                request,
                ngettext(
                    "%(count)s høringssvar blev ikke knyttet til emnet:",
                    "%(count)s høringssvar blev ikke knyttet til emnet:",
                    len(refused),
                )
                % {"count": len(refused)}
                + " "
                + " ".join(reason for _response, reason in refused),
            )
        return HttpResponseRedirect(safe_next(request, fallback))


def public_topics_context(request, *, hearing: Hearing) -> dict:
    """The hearing page's panel: the topics with the administration's remarks, once released."""
    return {"public_topics": selectors.public_topics(hearing=hearing)}


def register_panels() -> None:
    """Called once from ``AnalysisConfig.ready()``: the panels of moderation's pages and the hearing page."""
    from hearings.panels import hearing_page
    from moderation import panels

    panels.response_page.register(response_panel_context)
    panels.queue_page.register(queue_panel_context)
    hearing_page.register(public_topics_context)
