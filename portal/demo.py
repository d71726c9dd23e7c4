"""Demo content for `make run`, made through every app's services (so it lives in the project package): accounts, an open and a closed hearing, some marked demo responses.

Only in demo mode (settings.DEMO_MODE, never in production). Idempotent: a second run adds nothing.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from analysis import campaigns as analysis_campaigns
from analysis import services as topics
from analysis.models import Topic
from decisions import services as decisions
from decisions.models import Decision
from hearings import response_cache, services
from hearings.models import Hearing, HearingEvent, Response
from hearings.targets import TargetKey
from moderation import services as moderation
from strategies.models import Municipality, Strategy
from strategies.services import load_seed_file

DEMO_PASSWORD = "hoering-demo-2026"  # noqa: S105 - the documented demo password, demo mode only

# (e-mail, name, superuser, (municipality slug, role) or None), as listed in README.md.
DEMO_ACCOUNTS = [
    ("borger@example.dk", "Mette Borger", False, None),
    ("borger2@example.dk", "Jens Borger", False, None),
    # Four citizens who send the same letter about cycle paths, with a word or a sentence of their own:
    # the demo's campaign (enslydende høringssvar).
    ("borger3@example.dk", "Karen Holm", False, None),
    ("borger4@example.dk", "Peter Nielsen", False, None),
    ("borger5@example.dk", "Sofie Larsen", False, None),
    ("borger6@example.dk", "Ali Hassan", False, None),
    ("redaktoer@vallensbaek.example.dk", "Rikke Redaktør", False, ("vallensbaek", "editor")),
    ("moderator@vallensbaek.example.dk", "Mads Moderator", False, ("vallensbaek", "moderator")),
    ("raad@vallensbaek.example.dk", "Rasmus Rådsmedlem", False, ("vallensbaek", "council")),
    ("moderator@billund.example.dk", "Bente Moderator", False, ("billund", "moderator")),
    ("redaktoer@billund.example.dk", "Birgitte Redaktør", False, ("billund", "editor")),
    ("admin@example.dk", "Platformens drift", True, None),
]

VALLENSBAEK_HEARING = "Høring om Kommuneplanstrategi 2018"
BILLUND_HEARING = "Høring om Fremtidens Legeplads"

CYCLE_LETTER = (
    "Demo-svar: Vi ønsker sikre cykelstier langs Vejlegårdsvej og Horsbred, så børn og unge kan cykle trygt "
    "til skole og fritid. Kommuneplanstrategien bør sætte et mål for, hvor mange ture der foregår på cykel i "
    "2030, og cykeltrafikken bør prioriteres i den kommende trafikplan."
)
# (author, the letter as each sent it)
CYCLE_COPIES = [
    ("borger3@example.dk", CYCLE_LETTER + " Jeg cykler selv hver dag med vores to børn."),
    ("borger4@example.dk", CYCLE_LETTER.replace("sikre cykelstier", "trygge cykelstier")
     + " Krydset ved Horsbred er især farligt om morgenen."),
    ("borger5@example.dk", CYCLE_LETTER),
    ("borger6@example.dk", CYCLE_LETTER.replace("skole og fritid", "skole, sport og fritid")
     + " Vi har boet på Pilehavevej i 12 år."),
]  # fmt: skip


class DemoRefused(Exception):
    pass


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _account(email: str, name: str, superuser: bool) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        make = User.objects.create_superuser if superuser else User.objects.create_user
        user = make(email=email, password=DEMO_PASSWORD, name=name)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _respond(hearing, author, *, target_key, text, respondent_type="private", organisation_name="",
             postcode="", town="", at: dt.datetime) -> Response:  # fmt: skip
    response = services.submit_response(
        hearing=hearing, author=author, target_key=target_key, respondent_type=respondent_type,
        organisation_name=organisation_name, display_name=author.name, postcode=postcode, town=town,
        text=text, consent=True, now=at,
    )  # fmt: skip
    # Demo responses are marked as such on every page, and get no receipt e-mail.
    Response.objects.filter(pk=response.pk).update(is_demo=True, receipt_sent_at=at)
    return response


def _analyse(hearing: Hearing, moderator: User, *, goal) -> None:
    """The demo hearing's analysis: its campaign found, and three topics with their responses, as a
    moderator would make them on the Analyse pages."""
    analysis_campaigns.analyse_hearing(hearing_id=hearing.pk)
    responses = {r.number: r for r in Response.objects.filter(hearing=hearing)}
    letters = [r for r in responses.values() if "Vejlegårdsvej" in r.text]
    strategy = hearing.strategy
    cycling = topics.create_topic(
        hearing=hearing, actor=moderator, title="Cykelstier og trafiksikkerhed",
        target=strategy.sections.get(number=2),
        summary=(
            f"{len(letters) + 1} høringssvar handler om cyklisterne. {len(letters)} af dem har (næsten) enslydende "
            "tekst og ønsker sikre cykelstier langs Vejlegårdsvej og Horsbred og et mål for, hvor mange ture "
            "der foregår på cykel. Ét høringssvar savner cyklisterne i strategien som helhed."
        ),
        remark=(
            "Administrationen er enig i, at cyklisternes forhold bør fremgå af strategien. De konkrete "
            "cykelstier prioriteres i trafikplanen, som kommunalbestyrelsen behandler næste år."
        ),
        recommendation=Topic.Recommendation.CHANGE,
        change=(
            "Under delvision 2 tilføjes: »Vallensbæk vil gøre det trygt og attraktivt at cykle, og kommunen "
            "sætter i trafikplanen et mål for andelen af ture på cykel.«"
        ),
    )  # fmt: skip
    topics.link_responses(topic=cycling, actor=moderator, responses=[responses[1]],
                            quote="Men hvor er cyklisterne i strategien?")  # fmt: skip
    topics.link_responses(topic=cycling, actor=moderator, responses=letters)
    youth = topics.create_topic(
        hearing=hearing, actor=moderator, title="Fritids- og ungdomstilbud",
        target=strategy.sections.get(number=5),
        summary="To høringssvar ønsker flere pladser i ungdomsklubben og mere tid til det enkelte barn.",
        remark=(
            "Ungdomsklubbernes kapacitet indgår i den kommende budgetdrøftelse. Strategien lægger allerede "
            "vægt på et godt og udviklende børne- og ungeliv."
        ),
        recommendation=Topic.Recommendation.COVERED,
    )  # fmt: skip
    topics.link_responses(topic=youth, actor=moderator, responses=[responses[2], responses[4]])
    school = topics.create_topic(
        hearing=hearing, actor=moderator, title="Teknologi og kodning i skolen", target=goal,
        summary="Et høringssvar ønsker, at kodning i skolen også gælder de yngste klasser.",
        remark="Målsætningen gælder alle klassetrin; de yngste klasser er ikke undtaget.",
        recommendation=Topic.Recommendation.NO_CHANGE,
    )  # fmt: skip
    topics.link_responses(topic=school, actor=moderator, responses=[responses[3]],
                            quote="husk også de yngste klasser")  # fmt: skip


def _billund_decision(hearing: Hearing, moderator: User, editor: User, *, now: dt.datetime) -> None:
    """The closed Billund hearing's end: two topics over its published responses with the administration's
    remarks, the remarks released, and the council's decision with what changed, published, so that the
    hearing has its page "Det sagde I – det gjorde vi". All marked as demo."""
    strategy = hearing.strategy
    published = {r.number: r for r in Response.objects.published().filter(hearing=hearing)}
    bus = topics.create_topic(
        hearing=hearing, actor=moderator, title="Busforbindelser mellem byerne (demo)",
        target=strategy.sections.get(number=1),
        summary="Demo: Et høringssvar peger på, at stærke byer kræver gode busforbindelser mellem byerne.",
        remark=(
            "Demo-bemærkning: Administrationen er enig. Sammenhængen mellem byerne er en forudsætning for "
            "stærke byer, og busbetjeningen tages op i den kommende trafikplan."
        ),
        recommendation=Topic.Recommendation.CHANGE,
        change="Demo: Under temaet Stærke byer tilføjes et mål om gode busforbindelser mellem byerne.",
        now=now,
    )  # fmt: skip
    topics.link_responses(topic=bus, actor=moderator, responses=[published[1]], now=now)
    children = topics.create_topic(
        hearing=hearing, actor=moderator, title="Børnene som medskabere (demo)",
        summary="Demo: Et høringssvar ønsker, at børnene er med til at lege fremtidens legeplads frem.",
        remark=(
            "Demo-bemærkning: Børn og unge inddrages allerede i arbejdet med strategiens temaer; det gør "
            "administrationen tydeligere i indledningen."
        ),
        recommendation=Topic.Recommendation.CHANGE,
        change="Demo: Indledningen ændres, så den nævner børnenes medvirken.",
        now=now,
    )  # fmt: skip
    topics.link_responses(topic=children, actor=moderator, responses=[published[2]], now=now)
    services.release_remarks(hearing=hearing, actor=moderator, now=now)
    decided_on = timezone.localdate(hearing.closes_at) + dt.timedelta(days=20)
    decision = decisions.save_decision(
        hearing=hearing, actor=editor, decided_on=decided_on, decided_by="Byrådet",
        outcome=Decision.Outcome.ADOPTED_WITH_CHANGES, minutes_url="https://www.billund.dk/",
        text=(
            "*Dette er en demo-beslutning.* Byrådet vedtog Fremtidens Legeplads med de ændringer, "
            "administrationen indstillede efter høringen."
        ),
        changes={
            None: "Demo: Indledningen nævner, at børn og unge inddrages, når strategien føres ud i livet.",
            strategy.sections.get(number=1).pk: "Demo: Et nyt mål om gode busforbindelser mellem byerne.",
            strategy.sections.get(number=3).pk: "Demo: Afsnittet om iværksættere er gjort kortere.",
        },
        now=now,
    )  # fmt: skip
    decisions.publish_decision(decision=decision, actor=editor, now=now)


@transaction.atomic
def load_demo(*, now: dt.datetime | None = None) -> list[str]:
    if not settings.DEMO_MODE:
        raise DemoRefused("Demo content is only created in demo mode (DEMO_MODE), never in production.")
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = [f"seed: {len(load_seed_file().created)} rows created"]
    accounts = {email: _account(email, name, superuser) for email, name, superuser, _role in DEMO_ACCOUNTS}
    citizen, citizen2 = accounts["borger@example.dk"], accounts["borger2@example.dk"]
    operator = accounts["admin@example.dk"]
    for email, _name, _superuser, role in DEMO_ACCOUNTS:
        if role:
            municipality = Municipality.objects.get(slug=role[0])
            account_services.grant_role(
                user=accounts[email], municipality=municipality, role=role[1], actor=operator
            )

    vallensbaek = Strategy.objects.get(municipality__slug="vallensbaek", slug="kommuneplanstrategi-2018")
    if not Hearing.objects.filter(strategy=vallensbaek, title=VALLENSBAEK_HEARING).exists():
        hearing = Hearing.objects.create(
            strategy=vallensbaek,
            title=VALLENSBAEK_HEARING,
            intro=(
                "Kommunalbestyrelsen vil gerne høre, hvad du mener om forslaget til Kommuneplanstrategi 2018. "
                "*Dette er en demo-høring i Høringsportalens demo.*"
            ),
            opens_at=_local(today - dt.timedelta(days=14), 9),
            closes_at=_local(today + dt.timedelta(days=21), 12),
            moderation=Hearing.Moderation.POST,
            contact_name="Planafdelingen (demo)",
            contact_phone="4797 4000",
            personal_data_removal_on=today + dt.timedelta(days=21 + 365),
        )
        HearingEvent.objects.create(
            hearing=hearing,
            kind=HearingEvent.Kind.WORKSHOP,
            title="Workshop om delvision 5 (demo)",
            starts_at=_local(today + dt.timedelta(days=7), 17),
            ends_at=_local(today + dt.timedelta(days=7), 19),
            place="Vallensbæk Rådhus, Vallensbæk Stationstorv 100",
        )
        five = vallensbaek.sections.get(number=5)
        goal = five.goals.filter(parent=None).order_by("position").first()
        child = goal.children.order_by("position").first() if goal else None
        theme = five.themes.order_by("position").first()
        if child is None or theme is None:
            raise RuntimeError("The seed's sub-vision 5 needs a goal with a sub-goal and a theme")
        start = hearing.opens_at
        _respond(hearing, citizen, target_key=str(TargetKey.strategy()), at=start + dt.timedelta(days=1, hours=3),
                 text="Demo-svar: Jeg synes, visionen om det hele menneske er god.\n\nMen hvor er cyklisterne i strategien?",
                 postcode="2665", town="Vallensbæk Strand")  # fmt: skip
        _respond(hearing, citizen2, target_key=str(TargetKey("section", five.pk)), at=start + dt.timedelta(days=2),
                 text="Demo-svar: Flere pladser i ungdomsklubben, tak.", respondent_type="association",
                 organisation_name="Vallensbæk Ungdomsråd (demo)")  # fmt: skip
        _respond(hearing, citizen, target_key=str(TargetKey("goal", child.pk)), at=start + dt.timedelta(days=3),
                 text="Demo-svar: Kodning i skolen er vigtigt – husk også de yngste klasser.")  # fmt: skip
        _respond(hearing, citizen2, target_key=str(TargetKey("theme", theme.pk)), at=start + dt.timedelta(days=5),
                 text="Demo-svar: Kvalitet i børnelivet handler om tid til det enkelte barn.",
                 postcode="2625", town="Vallensbæk")  # fmt: skip
        # For the staff pages: one response flagged by two citizens, one hidden by the moderator.
        flagged = _respond(hearing, operator, target_key=str(TargetKey.strategy()), at=start + dt.timedelta(days=6),
                           text="Demo-svar: Naboen i nr. 12 (Hans Hansen) larmer, og det skal kommunen gøre noget ved!")  # fmt: skip
        for flagger in (citizen, citizen2):
            moderation.flag_response(response=flagged, user=flagger, reason="personal_data",
                                     note="Nævner en navngiven nabo.", now=start + dt.timedelta(days=7))  # fmt: skip
        hidden = _respond(hearing, citizen2, target_key=str(TargetKey.strategy()), at=start + dt.timedelta(days=8),
                          text="Demo-svar: (et svar med krænkende sprog, som moderatoren har skjult)")  # fmt: skip
        moderation.moderate(response=hidden, actor=accounts["moderator@vallensbaek.example.dk"], action="hidden",
                            reason="offensive", now=start + dt.timedelta(days=8, hours=2), notify=False)  # fmt: skip
        moderation.save_remark(response=Response.objects.get(hearing=hearing, number=2),
                               actor=accounts["redaktoer@vallensbaek.example.dk"], recommendation="noted",
                               text="Demo-bemærkning: Ungdomsklubberne indgår i den kommende budgetdrøftelse.")  # fmt: skip
        for day, (email, text) in enumerate(CYCLE_COPIES, start=9):
            _respond(hearing, accounts[email], target_key=str(TargetKey("section", vallensbaek.sections.get(number=2).pk)),
                     text=text, at=start + dt.timedelta(days=day, hours=day))  # fmt: skip
        # For the personal-data guard: a phone number and a neighbour's address hold it back (pending,
        # "mulige personoplysninger") for the moderator to redact, also under post-moderation.
        _respond(hearing, citizen, target_key=str(TargetKey("section", five.pk)), at=start + dt.timedelta(days=13),
                 text="Demo-svar: Stien ved Vallensbæk Mose er mørk om aftenen, og min søn er bange for at cykle "
                      "hjem. Ring gerne til mig på 22 33 44 55, eller tal med min nabo på Egevej 7, 2625 Vallensbæk, "
                      "som har taget billeder.")  # fmt: skip
        _analyse(hearing, accounts["moderator@vallensbaek.example.dk"], goal=child)
        done.append(f"hearing: {hearing.title} (open)")

    billund = Strategy.objects.get(municipality__slug="billund", slug="fremtidens-legeplads")
    if not Hearing.objects.filter(strategy=billund, title=BILLUND_HEARING).exists():
        hearing = Hearing.objects.create(
            strategy=billund,
            title=BILLUND_HEARING,
            intro="*Dette er en afsluttet demo-høring i Høringsportalens demo.*",
            opens_at=_local(today - dt.timedelta(days=90), 9),
            closes_at=_local(today - dt.timedelta(days=30), 12),
            moderation=Hearing.Moderation.PRE,
            contact_name="Udvikling og Kommunikation (demo)",
            personal_data_removal_on=today + dt.timedelta(days=335),
        )
        strong_towns = billund.sections.get(number=1)
        for hours, author, key, text in [
            (30, citizen, str(TargetKey("section", strong_towns.pk)), "Demo-svar: Stærke byer kræver gode busforbindelser mellem byerne."),
            (200, citizen2, str(TargetKey.strategy()), "Demo-svar: Fremtidens Legeplads er et godt navn – lad børnene være med til at lege den frem."),
        ]:  # fmt: skip
            response = _respond(
                hearing, author, target_key=key, text=text, at=hearing.opens_at + dt.timedelta(hours=hours)
            )
            Response.objects.filter(pk=response.pk).update(
                status=Response.Status.PUBLISHED,
                published_at=hearing.opens_at + dt.timedelta(hours=hours + 20),
            )
            response_cache.bump([hearing.pk])  # update() sends no signal
        # Sent in the last hour of the hearing and still waiting for the moderator.
        _respond(hearing, citizen, target_key=str(TargetKey("section", billund.sections.get(number=2).pk)),
                 text="Demo-svar: Rettidig velfærd betyder, at man ikke skal vente på en plejehjemsplads.",
                 at=hearing.closes_at - dt.timedelta(minutes=30))  # fmt: skip
        _billund_decision(
            hearing,
            accounts["moderator@billund.example.dk"],
            accounts["redaktoer@billund.example.dk"],
            now=now,
        )
        done.append(f"hearing: {hearing.title} (closed, with its decision)")
    for decision in Decision.objects.published().filter(hearing__strategy=billund).select_related("hearing"):
        decisions.mark_strategy_adopted(decision=decision)  # the seed, loaded again above, reset the date
    return done
