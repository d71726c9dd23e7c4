"""The admin for editors: their own municipality's strategies, sections and hearings, never another's."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hearings.models import Hearing
from strategies.models import Municipality, Section, Strategy
from tests.accounts.factories import StaffRoleFactory, VerifiedUserFactory
from tests.hearings.factories import HearingFactory


def user_with(role: str, municipality: Municipality, **kwargs):
    user = VerifiedUserFactory(is_staff=role == "editor", **kwargs)
    StaffRoleFactory(user=user, municipality=municipality, role=role)
    return user


@pytest.fixture
def editor(vallensbaek):
    return user_with("editor", vallensbaek.municipality, email="redaktoer@vallensbaek.dk")


@pytest.fixture
def hearings(vallensbaek, billund):
    return HearingFactory(strategy=vallensbaek), HearingFactory(strategy=billund)


def hearing_form(strategy: Strategy, **overrides) -> dict:
    now = timezone.localtime()
    data = {
        "strategy": strategy.pk,
        "section": "",
        "title": "Ny høring",
        "intro": "",
        "opens_at_0": (now + dt.timedelta(days=1)).strftime("%Y-%m-%d"),
        "opens_at_1": "08:00:00",
        "closes_at_0": (now + dt.timedelta(days=30)).strftime("%Y-%m-%d"),
        "closes_at_1": "12:00:00",
        "moderation": "post",
        "contact_name": "Planafdelingen",
        "contact_title": "",
        "contact_email": "plan@example.dk",
        "contact_phone": "",
        "personal_data_removal_on": (now + dt.timedelta(days=400)).strftime("%Y-%m-%d"),
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("model", ["strategy", "section", "hearing", "municipality"])
def test_the_lists_show_only_the_editors_municipality(client, editor, hearings, model):
    client.force_login(editor)
    html = client.get(
        reverse(f"admin:{'hearings' if model == 'hearing' else 'strategies'}_{model}_changelist")
    )
    assert html.status_code == 200
    text = html.content.decode()
    assert "Vallensbæk" in text or "Kommuneplanstrategi 2018" in text or "Delvision" in text
    assert "Billund" not in text and "Fremtidens Legeplads" not in text


def test_another_municipalitys_objects_are_404_by_id(client, editor, hearings, billund, vallensbaek):
    client.force_login(editor)
    section = Section.objects.filter(strategy=billund).first()
    for url in (
        reverse("admin:strategies_strategy_change", args=[billund.pk]),
        reverse("admin:strategies_strategy_delete", args=[billund.pk]),
        reverse("admin:strategies_strategy_history", args=[billund.pk]),
        reverse("admin:strategies_section_change", args=[section.pk]),
        reverse("admin:hearings_hearing_change", args=[hearings[1].pk]),
        reverse("admin:strategies_municipality_change", args=[billund.municipality_id]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "Overtaget"}).status_code == 404, url
    assert Strategy.objects.get(pk=billund.pk).title == "Fremtidens Legeplads"
    # ... and their own are theirs to edit.
    assert client.get(reverse("admin:strategies_strategy_change", args=[vallensbaek.pk])).status_code == 200
    assert client.get(reverse("admin:hearings_hearing_change", args=[hearings[0].pk])).status_code == 200


def test_an_editor_opens_a_hearing_on_their_own_strategy_only(client, editor, vallensbaek, billund):
    client.force_login(editor)
    add = reverse("admin:hearings_hearing_add")
    page = client.get(add).content.decode()
    assert f'<option value="{vallensbaek.pk}">' in page and f'<option value="{billund.pk}">' not in page

    refused = client.post(add, hearing_form(billund))
    assert refused.status_code == 200
    assert "Marker en gyldig valgmulighed." in refused.content.decode()  # Django's Danish "valid choice"
    assert not Hearing.objects.exists()

    created = client.post(add, hearing_form(vallensbaek))
    assert created.status_code == 302, created.content.decode()[:3000]
    assert Hearing.objects.get().strategy == vallensbaek


def test_an_editor_chooses_in_the_admin_whether_remarks_show_while_the_hearing_is_open(
    client, editor, vallensbaek
):
    hearing = HearingFactory(strategy=vallensbaek)
    assert not hearing.remarks_as_written
    client.force_login(editor)
    url = reverse("admin:hearings_hearing_change", args=[hearing.pk])
    assert 'name="remarks_as_written"' in client.get(url).content.decode()
    data = hearing_form(vallensbaek, remarks_as_written="on", title=hearing.title)
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    hearing.refresh_from_db()
    assert hearing.remarks_as_written


def test_what_an_editor_pastes_in_the_admin_is_stored_under_the_text_policy(client, editor, vallensbaek):
    """Issue 12, item 1: U+000B and U+2028 from a word processor are line breaks (spaces in a one-line
    field), control characters and noncharacters go; the rest is kept as typed."""
    client.force_login(editor)
    data = hearing_form(vallensbaek, title="Høring\x0bom havnen\ufffe", intro="Linje 1\x0bLinje 2\u2028æøå 😀\x01",
                        contact_name="Plan\x0bafdelingen")  # fmt: skip
    data.update({"events-TOTAL_FORMS": "1", "events-0-kind": "meeting", "events-0-title": "Møde\x0bpå rådhuset",
                 "events-0-starts_at_0": data["opens_at_0"], "events-0-starts_at_1": "18:00:00",
                 "events-0-place": "Rådhuset\x01\uffff"})  # fmt: skip
    created = client.post(reverse("admin:hearings_hearing_add"), data)
    assert created.status_code == 302, created.content.decode()[:3000]
    hearing = Hearing.objects.get()
    assert (hearing.title, hearing.intro, hearing.contact_name) == (
        "Høring om havnen", "Linje 1\nLinje 2\næøå 😀", "Plan afdelingen"
    )  # fmt: skip
    event = hearing.events.get()
    assert (event.title, event.place) == ("Møde på rådhuset", "Rådhuset")


def test_a_section_of_another_strategy_is_refused_with_a_clear_message(client, editor, vallensbaek):
    client.force_login(editor)
    strategy = Strategy.objects.create(
        municipality=vallensbaek.municipality, title="Anden strategi", slug="anden", status="draft"
    )
    section = vallensbaek.sections.first()
    refused = client.post(reverse("admin:hearings_hearing_add"), hearing_form(strategy, section=section.pk))
    assert "Delen hører til en anden strategi." in refused.content.decode()


def test_an_editor_edits_their_municipalitys_contact_block_but_adds_no_municipality(client, editor, seed):
    client.force_login(editor)
    assert client.get(reverse("admin:strategies_municipality_add")).status_code == 403


@pytest.mark.parametrize("role", ["moderator", "council"])
def test_staff_without_the_editor_role_have_no_admin(client, vallensbaek, role):
    user = user_with(role, vallensbaek.municipality)
    client.force_login(user)
    response = client.get(reverse("admin:strategies_strategy_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_editor_sees_no_other_admin_and_the_operator_sees_everything(
    client, editor, hearings, admin_client
):
    client.force_login(editor)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:hearings_response_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "Strateg" in index and "Høring" in index
    text = admin_client.get(reverse("admin:hearings_hearing_changelist")).content.decode()
    assert hearings[0].title in text and hearings[1].title in text
