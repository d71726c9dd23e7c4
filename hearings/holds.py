"""Whether a response may be published at once: the checks that apps above the hearings app register (the
personal-data guard, ``guard.holds``), asked by ``hearings.services`` when a post-moderated response is
submitted or edited. The hearings app imports none of them."""

from collections.abc import Callable, Mapping

from .models import Hearing

# check(hearing, texts) -> True to hold the response back; ``texts`` maps the response's published fields
# ("text", "display_name", "organisation_name") to their cleaned values.
Check = Callable[[Hearing, Mapping[str, str]], bool]

_checks: list[Check] = []


def register(check: Check) -> None:
    """Called from an AppConfig.ready(); registering the same check twice keeps one."""
    if check not in _checks:
        _checks.append(check)


def holds(hearing: Hearing, texts: Mapping[str, str]) -> bool:
    """True if a registered check holds a response with ``texts`` back from publication: it then waits as
    pending with the reason ``ModerationReason.POSSIBLE_PERSONAL_DATA`` until a moderator has looked."""
    return any(check(hearing, texts) for check in _checks)
