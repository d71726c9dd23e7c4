"""The campaign pages: a hearing's campaigns (enslydende høringssvar), one campaign with what each member
adds, and staff's corrections (take a response out, merge two campaigns). The municipality's moderators,
editors and council members see them; only moderators and editors change them (analysis.permissions).
Everything shown was computed by a task (analysis.tasks); the pages only read."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from hearings.models import Hearing
from portal.forms import add_service_errors

from . import campaigns, diff, selectors
from .mixins import HearingMixin
from .models import Campaign
from .permissions import may_analyse

MEMBERS_PER_PAGE = 50
SHARED_TEXT_PREVIEW = 600  # characters of the shared text shown before "Vis hele teksten"


def size_label(size: int) -> str:
    """'312 høringssvar med (næsten) enslydende tekst', the number written the Danish way (1.240)."""
    return ngettext(
        "%(count)s høringssvar med (næsten) enslydende tekst",
        "%(count)s høringssvar med (næsten) enslydende tekst",
        size,
    ) % {"count": number_format(size, force_grouping=True)}


class MergeForm(forms.Form):
    """Which campaign goes into which, by id; the view looks them up and the service checks them."""

    campaign = forms.IntegerField(
        label=gettext_lazy("Kampagne"),
        error_messages={"required": gettext_lazy("Vælg den kampagne, der skal lægges sammen.")},
    )
    into = forms.IntegerField(
        label=gettext_lazy("Læg sammen med"),
        error_messages={"required": gettext_lazy("Vælg den kampagne, den skal lægges sammen med.")},
    )


def list_context(*, user, hearing: Hearing, form: MergeForm | None = None) -> dict:
    rows = campaigns.campaign_overview(hearing)
    return {
        "hearing": hearing,
        "rows": [(row, size_label(row.size)) for row in rows],
        # Over the same responses as the Analyse page's count, so that both pages say one number.
        "distinct": campaigns.distinct_text_count(hearing, responses=selectors.counted_responses(hearing)),
        "unanalysed": campaigns.unanalysed_count(hearing),
        "may_analyse": may_analyse(user, hearing),
        "form": form or MergeForm(),
        "preview": SHARED_TEXT_PREVIEW,
    }


class CampaignListView(HearingMixin, TemplateView):
    template_name = "analysis/campaigns.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **list_context(user=self.request.user, hearing=self.hearing),
        }


class MergeCampaignsView(HearingMixin, View):
    def post(self, request, pk):
        hearing = self.hearing
        form = MergeForm(request.POST)
        if form.is_valid():
            campaign = Campaign.objects.filter(pk=form.cleaned_data["campaign"], hearing=hearing).first()
            into = Campaign.objects.filter(pk=form.cleaned_data["into"]).first()
            if campaign is None:
                form.add_error("campaign", _("Kampagnen findes ikke (længere) i denne høring."))
            if into is None:
                form.add_error("into", _("Kampagnen findes ikke (længere)."))
            if campaign is not None and into is not None:
                try:
                    merged = campaigns.merge_campaigns(campaign=campaign, into=into, actor=request.user)
                except (ValidationError, OperationalError) as error:
                    add_service_errors(form, error)
                except PermissionDenied as denied:
                    raise Http404 from denied
        if form.errors:
            context = list_context(user=request.user, hearing=hearing, form=form)
            return render(request, "analysis/campaigns.html", context, status=400)
        messages.success(request, _("Kampagnerne er lagt sammen."))
        return HttpResponseRedirect(reverse("analysis:campaign", kwargs={"pk": pk, "campaign": merged.pk}))


class AnalyseHearingView(HearingMixin, View):
    """ "Analysér hele høringen": the hearing's campaigns and similar responses computed anew, by a task."""

    def post(self, request, pk):
        try:
            campaigns.request_analysis(hearing=self.hearing, actor=request.user)
        except PermissionDenied as denied:
            raise Http404 from denied
        messages.success(
            request,
            _(
                "Høringen analyseres nu. Kampagner og lignende høringssvar er opdateret om lidt; genindlæs siden."
            ),
        )
        return HttpResponseRedirect(reverse("analysis:campaigns", kwargs={"pk": pk}))


class CampaignView(HearingMixin, TemplateView):
    template_name = "analysis/campaign.html"

    def get_context_data(self, **kwargs):
        hearing = self.hearing
        row = campaigns.campaign_row(hearing, self.kwargs["campaign"])
        if row is None:
            raise Http404
        page = Paginator(campaigns.campaign_members(row.campaign), MEMBERS_PER_PAGE).get_page(
            self.request.GET.get("side")
        )
        members = [(response, diff.additions(row.shared_text, response.text)) for response in page]
        return {
            **super().get_context_data(**kwargs),
            "hearing": hearing,
            "row": row,
            "label": size_label(row.size),
            "page": page,
            "members": members,
            "may_analyse": self.may_analyse,
        }


class SplitFromCampaignView(HearingMixin, View):
    def post(self, request, pk, campaign, response):
        hearing = self.hearing
        found = get_object_or_404(
            campaigns.campaign_members(get_object_or_404(Campaign, pk=campaign, hearing=hearing)), pk=response
        )
        try:
            campaigns.split_from_campaign(response=found, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as denied:
            raise Http404 from denied
        else:
            messages.success(
                request, _("Høringssvar nr. %(number)s er taget ud af kampagnen.") % {"number": found.number}
            )
        if Campaign.objects.filter(pk=campaign).exists():
            return HttpResponseRedirect(reverse("analysis:campaign", kwargs={"pk": pk, "campaign": campaign}))
        return HttpResponseRedirect(reverse("analysis:campaigns", kwargs={"pk": pk}))
