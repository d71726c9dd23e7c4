"""The portal's text policy (portal/text.py): what it keeps, what it turns into a line break, what it
removes; that every text field and form field applies it; that the data migration puts old rows under it;
and that the HTML pages' guard holds when a row escaped it."""

import importlib
import xml.etree.ElementTree as ET

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse

from portal.fields import NormalisedTextMixin
from portal.forms import MarkdownFormField, MultilineField, TextField
from portal.migration_text import text_fields
from portal.text import clean_tree, normalise_line, normalise_text
from tests.accounts.factories import UserFactory
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.strategies.factories import StrategyFactory
from tests.textutil import write_raw

KEPT = "Høringssvar fra Åse Ørsted: æøå ÆØÅ, “citat” – 😀 👩‍👩‍👧, e\u0301, \u00a0\u00ad\u200d\ue000 \U00020000, \t."


def test_what_the_user_meant_is_kept():
    assert normalise_text(KEPT) is KEPT
    assert normalise_line("Åse Ørsted 😀") == "Åse Ørsted 😀"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Før\x0bEfter", "Før\nEfter"),  # the "manual line break" word processors paste
        ("Før\r\nEfter", "Før\nEfter"),
        ("Før\rEfter", "Før\nEfter"),
        ("Før\x0cEfter", "Før\nEfter"),
        ("Før\x85Efter", "Før\nEfter"),
        ("Før\u2028Efter", "Før\nEfter"),
        ("Før\u2029Efter", "Før\n\nEfter"),  # a paragraph
        ("Før\x00\x01\x08\x0e\x1b\x1fEfter", "FørEfter"),  # C0 controls but TAB and LF
        ("Før\x7f\x80\x9fEfter", "FørEfter"),  # DEL and C1
        ("Før\ufffe\uffffEfter", "FørEfter"),  # excluded by XML 1.0 §2.2
        ("Før\ufdd0\ufdef\U0001fffe\U0010ffffEfter", "FørEfter"),  # the other noncharacters
        ("Før\ud800Efter\udfff", "FørEfter"),  # unpaired surrogates
        ("Før \ud83d\ude00 Efter", "Før 😀 Efter"),  # a pair stands for one character
    ],
)
def test_line_breaks_become_lf_and_what_xml_cannot_carry_is_removed(typed, stored):
    assert normalise_text(typed) == stored
    assert normalise_text(stored) == stored  # idempotent
    ET.fromstring(f"<p>{stored}</p>".encode())  # a strict XML parser takes what is left


def test_a_single_line_gets_spaces_for_line_breaks():
    assert normalise_line("Anne\x0bMarie\nJensen\tA/S\u2029") == "Anne Marie Jensen A/S  "


def test_clean_tree_cleans_every_string_of_nested_data():
    data = {"a\x0b": ["b\x01", ("c\ufffe", 1, None)], "d": {"e": "f\u2028"}}
    assert clean_tree(data) == {"a\n": ["b", ("c", 1, None)], "d": {"e": "f\n"}}


# --- Every way in applies it --------------------------------------------------------------------------

OUR_APPS = ("accounts", "strategies", "hearings", "moderation", "documents", "notifications", "search")


def test_every_text_field_of_our_models_normalises():
    missing = [
        f"{model.__name__}.{name}"
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        for name, _multiline in text_fields(model)
        if not isinstance(model._meta.get_field(name.removesuffix("_id")), NormalisedTextMixin)
        and name != "password"  # a hash the code writes
    ]
    assert missing == []


def _form_classes(base):
    for subclass in base.__subclasses__():
        yield subclass
        yield from _form_classes(subclass)


def test_every_text_field_of_our_forms_normalises():
    for module in (
        "accounts.forms",
        "hearings.forms",
        "moderation.forms",
        "search.forms",
        "notifications.views",
        "portal.forms",
    ):
        importlib.import_module(module)
    missing = [
        f"{form.__name__}.{name}"
        for form in set(_form_classes(forms.BaseForm))
        if form.__module__.split(".")[0] in (*OUR_APPS, "portal")
        for name, field in form.base_fields.items()
        if type(field) is forms.CharField
        and (form.__name__, name) != ("SignupForm", "username")  # allauth drops it: we sign up by e-mail
    ]
    assert missing == []


def test_the_admin_and_model_forms_get_normalising_form_fields():
    from hearings.models import Hearing, HearingEvent, Response
    from strategies.models import Strategy

    assert type(Strategy._meta.get_field("title").formfield()) is TextField
    assert type(HearingEvent._meta.get_field("description").formfield()) is MultilineField
    assert type(Hearing._meta.get_field("intro").formfield()) is MarkdownFormField
    assert type(Response._meta.get_field("status").formfield()) is forms.TypedChoiceField
    field = Strategy._meta.get_field("intro").formfield()
    assert field.clean("Afsnit 1\x0bLinje 2\u2029Afsnit 2 😀") == "Afsnit 1\nLinje 2\n\nAfsnit 2 😀"
    assert Strategy._meta.get_field("title").formfield().clean(" Plan\x0b2030\ufffe ") == "Plan 2030"


@pytest.mark.django_db
def test_saving_updating_and_cleaning_a_model_normalise():
    response = ResponseFactory(display_name="Anne\x0bMarie", text="Før\x0bEfter\x01 😀")
    assert (response.display_name, response.text) == ("Anne Marie", "Før\nEfter 😀")  # the instance too
    response.refresh_from_db()
    assert (response.display_name, response.text) == ("Anne Marie", "Før\nEfter 😀")
    type(response).objects.filter(pk=response.pk).update(text="Igen\u2028\ufffe")
    response.refresh_from_db()
    assert response.text == "Igen\n"
    strategy = StrategyFactory()
    strategy.body = "Tekst\x0bmere"
    strategy.full_clean()  # what the admin does with what an editor typed
    assert strategy.body == "Tekst\nmere"
    user = UserFactory(name="Karen\x0bBorger\x00")
    user.refresh_from_db()
    assert user.name == "Karen Borger"


# --- Old rows ---------------------------------------------------------------------------------------------

BAD = "Før\x0bEfter\x01\ufffe\uffff\x7f\u2028slut"


@pytest.mark.django_db
def test_the_data_migration_puts_every_old_row_under_the_policy():
    from hearings.models import HearingEvent

    response = ResponseFactory()
    write_raw(response, display_name=BAD, organisation_name=BAD, town=BAD, text=BAD)
    write_raw(response.hearing, title=BAD, intro=BAD)
    write_raw(response.hearing.strategy, title=BAD, body=BAD)
    write_raw(response.hearing.strategy.municipality, name=BAD)
    event = HearingEvent.objects.create(hearing=response.hearing, title="-", starts_at=response.created_at)
    write_raw(event, place=BAD, description=BAD)
    write_raw(response.author, name=BAD)
    untouched = ResponseFactory(text="Ren tekst 😀")

    class SchemaEditor:
        connection = type("Connection", (), {"alias": "default"})

    for app, migration in (("hearings", "0009"), ("strategies", "0004"), ("accounts", "0003")):
        module = importlib.import_module(f"{app}.migrations.{migration}_normalise_text")
        module.Migration.operations[0].code(apps, SchemaEditor())

    one_line, lines = "Før Efter slut", "Før\nEfter\nslut"
    for obj, values in [
        (
            response,
            {"display_name": one_line, "organisation_name": one_line, "town": one_line, "text": lines},
        ),
        (response.hearing, {"title": one_line, "intro": lines}),
        (response.hearing.strategy, {"title": one_line, "body": lines}),
        (response.hearing.strategy.municipality, {"name": one_line}),
        (event, {"place": one_line, "description": lines}),
        (response.author, {"name": one_line}),
        (untouched, {"text": "Ren tekst 😀"}),
    ]:
        obj.refresh_from_db()
        assert {name: getattr(obj, name) for name in values} == values


# --- The pages' guard -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_never_carries_a_character_the_policy_removes(client, django_assert_num_queries):
    hearing = HearingFactory(title="Høringen")
    response = ResponseFactory(hearing=hearing, number=1)
    write_raw(response, display_name=BAD, text=BAD)
    write_raw(hearing, title=BAD)
    for url in (hearing.get_absolute_url(), response.get_absolute_url(), reverse("hearings:list")):
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert normalise_text(html) == html, url
        assert "Før Efter" in html or "Før\nEfter" in html or "Før<br>Efter" in html, url
    # The hearing page again, now from the page cache, which the guard does not search: kept clean.
    with django_assert_num_queries(0):
        page = client.get(hearing.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and page.text_policy_applied
    assert normalise_text(html) == html
    assert "Før Efter" in html or "Før\nEfter" in html or "Før<br>Efter" in html
