"""A municipality's own word list (guard.models.TermList, issue 15, item 2): its staff page
(guard.term_views), who may see and change it, bad input, the admin, and the terms found as hints."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from guard import term_services
from guard.models import TermList
from guard.scanning import review_response, scan_fields, terms_of
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.hearings.factories import add

TEXT = "Børnene i Skovbørnehaven Troldehøjen har brug for en sikker skolevej."


def url(municipality) -> str:
    return reverse("guard_terms:terms", args=[municipality.pk])


@pytest.fixture
def municipality(open_hearing):
    return open_hearing.strategy.municipality


@pytest.fixture
def council(municipality):
    return staff(municipality, "council", "raad@vallensbaek.dk")


def post(client, municipality, *, enabled=True, terms="Troldehøj\nSkovbørnehaven"):
    data = {"terms": terms}
    if enabled:
        data["enabled"] = "on"
    return client.post(url(municipality), data)


@pytest.mark.parametrize("who", ["moderator", "editor"])
def test_moderators_and_editors_turn_the_list_on_and_its_terms_become_hints(client, request, municipality,
                                                                            open_hearing, who):  # fmt: skip
    client.force_login(request.getfixturevalue(who))
    page = client.get(url(municipality))
    assert page.status_code == 200
    assert "Ordliste over følsomme ord" in page.content.decode()
    answer = post(client, municipality, terms="  Troldehøj \n\nSkovbørnehaven\ntroldehøj\n")
    assert answer.status_code == 302
    assert "Ordlisten er gemt og bruges nu." in client.get(answer.url).content.decode()
    saved = TermList.objects.get(municipality=municipality)
    assert (saved.enabled, saved.terms) == (True, "Troldehøj\nSkovbørnehaven")  # stripped, once each

    # The finders find them as hints of low confidence, on the staff's findings and in the Review.
    assert terms_of(open_hearing) == ["Troldehøj", "Skovbørnehaven"]
    (scanned,) = scan_fields({"text": TEXT}, terms=terms_of(open_hearing))
    assert [(f.kind, f.text, f.confidence) for f in scanned.findings] == [
        ("sensitive", "Skovbørnehaven", "low"),
        ("sensitive", "Troldehøjen", "low"),
    ]
    review = review_response(add(open_hearing, text=TEXT, display_name="Borger"))
    assert (review.high, review.low, review.kinds) == (0, 2, ["sensitive"])


def test_a_list_turned_off_keeps_its_terms_and_finds_nothing(client, moderator, municipality, open_hearing):
    client.force_login(moderator)
    post(client, municipality)
    answer = post(client, municipality, enabled=False)
    assert "Ordlisten er gemt. Den bruges ikke." in client.get(answer.url).content.decode()
    assert TermList.objects.get(municipality=municipality).terms == "Troldehøj\nSkovbørnehaven"
    assert terms_of(open_hearing) == []
    assert review_response(add(open_hearing, text=TEXT, display_name="Borger")).low == 0
    html = client.get(url(municipality)).content.decode()
    assert "Troldehøj\nSkovbørnehaven</textarea>" in html
    assert 'name="enabled"' in html and "checked" not in html.split('name="enabled"')[1].split(">")[0]


def test_council_members_see_the_list_and_change_nothing(client, moderator, council, municipality):
    client.force_login(moderator)
    post(client, municipality)
    client.force_login(council)
    html = client.get(url(municipality)).content.decode()
    assert "Ordlisten bruges" in html and "<li>Troldehøj</li>" in html
    assert "<textarea" not in html
    assert post(client, municipality, terms="Andet").status_code == 404
    assert TermList.objects.get(municipality=municipality).terms == "Troldehøj\nSkovbørnehaven"


@pytest.mark.parametrize("who", ["other_moderator", "citizen", "staff_of_nothing"])
def test_anyone_else_gets_a_404(client, municipality, billund, who):
    user = {
        "other_moderator": lambda: staff(billund.municipality, "moderator", "moderator@billund.dk"),
        "citizen": lambda: VerifiedUserFactory(),
        "staff_of_nothing": lambda: VerifiedUserFactory(is_staff=True),
    }[who]()
    client.force_login(user)
    assert client.get(url(municipality)).status_code == 404
    assert post(client, municipality).status_code == 404
    assert client.get(reverse("guard_terms:terms", args=[10**9])).status_code == 404
    assert not TermList.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, municipality):
    answer = client.get(url(municipality))
    assert answer.status_code == 302 and "/konto/login/" in answer.url


@pytest.mark.parametrize(
    ("terms", "enabled", "message"),
    [
        ("Troldehøj\nab", True, "Linje 2, «ab», er for kort: et ord skal have mindst 3 tegn."),
        ("x" * 101, True, "Linje 1 er for lang: højst 100 tegn pr. ord eller udtryk (den har 101)."),
        (
            "\n".join(f"ord{i}" for i in range(501)),
            True,
            "Listen må højst have 500 ord eller udtryk (den har 501).",
        ),
        ("  \n ", True, "Skriv mindst ét ord, før ordlisten tages i brug."),
    ],
)
def test_bad_input_is_refused_in_danish_and_what_was_typed_is_kept(client, moderator, municipality, terms,
                                                                    enabled, message):  # fmt: skip
    client.force_login(moderator)
    answer = post(client, municipality, terms=terms, enabled=enabled)
    html = answer.content.decode()
    assert answer.status_code == 400
    assert escape(message) in html
    assert 'id="id_terms_error"' in html
    assert f">\n{escape(terms)}</textarea>" in html
    assert not TermList.objects.exists()


def test_the_service_checks_the_municipality(municipality, billund):
    other = staff(billund.municipality, "editor", "redaktoer@billund.dk")
    with pytest.raises(term_services.PermissionDenied):
        term_services.save_terms(municipality=municipality, enabled=True, terms="Troldehøj", actor=other)


def test_the_hearing_overview_links_to_the_list(client, moderator, open_hearing, municipality):
    client.force_login(moderator)
    html = client.get(reverse("moderation:overview", args=[open_hearing.pk])).content.decode()
    assert f'href="{url(municipality)}"' in html


def test_the_admin_is_scoped_and_checks_the_terms(client, municipality, billund):
    TermList.objects.create(municipality=billund.municipality, enabled=True, terms="Legeplads")
    editor = staff(municipality, "editor", "redaktoer@vallensbaek.dk", is_staff=True)
    client.force_login(editor)
    answer = client.post(
        reverse("admin:guard_termlist_add"), {"municipality": municipality.pk, "enabled": "on", "terms": "ab"}
    )
    assert answer.status_code == 200
    assert "«ab», er for kort" in answer.content.decode()
    answer = client.post(
        reverse("admin:guard_termlist_add"),
        {"municipality": municipality.pk, "enabled": "on", "terms": "Troldehøj\r\ntroldehøj"},
    )
    assert answer.status_code == 302
    assert TermList.objects.get(municipality=municipality).terms == "Troldehøj"
    html = client.get(reverse("admin:guard_termlist_changelist")).content.decode()
    assert "Vallensbæk" in html and "Billund" not in html
    other = TermList.objects.get(municipality=billund.municipality)
    assert client.get(reverse("admin:guard_termlist_change", args=[other.pk])).status_code == 404
