"""The seed strategies for the suite's tests, loaded once per process through the real loader and copied after.

Most tests start from both seed strategies (the ``seed`` fixture and the fixtures built on it). Loading
them through ``strategies.services.load_seed_file`` parses the YAML file and writes ~35 rows one by one,
each with its own look-up and the hearing caches' receivers (which find no hearing in a fresh test): about
0.1–0.25 s a test, minutes over the suite. So the first test of a process that wants the seed loads it
through the service, and the rows it wrote are remembered; every later test (in its own transaction, on an
empty database) gets the same rows inserted in one statement per table, with fresh primary keys from each
table's own sequence (in the same order, so ordering by key is unchanged, and no key is ever reused, so no
cached page of an earlier test can match) and fresh timestamps, as the loader would have given them.

``tests/strategies/services/test_loader.py`` checks that the copy is row for row what the loader writes, and
the loader's own tests call the service themselves.
"""

from typing import Any

from django.db import connection, models

from strategies.models import Goal, Municipality, Section, Strategy, Theme
from strategies.services import LoadReport, load_seed_file

# In the order of their foreign keys (a goal's parent is a goal: its keys are known before any is written).
SEED_MODELS: tuple[type[models.Model], ...] = (Municipality, Strategy, Section, Goal, Theme)

_rows: dict[type[models.Model], list[dict[str, Any]]] = {}
_report: LoadReport | None = None


def seed_rows() -> dict[type[models.Model], list[dict[str, Any]]]:
    """Every row of the seed's tables, as ``{model: [{attname: value}, ...]}`` in the order of their keys."""
    return {
        model: list(
            model._default_manager.order_by("pk").values(*(f.attname for f in model._meta.concrete_fields))
        )
        for model in SEED_MODELS
    }


def _copy(rows: dict[type[models.Model], list[dict[str, Any]]]) -> None:
    fresh: dict[type[models.Model], dict[Any, int]] = {}
    with connection.cursor() as cursor:
        for model in SEED_MODELS:
            meta = model._meta
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows[model])],
            )
            keys = sorted(pk for (pk,) in cursor.fetchall())
            fresh[model] = {row[meta.pk.attname]: key for row, key in zip(rows[model], keys, strict=True)}
    for model in SEED_MODELS:
        meta = model._meta
        foreign = {
            f.attname: fresh[f.related_model]
            for f in meta.concrete_fields
            if f.is_relation and f.related_model in fresh
        }
        objects = []
        for row in rows[model]:
            values = dict(row)
            values[meta.pk.attname] = fresh[model][row[meta.pk.attname]]
            for attname, keys in foreign.items():
                if values[attname] is not None:
                    values[attname] = keys[values[attname]]
            objects.append(model(**values))
        # bulk_create runs each field's pre_save, so created_at/updated_at are now, as on a real load.
        model._default_manager.bulk_create(objects)


def load_seed() -> LoadReport:
    """Both seed strategies in the database, as ``load_seed_file()`` would write them; returns its report.

    Through the service where the seed's tables hold anything already, or where this process has not
    loaded the seed yet; otherwise as a copy of the rows of that first load (see the module's docstring)."""
    global _report
    if _report is None or Municipality.objects.exists():
        empty = not Municipality.objects.exists()
        report = load_seed_file()
        if empty and _report is None:
            _rows.update(seed_rows())
            _report = report
        return report
    _copy(_rows)
    return LoadReport(created=list(_report.created), changed=list(_report.changed))
