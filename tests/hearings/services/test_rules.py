"""The rules of what people write (lengths, the postcode) are written once, in hearings.models, and the
forms, the services and the model fields all keep them (issue 13, item 3)."""

import pytest
from django.core.exceptions import ValidationError

from hearings import models, services
from hearings.forms import ResponseDetailsForm
from hearings.models import Response
from moderation import models as moderation_models
from moderation.forms import FlagForm, ModerationForm, RemarkForm
from moderation.models import Flag, Remark

DETAILS = {"respondent_type": "private", "display_name": "Karen", "town": "", "text": "Et svar."}


def service_errors(**values) -> dict:
    try:
        services._validate_author_fields(**{"organisation_name": "", "postcode": "", **DETAILS, **values})
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.parametrize(
    "postcode", ["2665", "", "0800", "266", "26650", "２６６５", "²²²²", "266a", " 2665 ", "26 5", "-266"]
)
def test_the_form_and_the_service_take_and_refuse_the_same_postcodes(postcode):
    form = ResponseDetailsForm({**DETAILS, "postcode": postcode})
    form.is_valid()
    refused_by_form = "postcode" in form.errors
    assert refused_by_form == ("postcode" in service_errors(postcode=postcode))
    if refused_by_form and len(postcode) == models.POSTCODE_LENGTH:
        assert form.errors["postcode"] == service_errors(postcode=postcode)["postcode"]


@pytest.mark.parametrize(
    ("field", "length"),
    [
        ("display_name", models.NAME_MAX_LENGTH),
        ("organisation_name", models.NAME_MAX_LENGTH),
        ("town", models.TOWN_MAX_LENGTH),
        ("postcode", models.POSTCODE_LENGTH),
    ],
)
def test_the_form_the_service_and_the_column_allow_the_same_length(field, length):
    assert ResponseDetailsForm().fields[field].max_length == length
    assert Response._meta.get_field(field).max_length == length
    too_long = ("1" if field == "postcode" else "x") * (length + 1)
    values = {"respondent_type": "association", "organisation_name": "Forening"}
    assert field in service_errors(**{**values, field: too_long})


def test_the_text_limits_are_the_same_for_the_form_and_the_service():
    text = "x" * (models.RESPONSE_TEXT_MAX_LENGTH + 1)
    form = ResponseDetailsForm({**DETAILS, "text": text})
    assert not form.is_valid() and "text" in form.errors
    assert "text" in service_errors(text=text)
    assert not service_errors(text="x" * models.RESPONSE_TEXT_MAX_LENGTH)
    assert RemarkForm().fields["text"].max_length == moderation_models.REMARK_MAX_LENGTH
    assert Remark._meta.get_field("text").max_length == moderation_models.REMARK_MAX_LENGTH
    assert FlagForm().fields["note"].max_length == moderation_models.FLAG_NOTE_MAX_LENGTH
    assert Flag._meta.get_field("note").max_length == moderation_models.FLAG_NOTE_MAX_LENGTH
    assert ModerationForm().fields["note"].max_length == moderation_models.MODERATION_NOTE_MAX_LENGTH
