"""The personal-data services: download my data (GDPR art. 15 and 20) and delete my account (art. 17).

The account itself is the accounts app's; what else the portal holds about a person (responses, flags,
follows …) belongs to the apps above, which this app does not import. Each such app registers a
``Holder`` in its ``AppConfig.ready``: a section of the download and a step of the deletion."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction

from portal.text import clean_tree

from .models import User


@dataclass(frozen=True)
class Holder:
    """``section`` names the part of the download (Danish, as the citizen reads it); ``export(user)``
    returns its JSON-able content; ``erase(user)``, if any, runs inside the deletion's transaction, before
    the user row goes (what it leaves must not point at the user: ``on_delete`` does the rest)."""

    section: str
    export: Callable[[User], Any]
    erase: Callable[[User], None] | None = None


_holders: dict[str, Holder] = {}


def register(holder: Holder) -> None:
    """Add (or, by the same section, replace) a holder; called from AppConfig.ready."""
    _holders[holder.section] = holder


def stamp(value: dt.datetime | None) -> str | None:
    """A time as ISO 8601 for the download, or None."""
    return value.isoformat() if value else None


def export_user_data(*, user: User) -> dict[str, Any]:
    """Everything the portal holds about ``user``: {"bruger": …, "e-mailadresser": […], section: …}.
    Every text under the portal's text policy (``clean_tree``): a lone surrogate could not be written as
    UTF-8, and a control character would be in the file as an escape no reader expects."""
    data: dict[str, Any] = {
        "bruger": {
            "e-mail": user.email,
            "navn": user.name,
            "oprettet": stamp(user.date_joined),
            "sidst_logget_ind": stamp(user.last_login),
        },
        "e-mailadresser": [
            {"e-mail": a.email, "bekræftet": a.verified, "primær": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
    }
    for section, holder in _holders.items():
        data[section] = holder.export(user)
    cleaned: dict[str, Any] = clean_tree(data)
    return cleaned


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Delete ``user``: every holder's ``erase`` first, then the user row. Holders erase in the reverse of
    their registration order (the order of INSTALLED_APPS, which follows the layers): an app above erases
    what it keeps of a lower app's rows while those still point at the user (the guard's unredacted
    originals of the user's responses before the hearings app unlinks the responses from the user)."""
    for holder in reversed(list(_holders.values())):
        if holder.erase is not None:
            holder.erase(user)
    user.delete()
