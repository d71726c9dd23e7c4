"""Factories of the accounts app: users, verified users, staff roles."""

import factory
from allauth.account.models import EmailAddress

from accounts.models import StaffRole, User
from tests.strategies.factories import MunicipalityFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"bruger{n}@example.dk")
    name = factory.Faker("name", locale="da_DK")
    password = factory.django.Password("hoering-test-2026")


class VerifiedUserFactory(UserFactory):
    """A citizen whose e-mail address is verified (as allauth's mandatory verification leaves them)."""

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            # What update_or_create would do, in two statements instead of its six (two savepoints and a
            # SELECT ... FOR UPDATE): the address of a user made before is made verified and primary.
            addresses = EmailAddress.objects.filter(user=self, email=self.email)
            if not addresses.update(verified=True, primary=True):
                EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class StaffRoleFactory(factory.django.DjangoModelFactory):
    """A staff role; through accounts.services.grant_role when the test is about granting (it is logged)."""

    class Meta:
        model = StaffRole

    user = factory.SubFactory(VerifiedUserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = StaffRole.Role.MODERATOR


def staff(municipality, role, email, **kwargs):
    """A verified user with ``role`` in ``municipality``."""
    user = VerifiedUserFactory(email=email, **kwargs)
    StaffRoleFactory(user=user, municipality=municipality, role=role)
    return user


def staff_users(vallensbaek, billund) -> dict:
    """Everyone a permission matrix asks about: anonymous (None), a citizen, an editor, a moderator and
    a council member of each municipality ('v_editor', 'b_council', ...) and the operator."""
    users = {"anonymous": None, "citizen": VerifiedUserFactory(email="borger@example.dk")}
    for prefix, municipality in (("v", vallensbaek), ("b", billund)):
        for role in ("editor", "moderator", "council"):
            user = VerifiedUserFactory(email=f"{prefix}-{role}@example.dk")
            StaffRoleFactory(user=user, municipality=municipality, role=role)
            users[f"{prefix}_{role}"] = user
    users["superuser"] = VerifiedUserFactory(email="drift@example.dk", is_staff=True, is_superuser=True)
    return users
