"""Factories of the analysis app: topics and the responses that raise them."""

import factory

from analysis.models import Topic, TopicResponse
from tests.hearings.factories import HearingFactory, ResponseFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    hearing = factory.SubFactory(HearingFactory)
    title = factory.Sequence(lambda n: f"Emne {n}")
    summary = "Flere høringssvar ønsker sikre skoleveje."


class TopicResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicResponse

    topic = factory.SubFactory(TopicFactory)
    response = factory.SubFactory(ResponseFactory, hearing=factory.SelfAttribute("..topic.hearing"))
