"""The admin writes nothing that a service owns: a response changes only through the services, with
their events in the log, and staff roles are granted and revoked through the services that log them
(issue 13, item 3)."""

from django.urls import reverse

from accounts.models import StaffRole, User
from hearings.models import Response
from moderation.models import ModerationEvent
from tests.accounts.factories import StaffRoleFactory, VerifiedUserFactory
from tests.hearings.factories import ResponseFactory


def operator(client) -> User:
    user = User.objects.create_superuser("drift@example.dk", "hoering-test-2026")
    client.force_login(user)
    return user


def test_the_operator_cannot_change_a_responses_status_or_text_in_the_admin(client, open_hearing):
    response = ResponseFactory(hearing=open_hearing, number=1, text="Oprindelig tekst", status="published")
    operator(client)
    url = reverse("admin:hearings_response_change", args=[response.pk])
    page = client.get(url)
    assert page.status_code == 200  # the operator may read it
    assert b'name="status"' not in page.content and b'name="text"' not in page.content
    posted = client.post(url, {"status": "hidden", "text": "Ændret af driften", "number": 99, "_save": "1"})
    assert posted.status_code == 403
    response.refresh_from_db()
    assert (response.status, response.text, response.number) == ("published", "Oprindelig tekst", 1)
    assert not ModerationEvent.objects.filter(response=response).exists()
    # Nor deleted there, with no event in the log.
    deleted = client.post(reverse("admin:hearings_response_delete", args=[response.pk]), {"post": "yes"})
    assert deleted.status_code == 403 and Response.objects.filter(pk=response.pk).exists()


def test_the_operator_grants_and_revokes_roles_in_the_admin_and_each_is_logged(client, vallensbaek):
    actor = operator(client)
    person = VerifiedUserFactory(email="ny.redaktoer@vallensbaek.dk")
    municipality = vallensbaek.municipality
    added = client.post(
        reverse("admin:accounts_staffrole_add"),
        {"user": person.pk, "municipality": municipality.pk, "role": "editor", "_save": "1"},
    )
    assert added.status_code == 302
    role = StaffRole.objects.get(user=person, municipality=municipality, role="editor")
    person.refresh_from_db()
    assert person.is_staff  # editors work in the admin
    granted = ModerationEvent.objects.get(action="role_granted")
    assert (granted.actor, granted.municipality_id) == (actor, municipality.pk)
    assert granted.details == {"user": person.email, "role": "editor"}
    # A role is not changed in place: it is revoked, and that is logged too.
    changed = client.post(
        reverse("admin:accounts_staffrole_change", args=[role.pk]),
        {"user": person.pk, "municipality": municipality.pk, "role": "moderator", "_save": "1"},
    )
    assert changed.status_code == 403
    assert StaffRole.objects.get(pk=role.pk).role == "editor"
    removed = client.post(reverse("admin:accounts_staffrole_delete", args=[role.pk]), {"post": "yes"})
    assert removed.status_code == 302 and not StaffRole.objects.filter(pk=role.pk).exists()
    revoked = ModerationEvent.objects.get(action="role_revoked")
    assert revoked.actor == actor and revoked.details == {"user": person.email, "role": "editor"}


def test_revoking_roles_in_bulk_in_the_admin_logs_each(client, vallensbaek, billund):
    operator(client)
    person = VerifiedUserFactory()
    roles = [
        StaffRoleFactory(user=person, municipality=vallensbaek.municipality, role="moderator"),
        StaffRoleFactory(user=person, municipality=billund.municipality, role="council"),
    ]
    client.post(
        reverse("admin:accounts_staffrole_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in roles], "post": "yes"},
    )
    assert not StaffRole.objects.filter(user=person).exists()
    assert ModerationEvent.objects.filter(action="role_revoked").count() == 2
