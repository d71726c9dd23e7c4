"""The page "Forslag til emner": what staff see, who may do what, bad input, queries."""

import datetime as dt
import html
import re
import zoneinfo

import pytest
from django.urls import reverse

from analysis.models import HearingAnalysis, Suggestion, Topic
from tests.accounts.factories import staff_users
from tests.analysis.factories import TopicFactory
from tests.analysis.suggestions.conftest import analysis_corpus, suggestion
from tests.hearings.factories import add

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def cycling(open_hearing):
    responses = [
        add(open_hearing, text=f"Cykelstien ved krydset er farlig for børnene nr {i}.") for i in range(7)
    ]
    return suggestion(open_hearing, "cykelsti · krydset · fortov", responses)


def url(hearing, *parts):
    if parts:
        return reverse(f"analysis:{parts[0]}_suggestion", args=[hearing.pk, parts[1].pk])
    return reverse("analysis:suggestions", args=[hearing.pk])


def test_the_page_shows_each_suggestion_with_its_responses(client, open_hearing, cycling, moderator):
    HearingAnalysis.objects.create(
        hearing=open_hearing, suggestions_computed_at=dt.datetime(2026, 11, 30, 15, 2, tzinfo=CPH),
        suggestions_requested_at=dt.datetime(2026, 11, 30, 15, 1, tzinfo=CPH),
    )  # fmt: skip
    client.force_login(moderator)
    page = client.get(url(open_hearing)).content.decode()
    assert "Beregnet 30. november 2026 kl. 15.02." in page
    assert "intet offentliggøres eller sendes fra det" in page
    assert "Beregn forslag igen" in page
    assert f'<h2 class="h3" id="suggestion-{cycling.pk}">cykelsti · krydset · fortov</h2>' in page
    assert "7 høringssvar" in page
    first = cycling.responses.order_by("number").first()
    link = reverse("moderation:response", args=[first.pk])
    assert f'<a href="{link}">Nr. {first.number}</a>: Cykelstien ved krydset er farlig' in page
    assert "og 2 flere" in page  # five shown of seven
    assert 'value="Cykelsti · krydset · fortov"' in page  # the title offered, editable
    assert "Opret emne" in page and "Afvis forslaget" in page


def test_pending_and_never_computed(client, open_hearing, moderator):
    client.force_login(moderator)
    page = client.get(url(open_hearing)).content.decode()
    assert "Forslagene er ikke beregnet endnu." in page and "Beregn forslag</button>" in page
    analysis = HearingAnalysis.objects.create(
        hearing=open_hearing, suggestions_requested_at=dt.datetime(2026, 11, 30, tzinfo=CPH),
        changes_since_suggestions=10,
    )  # fmt: skip
    page = client.get(url(open_hearing)).content.decode()
    assert "Forslagene beregnes …" in page
    assert "ændret siden" not in page  # "since" what? Nothing was computed yet.
    analysis.suggestions_computed_at = dt.datetime(2026, 11, 30, 12, tzinfo=CPH)
    analysis.suggestions_requested_at = None
    analysis.save()
    assert "10 høringssvar er ændret siden." in client.get(url(open_hearing)).content.decode()


# fmt: off
EXPECTED = {  # GET the page, POST compute, POST accept, POST dismiss
    "anonymous":   ("login", "login", "login", "login"),
    "citizen":     (404, 404, 404, 404),
    "v_editor":    (200, "done", "done", "done"),
    "v_moderator": (200, "done", "done", "done"),
    "v_council":   ("seen", 404, 404, 404),
    "b_editor":    (404, 404, 404, 404),
    "b_moderator": (404, 404, 404, 404),
    "b_council":   (404, 404, 404, 404),
    "superuser":   (200, "done", "done", "done"),
}
# fmt: on


@pytest.mark.parametrize("actor", list(EXPECTED))
def test_permissions(client, open_hearing, vallensbaek, billund, actor):
    users = staff_users(vallensbaek.municipality, billund.municipality)
    one = suggestion(open_hearing, "skole · elever", [add(open_hearing) for _ in range(3)])
    two = suggestion(open_hearing, "bus · afgange", [add(open_hearing) for _ in range(3)])
    if users[actor]:
        client.force_login(users[actor])
    get, compute, accept, dismiss = EXPECTED[actor]

    page = client.get(url(open_hearing))
    if get == "login":
        assert page.status_code == 302 and page["Location"].startswith("/konto/login/")
    elif get == "seen":  # a council member sees the suggestions, and no form to change them
        text = page.content.decode()
        assert page.status_code == 200 and "skole · elever" in text
        assert (
            "Opret emne" not in text
            and "Beregn forslag" not in text
            and "/personale/hoeringssvar/" not in text
        )
    else:
        assert page.status_code == get

    answers = [
        client.post(url(open_hearing)),
        client.post(url(open_hearing, "accept", one), {"title": "Skolen"}),
        client.post(url(open_hearing, "dismiss", two)),
    ]
    for answer, expected in zip(answers, (compute, accept, dismiss), strict=True):
        if expected == "login":
            assert answer.status_code == 302 and answer["Location"].startswith("/konto/login/")
        elif expected == "done":
            assert answer.status_code == 302 and answer["Location"] == url(open_hearing)
        else:
            assert answer.status_code == expected
    done = accept == "done"
    assert Topic.objects.filter(title="Skolen").exists() == done
    assert Suggestion.objects.get(pk=two.pk).status == ("dismissed" if done else "open")
    assert HearingAnalysis.objects.filter(suggestions_requested_at__isnull=False).exists() == done


def test_compute_runs_in_the_background_and_says_so(
    client, open_hearing, moderator, django_capture_on_commit_callbacks
):
    corpus = analysis_corpus.generate(40, seed=2, campaigns=0)
    for text in corpus.texts:
        add(open_hearing, text=text)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # run once the view is done
        answer = client.post(url(open_hearing), follow=True)
        page = answer.content.decode()
        assert "Forslagene beregnes. Det tager et øjeblik; genindlæs siden om lidt." in page
        assert "Forslagene beregnes …" in page
        assert not Suggestion.objects.exists()
    assert len(callbacks) == 1
    assert "Beregnet " in client.get(url(open_hearing)).content.decode()
    assert Suggestion.objects.filter(hearing=open_hearing).exists()


def test_accept(client, open_hearing, cycling, moderator):
    client.force_login(moderator)
    answer = client.post(
        url(open_hearing, "accept", cycling), {"title": "Trafiksikkerhed ved skolen"}, follow=True
    )
    assert "Emnet »Trafiksikkerhed ved skolen« er oprettet med 7 høringssvar." in answer.content.decode()
    topic = Topic.objects.get()
    assert (topic.title, topic.links.count()) == ("Trafiksikkerhed ved skolen", 7)
    again = client.post(url(open_hearing, "accept", cycling), {"title": "Andet"}, follow=True)
    assert "Forslaget er allerede godtaget; emnet findes." in again.content.decode()
    assert Topic.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Skriv emnets titel."),
        ("y" * 250, "Titlen er for lang: højst 200 tegn (den har 250)."),
        ("skoleveje", "Høringen har allerede et emne med titlen «skoleveje». Vælg en anden titel."),
        ("<script>alert(1)</script>" + "z" * 200, "Titlen er for lang: højst 200 tegn"),
    ],
)
def test_a_refused_title_is_said_in_danish_and_kept(client, open_hearing, cycling, moderator, typed, message):
    TopicFactory(hearing=open_hearing, title="Skoleveje")
    suggestion(open_hearing, "bus · afgange", [add(open_hearing)])
    client.force_login(moderator)
    answer = client.post(url(open_hearing, "accept", cycling), {"title": typed})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert html.escape(message) in page or message in page
    assert f'value="{html.escape(typed)}"' in page if typed else f'id="id_s{cycling.pk}_title"' in page
    assert "<script>alert(1)</script>" not in page
    field = re.search(rf'<input[^>]*id="id_s{cycling.pk}_title"[^>]*>', page).group()
    assert "autofocus" in field and 'aria-invalid="true"' in field  # the keyboard starts at the error
    assert 'value="Bus · afgange"' in page  # the other suggestions as they were
    assert Topic.objects.count() == 1


def test_a_suggestion_of_another_hearing_is_not_found(client, open_hearing, billund_hearing, moderator):
    elsewhere = suggestion(billund_hearing, "skole", [add(billund_hearing)])
    mine = suggestion(open_hearing, "bus", [add(open_hearing)])
    client.force_login(moderator)
    assert client.post(url(open_hearing, "accept", elsewhere), {"title": "X"}).status_code == 404
    assert (
        client.post(reverse("analysis:dismiss_suggestion", args=[billund_hearing.pk, mine.pk])).status_code
        == 404
    )
    assert client.post(url(open_hearing, "dismiss", elsewhere)).status_code == 404
    assert Suggestion.objects.filter(status="open").count() == 2


def test_dismiss(client, open_hearing, cycling, editor):
    client.force_login(editor)
    answer = client.post(url(open_hearing, "dismiss", cycling), follow=True)
    page = answer.content.decode()
    assert "Forslaget »cykelsti · krydset · fortov« er afvist." in page
    assert f'id="suggestion-{cycling.pk}"' not in page
    again = client.post(url(open_hearing, "dismiss", cycling), follow=True)
    assert "Forslaget er allerede afvist." in again.content.decode()


def test_user_text_is_escaped(client, open_hearing, moderator):
    hostile = add(open_hearing, text='<img src=x onerror="alert(1)"> Cykelstien')
    suggestion(open_hearing, "cykelsti", [hostile])
    client.force_login(moderator)
    page = client.get(url(open_hearing)).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_the_number_of_queries_does_not_grow_with_the_hearing(
    client, open_hearing, moderator, django_assert_num_queries
):
    HearingAnalysis.objects.create(
        hearing=open_hearing, suggestions_computed_at=dt.datetime(2026, 11, 30, tzinfo=CPH)
    )
    suggestion(open_hearing, "skole", [add(open_hearing) for _ in range(2)])
    client.force_login(moderator)
    client.get(url(open_hearing))  # the session and the user read once
    with django_assert_num_queries(7) as small:
        assert client.get(url(open_hearing)).status_code == 200
    for i in range(4):
        suggestion(open_hearing, f"emne{i} · ord", [add(open_hearing) for _ in range(12)])
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url(open_hearing)).content.decode()
    assert page.count("Opret emne") == 5
