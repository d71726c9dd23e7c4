"""The data migration that puts the rows written before the text policy (``portal.text``) under it."""

from django.db import models

from .text import normalise_text

CHUNK_SIZE = 2_000


def text_fields(model) -> list[tuple[str, bool]]:
    """The (attname, multiline) of ``model``'s own text fields that the policy covers: every CharField
    (one line) and TextField (several lines, so also MarkdownxField), but e-mail addresses and slugs,
    whose validators already refuse every character the policy removes, and fields with choices, which
    only the code writes."""
    found = []
    for field in model._meta.concrete_fields:
        if field.choices or isinstance(field, models.EmailField | models.SlugField):
            continue
        if isinstance(field, models.TextField):
            found.append((field.attname, True))
        elif isinstance(field, models.CharField):
            found.append((field.attname, False))
    return found


def normalise_rows(model, *, using: str = "default") -> int:
    """Normalise every text field (``text_fields``) of every row of ``model`` in place; returns how many
    rows changed. Reads in chunks and writes only the rows that change, one UPDATE each, so it works the
    same on PostgreSQL and SQLite and on historical models (whose fields do not normalise by themselves).
    """
    fields = text_fields(model)
    if not fields:
        return 0
    names = [name for name, _multiline in fields]
    manager = model._base_manager.using(using)
    changed = 0
    for pk, *values in manager.order_by("pk").values_list("pk", *names).iterator(chunk_size=CHUNK_SIZE):
        update = {}
        for (name, multiline), value in zip(fields, values, strict=True):
            if isinstance(value, str):
                cleaned = normalise_text(value, multiline=multiline)
                if cleaned != value:
                    update[name] = cleaned
        if update:
            manager.filter(pk=pk).update(**update)
            changed += 1
    return changed


def normalise_app(app_label: str, *, exclude: tuple[str, ...] = ()):
    """A ``RunPython`` function that normalises the rows of every model of ``app_label`` but the
    ``exclude``d model names (lower case)."""

    def forwards(apps, schema_editor):
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name not in exclude:
                normalise_rows(model, using=schema_editor.connection.alias)

    return forwards
