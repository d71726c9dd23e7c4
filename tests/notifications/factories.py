"""Factories of the notifications app."""

import factory

from notifications.models import Follow
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import HearingFactory


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    user = factory.SubFactory(VerifiedUserFactory)
    hearing = factory.SubFactory(HearingFactory)
