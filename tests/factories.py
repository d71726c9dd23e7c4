import datetime as dt

import factory
from django.utils import timezone

from accounts.models import User
from strategies.models import Goal, Municipality, Section, Strategy, Theme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"bruger{n}@example.dk")
    name = factory.Faker("name", locale="da_DK")
    password = factory.django.Password("hoering-test-2026")


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


class VerifiedUserFactory(UserFactory):
    """A citizen whose e-mail address is verified (as allauth's mandatory verification leaves them)."""

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


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


def staff_users(vallensbaek: Municipality, billund: Municipality) -> dict:
    """Everyone a permission matrix asks about: anonymous (None), a citizen, an editor, a moderator and
    a council member of each municipality ('v_editor', 'b_council', ...) and the operator."""
    from accounts.models import StaffRole

    users = {"anonymous": None, "citizen": VerifiedUserFactory(email="borger@example.dk")}
    for prefix, municipality in (("v", vallensbaek), ("b", billund)):
        for role in ("editor", "moderator", "council"):
            user = VerifiedUserFactory(email=f"{prefix}-{role}@example.dk")
            StaffRole.objects.create(user=user, municipality=municipality, role=role)
            users[f"{prefix}_{role}"] = user
    users["superuser"] = VerifiedUserFactory(email="drift@example.dk", is_staff=True, is_superuser=True)
    return users


def write_raw(instance, **values) -> None:
    """Write ``values`` to ``instance``'s row with plain SQL, past the model fields' text policy
    (portal.text): a row as an old version of the portal, or a direct database edit, could have left it.
    The instance is refreshed from the database."""
    from django.db import connection

    meta = instance._meta
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s",  # noqa: S608
            [*values.values(), instance.pk],
        )
    instance.refresh_from_db()
