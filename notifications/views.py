"""Following a hearing: the follow form (on the hearing page and its own page) and the unsubscribe
link of the e-mails, which works without signing in."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from hearings.models import Hearing
from portal.forms import DkfdsFormMixin

from . import follows, permissions, selectors
from .models import Follow


class FollowForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Follow
        fields = list(Follow.PREFERENCES)
        help_texts = {
            "on_own_response": gettext_lazy(
                "Bliver dit svar afvist eller skjult, får du altid besked med begrundelsen."
            )
        }


def follow_context(request, hearing: Hearing) -> dict:
    """The hearing page's follow box: may this visitor follow, do they, and the form."""
    decision = permissions.can_follow(request.user, hearing)
    follow = None
    if decision:
        follow = Follow.objects.filter(user=request.user, hearing=hearing).first()
    return {
        "may_follow": decision,
        "follow": follow,
        "follow_form": FollowForm(instance=follow, auto_id="follow-%s") if decision else None,
    }


class FollowView(LoginRequiredMixin, View):
    template_name = "notifications/follow.html"

    def dispatch(self, request, *args, **kwargs):
        self.hearing = selectors.public_hearing(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return render(
            request, self.template_name, {"hearing": self.hearing, **follow_context(request, self.hearing)}
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "unfollow":
            if follows.unfollow_hearing(user=request.user, hearing=self.hearing):
                messages.success(request, _("Du følger ikke længere høringen."))
            return redirect(self.hearing)
        form = FollowForm(request.POST, auto_id="follow-%s")
        if not form.is_valid():  # pragma: no cover - checkboxes are always valid
            return render(
                request, self.template_name, {"hearing": self.hearing, "follow_form": form}, status=400
            )
        try:
            follows.follow_hearing(user=request.user, hearing=self.hearing, preferences=form.cleaned_data)
        except PermissionDenied as refused:
            messages.error(request, str(refused) or _("Du kan ikke følge høringen."))
            return redirect(self.hearing)
        messages.success(request, _("Du følger høringen. Vi sender dig de e-mails, du har valgt."))
        return redirect(self.hearing)


@method_decorator(
    csrf_exempt, name="dispatch"
)  # the signed token is the authority (and one-click mail clients POST)
class UnsubscribeView(View):
    """GET asks (mail scanners open links); POST stops following. No sign-in needed."""

    template_name = "notifications/unsubscribe.html"

    def get(self, request, token):
        follow = follows.follow_from_token(token)
        return render(
            request, self.template_name, {"follow": follow, "done": False}, status=200 if follow else 404
        )

    def post(self, request, token):
        follow = follows.unsubscribe(token=token)
        return render(
            request, self.template_name, {"follow": follow, "done": True}, status=200 if follow else 404
        )
