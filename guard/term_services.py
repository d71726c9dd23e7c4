"""A municipality's own list of sensitive terms (guard.models.TermList, issue 15, item 2): who may change it
and the one function that does. The finders find the terms as hints of low confidence ("sensitive"): shown
to staff, never holding a response back (``guard.scanning.terms_of``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import rules
from strategies.models import Municipality

from .models import TermList

TERM_MIN_LENGTH = 3  # a shorter stem would be found at the start of half the words of a text
TERM_MAX_LENGTH = 100
MAX_TERMS = 500


def may_see_terms(user: object, municipality: Municipality) -> bool:
    """The municipality's staff (moderators, editors, council members) see its list."""
    return rules.has_role(user, municipality.pk, rules.MODERATOR, rules.EDITOR, rules.COUNCIL)


def may_change_terms(user: object, municipality: Municipality) -> bool:
    """The municipality's moderators and editors change its list (as they moderate and analyse)."""
    return rules.has_role(user, municipality.pk, rules.MODERATOR, rules.EDITOR)


def clean_terms(text: str) -> list[str]:
    """The terms of ``text``, one a line: stripped, empty lines and repeats (ignoring case) left out, in
    the order written. Raises ValidationError (Danish, on the field ``terms``) for a term shorter than
    ``TERM_MIN_LENGTH`` or longer than ``TERM_MAX_LENGTH`` characters, or more than ``MAX_TERMS`` terms."""
    terms: list[str] = []
    seen: set[str] = set()
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        term = " ".join(line.split())
        if not term or term.casefold() in seen:
            continue
        if len(term) < TERM_MIN_LENGTH:
            errors.append(
                _("Linje %(line)s, «%(term)s», er for kort: et ord skal have mindst %(min)s tegn.")
                % {"line": number, "term": term, "min": TERM_MIN_LENGTH}
            )
        elif len(term) > TERM_MAX_LENGTH:
            errors.append(
                _("Linje %(line)s er for lang: højst %(max)s tegn pr. ord eller udtryk (den har %(length)s).")
                % {"line": number, "max": TERM_MAX_LENGTH, "length": len(term)}
            )
        seen.add(term.casefold())
        terms.append(term)
    if len(terms) > MAX_TERMS:
        errors.append(
            _("Listen må højst have %(max)s ord eller udtryk (den har %(count)s).")
            % {"max": MAX_TERMS, "count": len(terms)}
        )
    if errors:
        raise ValidationError({"terms": errors})
    return terms


@transaction.atomic
def save_terms(*, municipality: Municipality, enabled: bool, terms: str, actor: object) -> TermList:
    """Save ``municipality``'s list: whether it is used, and its terms (``clean_terms``, stored one a line).
    Raises PermissionDenied unless ``may_change_terms(actor, municipality)``, ValidationError (Danish)
    for a bad term or a list turned on without any."""
    if not may_change_terms(actor, municipality):
        raise PermissionDenied
    cleaned = clean_terms(terms)
    if enabled and not cleaned:
        raise ValidationError({"terms": _("Skriv mindst ét ord, før ordlisten tages i brug.")})
    term_list, _created = TermList.objects.select_for_update().get_or_create(municipality=municipality)
    term_list.enabled = enabled
    term_list.terms = "\n".join(cleaned)
    term_list.save()
    return term_list
