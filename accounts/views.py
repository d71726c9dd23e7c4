import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import personal_data


class MyDataView(LoginRequiredMixin, TemplateView):
    """'Mine data': download everything the portal holds about you, or delete your account."""

    template_name = "accounts/my_data.html"


class MyDataDownloadView(LoginRequiredMixin, View):
    def get(self, request):
        data = personal_data.export_user_data(user=request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="hoeringsportalen-mine-data-{stamp}.json"'
        return response


class DeleteAccountView(LoginRequiredMixin, View):
    template_name = "accounts/delete_account.html"

    def get(self, request):
        return render(request, self.template_name)

    def post(self, request):
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                self.template_name,
                {"error": _("Sæt flueben for at bekræfte, at du vil slette din konto.")},
                status=400,
            )
        user = request.user
        logout(request)
        personal_data.delete_account(user=user)
        messages.success(request, _("Din konto er slettet."))
        return redirect("home")
