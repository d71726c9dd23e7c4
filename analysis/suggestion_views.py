"""The page "Forslag til emner" (suggested topics) of a hearing's analysis, and its three actions:
compute anew, accept (a topic is made, maybe renamed) and dismiss. Nothing is computed in a request:
"Beregn forslag igen" enqueues the task. Moderators and editors of the municipality act; council
members see the page and change nothing; everyone else gets a 404."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from hearings.models import Response
from portal.db import is_database_busy
from portal.forms import DkfdsFormMixin, TextField, add_service_errors

from . import suggestions
from .mixins import HearingMixin
from .models import TOPIC_TITLE_MAX_LENGTH, Suggestion
from .permissions import may_analyse

TEMPLATE = "analysis/suggestions.html"


class AcceptForm(DkfdsFormMixin, forms.Form):
    """The title of the topic made from a suggestion. Its length is checked by the service (whose Danish
    message says how long it was), so the browser does not cut a pasted title short."""

    title = TextField(label=gettext_lazy("Titel på emnet"), required=False)

    def __init__(self, *args, suggestion: Suggestion, **kwargs):
        super().__init__(*args, auto_id=f"id_s{suggestion.pk}_%s", **kwargs)
        self.fields["title"].help_text = _("Højst %(max)s tegn. I kan ændre den senere.") % {
            "max": TOPIC_TITLE_MAX_LENGTH
        }


@dataclass
class Row:
    """One suggestion on the page: its accept form, its first responses and how many it has."""

    suggestion: Suggestion
    form: AcceptForm
    first: list[Response]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.first)


def page(request, hearing, *, refused: tuple[int, AcceptForm] | None = None, status: int = 200):
    """The page as it is now; ``refused``: a suggestion's accept form as it was sent, with its errors."""
    analysis = suggestions.analysis_state(hearing=hearing)
    if refused:  # the keyboard starts where the error is
        refused[1].fields["title"].widget.attrs["autofocus"] = True
    items = suggestions.open_suggestions(hearing=hearing)
    may_change = may_analyse(request.user, hearing)
    rows = [
        Row(
            suggestion=item,
            form=refused[1]
            if refused and refused[0] == item.pk
            else AcceptForm(suggestion=item, initial={"title": suggestions.suggested_title(item)}),
            first=item.first,  # type: ignore[attr-defined]  # open_suggestions' prefetch
            count=item.response_count,  # type: ignore[attr-defined]  # and annotation
        )
        for item in items
    ]
    context = {
        "hearing": hearing,
        "analysis": analysis,
        "pending": suggestions.is_pending(analysis),
        "rows": rows,
        "may_change": may_change,
        "refused_pk": refused[0] if refused else None,
    }
    return render(request, TEMPLATE, context, status=status)


class SuggestionsView(HearingMixin, View):
    """GET: the page. POST: compute the suggestions anew (enqueued)."""

    def get(self, request, pk):
        return page(request, self.hearing)

    def post(self, request, pk):
        hearing = self.hearing
        try:
            suggestions.request_suggestions(hearing=hearing, actor=request.user)
        except PermissionDenied as denied:
            raise Http404 from denied
        except OperationalError as error:
            if not is_database_busy(error):
                raise
            messages.error(request, _("Portalen har travlt lige nu. Prøv igen om et øjeblik."))
            return HttpResponseRedirect(reverse("analysis:suggestions", args=[pk]))
        if suggestions.is_pending(suggestions.analysis_state(hearing=hearing)):
            messages.info(request, _("Forslagene beregnes. Det tager et øjeblik; genindlæs siden om lidt."))
        else:  # computed already (the demo and the tests run tasks at once)
            messages.success(request, _("Forslagene er beregnet."))
        return HttpResponseRedirect(reverse("analysis:suggestions", args=[pk]))


class SuggestionActionView(HearingMixin, View):
    """A POST on one suggestion of the hearing: accept it (``godtag``) or dismiss it (``afvis``)."""

    action = ""

    def post(self, request, pk, suggestion_pk):
        hearing = self.hearing
        suggestion = get_object_or_404(Suggestion, pk=suggestion_pk, hearing=hearing)
        back = HttpResponseRedirect(reverse("analysis:suggestions", args=[pk]))
        if self.action == "dismiss":
            try:
                suggestions.dismiss_suggestion(suggestion=suggestion, actor=request.user)
            except ValidationError as error:
                messages.info(request, " ".join(error.messages))
                return back
            except PermissionDenied as denied:
                raise Http404 from denied
            messages.success(request, _("Forslaget »%(label)s« er afvist.") % {"label": suggestion.label})
            return back
        form = AcceptForm(request.POST, suggestion=suggestion)
        if form.is_valid():
            try:
                topic = suggestions.accept_suggestion(
                    suggestion=suggestion, actor=request.user, title=form.cleaned_data["title"]
                )
            except ValidationError as error:
                if getattr(error, "code", None) == "decided":  # another moderator was first, or a resend
                    messages.info(request, " ".join(error.messages))
                    return back
                add_service_errors(form, error)
            except OperationalError as error:
                add_service_errors(form, error)
            except PermissionDenied as denied:
                raise Http404 from denied
        if form.errors:
            return page(request, hearing, refused=(suggestion.pk, form), status=400)
        count = topic.links.count()
        messages.success(
            request,
            _("Emnet »%(title)s« er oprettet med %(count)s høringssvar.")
            % {"title": topic.title, "count": count},
        )
        return back
