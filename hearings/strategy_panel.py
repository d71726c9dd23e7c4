"""The hearing panel of a strategy or section page (registered with strategies.panels)."""

from strategies import selectors as strategy_selectors

from . import permissions, response_cache, selectors
from .forms import ResponseForm
from .models import Response
from .targets import TargetKey


def hearing_context(request, *, strategy, section=None) -> dict:
    """The hearing panel of a strategy or section page: the current hearing, whether this visitor may
    respond, the response form with the page's own target preselected and, on a section page, the
    published responses to the section (``response_list``, rendered or from the cache). On a section
    page, ``strategy`` has its sections' goals and themes (``with_contents``) for the form's targets;
    on a strategy page they are read only when the form is shown."""
    response_filter = selectors.ResponseFilter(respondent_type=request.GET.get("type", ""))
    hearing = selectors.current_hearing(strategy=strategy, section=section)
    if hearing is None:
        return {"hearing": None}
    context = {"hearing": hearing, "may_respond": permissions.can_respond(request.user, hearing)}
    if hearing.current_state == hearing.State.OPEN:

        def choices():  # read only if the form is shown: not to a visitor who may not respond
            sections = list(strategy.sections.all())
            if section is None:  # the strategy page read its sections without their goals and themes
                strategy_selectors.add_contents(sections)
            return selectors.target_choices(hearing=hearing, sections=sections)

        initial = {"target": str(TargetKey("section", section.pk) if section else TargetKey.strategy())}
        if request.user.is_authenticated:
            initial["display_name"] = request.user.name
        context["form"] = ResponseForm(initial=initial, target_choices=choices)
    if section is not None:
        page_number = request.GET.get("side")

        def response_list_context() -> dict:
            return {
                "page": selectors.published_responses(
                    hearing=hearing, section=section, response_filter=response_filter, page=page_number or 1
                ),
                "filter": response_filter,
                "respondent_types": Response.RespondentType.choices,
                "list_url": section.get_absolute_url(),
            }

        context["response_list"] = response_cache.response_list(
            hearing=hearing,
            section=section,
            response_filter=response_filter,
            page=page_number,
            build=response_list_context,
        ).filled()
    return context
