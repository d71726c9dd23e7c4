from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.rules import Decision
from portal.forms import add_service_errors
from portal.ratelimits import is_limited
from strategies import selectors as strategy_selectors

from . import page_cache, panels, permissions, response_cache, selectors, services, submission
from .attachments import CONTENT_TYPES, download_name
from .forms import ResponseDetailsForm, ResponseForm
from .models import ModerationReason, Response, ResponseAttachment
from .targets import TargetKey


class HearingListView(TemplateView):
    template_name = "hearings/hearing_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **selectors.hearing_list()}


class HearingDetailView(TemplateView):
    """The hearing page. Readers who are not signed in get it whole from hearings.page_cache."""

    template_name = "hearings/hearing_detail.html"

    def get(self, request, *args, **kwargs):
        self.page = page_cache.AnonymousPage(request, self.kwargs["pk"])
        if (cached := self.page.cached_response()) is not None:
            return cached
        response = super().get(request, *args, **kwargs)
        return self.page.finish(
            response, hearing=response.context_data["hearing"], listed=response.context_data["listed"]
        )

    def get_context_data(self, **kwargs):
        response_filter = selectors.ResponseFilter.from_query(self.request.GET)
        hearing = selectors.hearing_detail(pk=self.kwargs["pk"])
        page_number = self.request.GET.get("side")

        def response_list_context() -> dict:
            return {
                "page": selectors.published_responses(
                    hearing=hearing, response_filter=response_filter, page=page_number or 1
                ),
                "filter": response_filter,
                "target_choices": selectors.flat_target_choices(selectors.target_choices(hearing=hearing)),
                "respondent_types": Response.RespondentType.choices,
                "list_url": hearing.get_absolute_url(),
            }

        listed = response_cache.response_list(
            hearing=hearing, response_filter=response_filter, page=page_number, build=response_list_context
        )
        return {
            **super().get_context_data(**kwargs),
            "hearing": hearing,
            "strategy": hearing.strategy,
            "municipality": hearing.strategy.municipality,
            "response_list": self.page.list_html(listed),
            "listed": listed,
            "may_respond": permissions.can_respond(self.request.user, hearing),
            **panels.hearing_page.context(self.request, hearing=hearing),
            **self.page.context(),
        }


class ResponseCreateView(View):
    """'Har du nogle kommentarer?': the form's own page (reached from a goal or theme, or shown again
    with the user's input and the errors), and where every response form posts to."""

    template_name = "hearings/response_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.hearing = selectors.hearing_detail(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None, files=None):
        initial = {"target": self.request.GET.get("target", str(TargetKey.strategy()))}
        if self.request.user.is_authenticated:
            initial["display_name"] = self.request.user.name
        return ResponseForm(
            data, files, initial=initial, target_choices=selectors.target_choices(hearing=self.hearing)
        )

    def render(self, form, status=200):
        context = {
            "hearing": self.hearing,
            "strategy": self.hearing.strategy,
            "municipality": self.hearing.strategy.municipality,
            "form": form,
            "may_respond": permissions.can_respond(self.request.user, self.hearing),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if not request.user.is_authenticated:
            # Keep nothing secret, lose nothing typed: the form is shown again with a login link.
            form.is_valid()
            return self.render(form, status=403)
        if not form.is_valid():
            return self.render(form, status=400)
        if is_limited(request, group="hearings:respond", rate=settings.RESPONSE_RATE_LIMIT):
            form.add_error(
                None,
                _(
                    "Du har sendt mange høringssvar på kort tid. Vent et par minutter, og send igen. Det, du har skrevet, er bevaret herunder."
                ),
            )
            return self.render(form, status=429)
        data = form.cleaned_data
        try:
            response = services.submit_response(
                submission_token=data["submission_token"],
                hearing=self.hearing,
                author=request.user,
                target_key=data["target"],
                respondent_type=data["respondent_type"],
                organisation_name=data["organisation_name"],
                display_name=data["display_name"],
                postcode=data["postcode"],
                town=data["town"],
                text=data["text"],
                consent=data["consent"],
                attachments=data["attachments"],
            )
        except submission.AlreadySubmitted as earlier:
            return self.already_submitted(form, earlier)
        except services.ResponseRefused as refused:
            form.add_error(None, refused.message)
            return self.render(form, status=403)
        except (ValidationError, OperationalError) as error:
            add_service_errors(form, error)  # busy: sending the same token again files it once
            return self.render(form, status=503 if isinstance(error, OperationalError) else 400)
        return redirect("hearings:receipt", public_id=response.public_id)

    def already_submitted(self, form, earlier: "submission.AlreadySubmitted"):
        """This form was sent before. The same text again (a double click, the browser's resubmit): the
        first post's receipt. Another text (sent again from the browser's history after changes): the
        form again with what was typed and a fresh token, so that sending it files it as a new response."""
        number = earlier.response.number
        if earlier.same:
            messages.info(
                self.request,
                _("Dit høringssvar nr. %(number)s var allerede modtaget; det er kun gemt én gang.")
                % {"number": number},
            )
            return redirect("hearings:receipt", public_id=earlier.response.public_id)
        data = self.request.POST.copy()
        data["submission_token"] = submission.new_submission_token()
        form = self.form(data, self.request.FILES)
        form.is_valid()
        form.add_error(
            None,
            _(
                "Du har allerede sendt et høringssvar fra denne side (nr. %(number)s). Teksten herunder er "
                "ikke sendt; tryk Send høringssvar, hvis den skal sendes som et nyt høringssvar."
            )
            % {"number": number},
        )
        return self.render(form, status=409)


class ReceiptView(LoginRequiredMixin, TemplateView):
    template_name = "hearings/receipt.html"

    def get_context_data(self, **kwargs):
        response = selectors.own_response(user=self.request.user, public_id=self.kwargs["public_id"])
        return {**super().get_context_data(**kwargs), "response": response, "hearing": response.hearing}


class ResponseDetailView(TemplateView):
    template_name = "hearings/response_detail.html"

    def get_context_data(self, **kwargs):
        hearing = selectors.hearing_detail(pk=self.kwargs["pk"])
        response = get_object_or_404(
            hearing.responses.published()
            .select_related("target_section__strategy", "target_goal", "target_theme")
            .prefetch_related("attachments"),
            number=self.kwargs["number"],
        )
        selectors.check_attachment_names(hearing=hearing, responses=[response])
        return {**super().get_context_data(**kwargs), "hearing": hearing, "response": response}


class AttachmentDownloadView(View):
    """Attachments are served as downloads with a safe name, only where the response may be read and the
    file is public (``permissions.can_download_attachment``); the author always gets their own."""

    def get(self, request, pk):
        attachment = get_object_or_404(ResponseAttachment.objects.select_related("response"), pk=pk)
        if not permissions.can_download_attachment(request.user, attachment) or not attachment.file:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(attachment),
            content_type=CONTENT_TYPES[attachment.kind],
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class MyResponsesView(LoginRequiredMixin, TemplateView):
    template_name = "hearings/my_responses.html"

    def get_context_data(self, **kwargs):
        responses = list(selectors.responses_of(user=self.request.user))
        for response in responses:
            response.may_change = permissions.can_change_own_response(self.request.user, response)
        return {**super().get_context_data(**kwargs), "responses": responses}


class ResponseEditView(LoginRequiredMixin, View):
    template_name = "hearings/response_edit.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.response = selectors.own_response(user=request.user, public_id=kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        decision = permissions.can_change_own_response(self.request.user, self.response)
        context = {
            "response": self.response,
            "hearing": self.response.hearing,
            "form": form,
            "decision": decision,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        r = self.response
        initial = {
            "respondent_type": r.respondent_type,
            "organisation_name": r.organisation_name,
            "display_name": r.display_name,
            "postcode": r.postcode,
            "town": r.town,
            "text": r.text,
        }
        return self.render(ResponseDetailsForm(initial=initial))

    def post(self, request, *args, **kwargs):
        form = ResponseDetailsForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            edited = services.edit_response(response=self.response, user=request.user, **form.cleaned_data)
        except services.ResponseRefused as refused:
            form.add_error(None, refused.message)
            return self.render(form, status=403)
        except (ValidationError, OperationalError) as error:
            add_service_errors(form, error)
            return self.render(form, status=503 if isinstance(error, OperationalError) else 400)
        done = _("Dit høringssvar nr. %(number)s er rettet.") % {"number": edited.number}
        if (
            edited.status == Response.Status.PENDING
            and edited.moderation_reason == ModerationReason.POSSIBLE_PERSONAL_DATA
        ):
            done += " " + _(
                "Det kan indeholde personoplysninger og offentliggøres først, når en medarbejder har kontrolleret det."
            )
        messages.success(request, done)
        return HttpResponseRedirect(reverse("hearings:my_responses"))


class ResponseWithdrawView(LoginRequiredMixin, View):
    template_name = "hearings/response_withdraw.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.response = selectors.own_response(user=request.user, public_id=kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        decision = permissions.can_change_own_response(request.user, self.response)
        return render(request, self.template_name, {"response": self.response, "decision": decision})

    def post(self, request, *args, **kwargs):
        try:
            services.withdraw_response(response=self.response, user=request.user)
        except services.ResponseRefused as refused:
            return render(
                request,
                self.template_name,
                {"response": self.response, "decision": Decision(False, refused.message)},
                status=403,
            )
        messages.success(
            request,
            _("Dit høringssvar nr. %(number)s er trukket tilbage.") % {"number": self.response.number},
        )
        return HttpResponseRedirect(reverse("hearings:my_responses"))


class HomeView(TemplateView):
    """The front page: per municipality its open hearings with their deadline, then upcoming and recently
    closed ones; below, every municipality and its published strategies."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            hearing_groups=selectors.front_page_hearings(),
            municipalities=strategy_selectors.municipality_list(),
            **kwargs,
        )
