"""Factories of the moderation app: flags and the administration's remarks (the log is written by the
services only: it is append-only)."""

import factory

from moderation.models import Flag, Remark
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import ResponseFactory


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    response = factory.SubFactory(ResponseFactory)
    user = factory.SubFactory(VerifiedUserFactory)
    reason = "offensive"


class RemarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Remark

    response = factory.SubFactory(ResponseFactory)
    text = factory.Sequence(lambda n: f"Administrationens bemærkning {n}")
    recommendation = Remark.Recommendation.NOTED
