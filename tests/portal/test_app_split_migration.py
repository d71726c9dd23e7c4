"""The app split (hearings 0012 and the moderation, documents and notifications 0001) moves Django's state of
six models, not their rows: a database of the schema before it migrates with every row where it was."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("hearings", "0011_hearing_content_version"), ("moderation", None), ("documents", None),
          ("notifications", None)]  # fmt: skip
MOVED = {"moderation": ["flag", "remark", "moderationevent"], "documents": ["rendereddocument"],
         "notifications": ["follow", "notificationsent"]}  # fmt: skip


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.fixture
def old_schema(transactional_db):
    """The database as the schema before the split left it; migrated forward to the end afterwards."""
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def test_the_moved_models_keep_their_rows_and_content_types(old_schema):
    apps = old_schema
    now = timezone.now()
    user = apps.get_model("accounts", "User").objects.create(email="borger@example.dk", name="Borger")
    municipality = apps.get_model("strategies", "Municipality").objects.create(name="Nordby", slug="nordby")
    strategy = apps.get_model("strategies", "Strategy").objects.create(
        municipality=municipality, title="Strategi", slug="strategi", status="published"
    )
    hearing = apps.get_model("hearings", "Hearing").objects.create(
        strategy=strategy,
        title="Høring",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=9),
        personal_data_removal_on=(now + dt.timedelta(days=400)).date(),
    )
    response = apps.get_model("hearings", "Response").objects.create(
        hearing=hearing, number=1, author=user, text="Mit svar", display_name="Borger", status="published",
        consent_to_publish=True,
    )  # fmt: skip
    old = {name: apps.get_model("hearings", name) for name in
           ("Flag", "Remark", "ModerationEvent", "RenderedDocument", "Follow", "NotificationSent")}  # fmt: skip
    old["Flag"].objects.create(response=response, user=user, reason="offensive", note="Grim")
    old["Remark"].objects.create(response=response, text="Tak for svaret", recommendation="noted")
    old["ModerationEvent"].objects.create(action="published", municipality=municipality, hearing=hearing,
                                          response=response, actor_label="moderator@nordby.dk")  # fmt: skip
    old["RenderedDocument"].objects.create(
        hearing=hearing, kind="summary", fingerprint="f" * 64, status="done"
    )
    old["Follow"].objects.create(user=user, hearing=hearing, on_open=False)
    old["NotificationSent"].objects.create(user=user, hearing=hearing, kind="closed")
    # Content types as a database of before the split has them: under hearings, none under the new apps.
    ContentType.objects.filter(app_label__in=MOVED).delete()
    for models in MOVED.values():
        for model in models:
            ContentType.objects.get_or_create(app_label="hearings", model=model)
    flag_type = ContentType.objects.get(app_label="hearings", model="flag").pk

    apps = migrate([("moderation", "0001_move_to_apps"), ("documents", "0001_move_to_apps"),
                    ("notifications", "0001_move_to_apps")])  # fmt: skip

    flag = apps.get_model("moderation", "Flag").objects.get()
    assert (flag.response_id, flag.user_id, flag.note) == (response.pk, user.pk, "Grim")
    assert apps.get_model("moderation", "Remark").objects.get().text == "Tak for svaret"
    event = apps.get_model("moderation", "ModerationEvent").objects.get()
    assert (event.action, event.response_id, event.actor_label) == (
        "published",
        response.pk,
        "moderator@nordby.dk",
    )
    assert apps.get_model("documents", "RenderedDocument").objects.get().fingerprint == "f" * 64
    assert apps.get_model("notifications", "Follow").objects.get().on_open is False
    assert apps.get_model("notifications", "NotificationSent").objects.get().kind == "closed"
    with connection.cursor() as cursor:  # the same tables, not copies
        tables = set(connection.introspection.table_names(cursor))
    assert {"hearings_flag", "hearings_remark", "hearings_moderationevent", "hearings_rendereddocument",
            "hearings_follow", "hearings_notificationsent"} <= tables  # fmt: skip
    assert not {t for t in tables if t.startswith(("moderation_", "documents_", "notifications_"))}
    moved = {(ct.app_label, ct.model) for ct in ContentType.objects.filter(model__in=sum(MOVED.values(), []))}
    assert moved == {(app, model) for app, models in MOVED.items() for model in models}
    assert (
        ContentType.objects.get(app_label="moderation", model="flag").pk == flag_type
    )  # relabelled, not new
