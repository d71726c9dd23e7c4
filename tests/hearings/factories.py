"""Factories of the hearings app, and ``add``: a response numbered as the service would number it."""

import datetime as dt

import factory
from django.utils import timezone

from tests.accounts.factories import VerifiedUserFactory
from tests.strategies.factories import StrategyFactory


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.Hearing"

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Høring {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    personal_data_removal_on = factory.LazyAttribute(lambda o: (o.closes_at + dt.timedelta(days=365)).date())


class ResponseFactory(factory.django.DjangoModelFactory):
    """A response written straight to the database (for lists and counts); the form goes through
    hearings.services.submit_response."""

    class Meta:
        model = "hearings.Response"

    hearing = factory.SubFactory(HearingFactory)
    number = factory.Sequence(lambda n: n + 1)
    author = factory.SubFactory(VerifiedUserFactory)
    respondent_type = "private"
    display_name = factory.Faker("name", locale="da_DK")
    text = factory.Faker("paragraph", locale="da_DK")
    consent_to_publish = True
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


def add(hearing, status="published", **kwargs):
    """A response numbered after the hearing's last one (as submit_response would number it)."""
    hearing.refresh_from_db(fields=["last_response_number"])
    hearing.last_response_number += 1
    hearing.save(update_fields=["last_response_number"])
    if status not in ("published", "hidden"):
        kwargs.setdefault("published_at", None)
    return ResponseFactory(hearing=hearing, number=hearing.last_response_number, status=status, **kwargs)


def add_texts(hearing, texts, *, author=None):
    """``texts`` as published responses of ``hearing``, numbered after its last one, in one INSERT (for
    corpora of hundreds); returns them in the order of ``texts``."""
    from hearings.models import Response

    start = hearing.last_response_number
    Response.objects.bulk_create(
        [
            Response(
                hearing=hearing,
                number=start + i + 1,
                author=author,
                respondent_type="private",
                display_name=f"Borger {i + 1}",
                text=text,
                consent_to_publish=True,
                status="published",
            )  # fmt: skip
            for i, text in enumerate(texts)
        ]
    )
    hearing.last_response_number = start + len(texts)
    hearing.save(update_fields=["last_response_number"])
    return list(hearing.responses.filter(number__gt=start).order_by("number"))
