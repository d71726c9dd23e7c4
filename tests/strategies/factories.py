"""Factories of the strategies app."""

import factory

from strategies.models import Goal, Municipality, Section, Strategy, Theme


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Testrup {n} Kommune")
    slug = factory.Sequence(lambda n: f"testrup-{n}")


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Udviklingsstrategi {n}")
    slug = factory.Sequence(lambda n: f"udviklingsstrategi-{n}")
    status = Strategy.Status.ADOPTED


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Tema {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    section = factory.SubFactory(SectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Målsætning {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    section = factory.SubFactory(SectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    question = factory.Sequence(lambda n: f"Hvordan gør vi {n}?")
