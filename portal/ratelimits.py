"""Rate limits: allauth's for sign-in, sign-up and password reset, django-ratelimit's for responses.

Both count in Django's cache, which is Redis when REDIS_URL is set, so every web process shares the
counts (``portal.cache.FailOpenRedisCache``; the demo without Redis counts per process in LocMem).
When a limit is hit the visitor gets a page in Danish (with an English line) and status 429, and
whatever they typed into a form is shown again, never thrown away (passwords excepted).
"""

import logging
from http import HTTPStatus

from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)

# allauth's form views whose form the 429 page shows again: url name -> (allauth form name, default class).
ALLAUTH_FORMS = {
    "account_login": ("login", "LoginForm"),
    "account_signup": ("signup", "SignupForm"),
    "account_reset_password": ("reset_password", "ResetPasswordForm"),
}


def is_limited(request, *, group: str, rate: str, key: str = "user_or_ip") -> bool:
    """Count this request against ``rate`` (e.g. "10/10m") and say whether it is over the limit."""
    if not rate:
        return False
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
    except Exception:
        # Counting must never cost a citizen their response (portal.cache already fails open).
        logger.exception("Rate limit %s could not be counted; the request is let through", group)
        return False


def _retyped_form(request):
    """The allauth form the visitor posted, filled with what they typed (passwords left out)."""
    match = request.resolver_match
    if request.method != "POST" or match is None or match.url_name not in ALLAUTH_FORMS:
        return None
    # allauth's forms import its models: not importable while the URLconf (which imports this) loads.
    from allauth.account import app_settings, forms
    from allauth.utils import get_form_class

    name, default = ALLAUTH_FORMS[match.url_name]
    form_class = get_form_class(app_settings.FORMS, name, getattr(forms, default))
    initial = {
        field: value
        for field, value in request.POST.items()
        if field != "csrfmiddlewaretoken" and "password" not in field
    }
    kwargs = {"request": request} if name == "login" else {}
    return form_class(initial=initial, **kwargs)


def too_many_requests(request, exception=None):
    """allauth's 429 (it looks up ``handler429`` in the root URLconf)."""
    context = {"form": _retyped_form(request), "action": request.get_full_path()}
    return render(request, "429.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)
