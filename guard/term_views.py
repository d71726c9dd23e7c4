"""The staff page of a municipality's own list of sensitive terms: its moderators and editors turn it on and
edit the words, its council members see it; anyone else (other municipalities' staff too) gets a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from moderation.views import StaffMixin
from portal.forms import add_service_errors
from strategies.models import Municipality

from . import term_services
from .models import TermList
from .term_forms import TermListForm


class TermListView(StaffMixin, View):
    template_name = "guard/terms.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.municipality = get_object_or_404(Municipality, pk=kwargs["pk"])
            if not term_services.may_see_terms(request.user, self.municipality):
                raise Http404
            self.may_change = term_services.may_change_terms(request.user, self.municipality)
            if request.method == "POST" and not self.may_change:
                raise Http404
            self.term_list = TermList.objects.filter(municipality=self.municipality).first()
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        context = {
            "municipality": self.municipality,
            "term_list": self.term_list,
            "terms": self.term_list.terms.splitlines() if self.term_list else [],
            "may_change": self.may_change,
            "form": form,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        form = None
        if self.may_change:
            initial = (
                {"enabled": self.term_list.enabled, "terms": self.term_list.terms} if self.term_list else {}
            )
            form = TermListForm(initial=initial)
        return self.render(form)

    def post(self, request, pk):
        form = TermListForm(request.POST)
        if form.is_valid():
            try:
                saved = term_services.save_terms(
                    municipality=self.municipality, actor=request.user, **form.cleaned_data
                )
            except PermissionDenied as error:
                raise Http404 from error
            except (ValidationError, OperationalError) as error:
                add_service_errors(form, error)
        if form.errors:
            return self.render(form, status=400)
        messages.success(
            request,
            _("Ordlisten er gemt og bruges nu.")
            if saved.enabled
            else _("Ordlisten er gemt. Den bruges ikke."),
        )
        return HttpResponseRedirect(reverse("guard_terms:terms", args=[self.municipality.pk]))
