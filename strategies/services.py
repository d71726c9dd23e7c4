"""Changes of state in the strategies app."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.db import models, transaction

from .models import Goal, Municipality, Section, Strategy, Theme

SEED_FILE = Path(__file__).resolve().parent / "seed" / "strategies.yaml"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.created or self.changed)


_M = TypeVar("_M", bound=models.Model)


def _concrete_field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):  # a reverse relation or a generic foreign key
        raise TypeError(f"{model.__name__}.{name} is not a field the seed can set")
    return field


def _upsert(model: type[_M], lookup: dict[str, Any], values: dict[str, Any], report: LoadReport) -> _M:
    """Create or update one row, saving only when a value differs, so that a second load of the
    same data writes nothing (and leaves every ``updated_at`` alone). Text is compared as the field
    stores it (under the portal's text policy, portal/text.py)."""
    values = {
        name: _concrete_field(model, name).to_python(value) if isinstance(value, str) else value
        for name, value in values.items()
    }
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        report.created.append(f"{model._meta.model_name} {obj}")
        return obj
    differing = [name for name, value in values.items() if getattr(obj, name) != value]
    if differing:
        for name in differing:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save()
        report.changed.append(f"{model._meta.model_name} {obj}: {', '.join(differing)}")
    return obj


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _text(value: str | None) -> str:
    return (value or "").strip()


@transaction.atomic
def load_strategies(*, data: dict[str, Any]) -> LoadReport:
    """Load municipalities and their strategies from ``data`` (the shape of ``seed/strategies.yaml``).

    Idempotent: rows are matched by their natural keys (slugs, numbers, positions) and updated
    in place; nothing is deleted, so content that hearings already point at stays.
    """
    report = LoadReport()
    for m in data["municipalities"]:
        municipality = _upsert(
            Municipality,
            {"slug": m["slug"]},
            {
                key: _text(m.get(key))
                for key in ("name", "address", "postcode", "city", "phone", "email", "website")
            },
            report,
        )
        for s in m.get("strategies", []):
            _load_strategy(municipality, s, report)
    return report


def _load_strategy(municipality: Municipality, s: dict[str, Any], report: LoadReport) -> None:
    strategy = _upsert(
        Strategy,
        {"municipality": municipality, "slug": s["slug"]},
        {
            "title": _text(s["title"]),
            "subtitle": _text(s.get("subtitle")),
            "intro": _text(s.get("intro")),
            "body": _text(s.get("body")),
            "closing": _text(s.get("closing")),
            "status": s.get("status", Strategy.Status.DRAFT),
            "period_start": s.get("period_start"),
            "period_end": s.get("period_end"),
            "adopted_on": _date(s.get("adopted_on")),
            "last_updated": _date(s.get("last_updated")),
            "section_label_singular": s["section_label_singular"],
            "section_label_plural": s["section_label_plural"],
        },
        report,
    )
    for sec in s.get("sections", []):
        section = _upsert(
            Section,
            {"strategy": strategy, "number": sec["number"]},
            {
                "slug": sec["slug"],
                "title": _text(sec["title"]),
                **{
                    key: _text(sec.get(key))
                    for key in ("tagline", "intro", "hearing_intro", "body", "goals_intro", "themes_intro")
                },
            },
            report,
        )
        for position, goal in enumerate(sec.get("goals") or [], start=1):
            headline = _upsert(
                Goal,
                {"section": section, "parent": None, "position": position},
                {"text": _text(goal["text"])},
                report,
            )
            for child_position, child in enumerate(goal.get("goals") or [], start=1):
                _upsert(
                    Goal,
                    {"section": section, "parent": headline, "position": child_position},
                    {"text": _text(child["text"])},
                    report,
                )
        for position, theme in enumerate(sec.get("themes") or [], start=1):
            _upsert(
                Theme,
                {"section": section, "position": position},
                {
                    "question": _text(theme["question"]),
                    "sub_questions": "\n".join(_text(q) for q in theme.get("sub_questions") or []),
                },
                report,
            )


def load_seed_file(*, path: Path = SEED_FILE) -> LoadReport:
    with path.open(encoding="utf-8") as f:
        return load_strategies(data=yaml.safe_load(f))
