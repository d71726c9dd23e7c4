import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from hearings.models import Hearing, Response
from portal.demo import DEMO_PASSWORD


def test_demo_creates_accounts_hearings_and_marked_responses_once(
    db, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
        call_command("load_demo")
    from accounts.models import StaffRole

    for email in (
        "borger@example.dk", "borger2@example.dk", "borger3@example.dk", "borger6@example.dk", "admin@example.dk", "redaktoer@vallensbaek.example.dk",
        "moderator@vallensbaek.example.dk", "raad@vallensbaek.example.dk", "moderator@billund.example.dk",
        "redaktoer@billund.example.dk",
    ):  # fmt: skip
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user).verified
    assert User.objects.get(email="admin@example.dk").is_superuser
    roles = set(StaffRole.objects.values_list("user__email", "municipality__slug", "role"))
    assert roles == {
        ("redaktoer@vallensbaek.example.dk", "vallensbaek", "editor"),
        ("moderator@vallensbaek.example.dk", "vallensbaek", "moderator"),
        ("raad@vallensbaek.example.dk", "vallensbaek", "council"),
        ("moderator@billund.example.dk", "billund", "moderator"),
        ("redaktoer@billund.example.dk", "billund", "editor"),
    }
    open_, closed = (
        Hearing.objects.get(strategy__municipality__slug="vallensbaek"),
        Hearing.objects.get(strategy__municipality__slug="billund"),
    )
    assert open_.current_state == "open" and open_.moderation == "post"
    assert closed.current_state == "closed"
    assert Response.objects.filter(is_demo=True).count() == Response.objects.count() == 14
    assert Response.objects.filter(status="published").count() == 11
    assert Response.objects.filter(status="hidden").count() == 1
    # Billund's waiting one, and Vallensbæk's held by the guard for a phone number and an address.
    assert sorted(Response.objects.filter(status="pending").values_list("moderation_reason", flat=True)) == [
        "", "possible_personal",
    ]  # fmt: skip
    html = client.get(open_.get_absolute_url()).content.decode()
    assert html.count("Demo-svar</span>") == 9  # 8 and the flagged one; the hidden shows as a notice
    assert "er skjult af moderator: krænkende sprog" in html
    assert client.login(email="borger@example.dk", password=DEMO_PASSWORD)
    # The analysis: the four cycle letters are one campaign, and three topics hold the other responses.
    from analysis.models import Campaign, Topic

    campaign = Campaign.objects.get(hearing=open_)
    assert sorted(r.display_name for r in Response.objects.filter(signature__campaign=campaign)) == [
        "Ali Hassan", "Karen Holm", "Peter Nielsen", "Sofie Larsen",
    ]  # fmt: skip
    assert [(t.title, t.links.count()) for t in Topic.objects.filter(hearing=open_).order_by("position")] == [
        ("Cykelstier og trafiksikkerhed", 5), ("Fritids- og ungdomstilbud", 2),
        ("Teknologi og kodning i skolen", 1),
    ]  # fmt: skip
    # The closed Billund hearing: two topics with released remarks and a published decision with its page.
    assert [(t.title, t.links.count()) for t in Topic.objects.filter(hearing=closed).order_by("position")] == [
        ("Busforbindelser mellem byerne (demo)", 1), ("Børnene som medskabere (demo)", 1),
    ]  # fmt: skip
    assert closed.remarks_released_at is not None
    decision = closed.decision
    assert decision.published_at is not None
    assert decision.outcome == "adopted_with_changes"
    assert decision.decided_on > closed.closes_at.date()
    assert decision.minutes_url == "https://www.billund.dk/"
    assert decision.changes.count() == 3
    assert decision.hearing.strategy.status == "adopted"
    assert decision.hearing.strategy.adopted_on == decision.decided_on
    page = reverse("decisions:page", args=[closed.pk])
    assert page in client.get(closed.get_absolute_url()).content.decode()
    text = client.get(page).content.decode()
    for expected in (
        "Det sagde I – det gjorde vi", "Vedtaget med ændringer", "Byrådet", "https://www.billund.dk/",
        "dette er en demo-beslutning", "Busforbindelser mellem byerne (demo)", "Børnene som medskabere (demo)",
        "Demo-bemærkning: Administrationen er enig.", "Demo: Et nyt mål om gode busforbindelser mellem byerne.",
        "Andre ændringer", "Demo: Afsnittet om iværksættere er gjort kortere.",
    ):  # fmt: skip
        assert expected.lower() in text.lower(), expected
    assert "Vedtaget efter høring" in client.get(closed.strategy.get_absolute_url()).content.decode()


def test_demo_refuses_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only created in demo mode"):
        call_command("load_demo")
    assert not User.objects.exists()
