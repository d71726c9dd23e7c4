"""What a response is about, as the forms, the query strings and the cache keys name it."""

from dataclasses import dataclass
from typing import ClassVar

from portal.ids import parse_id


@dataclass(frozen=True)
class TargetKey:
    """The target of a response, written ``strategy`` (the whole strategy, or the hearing's own part),
    ``section-<id>``, ``goal-<id>`` or ``theme-<id>`` (ids of strategies.Section, Goal and Theme).

    ``TargetKey.parse(text)`` reads one (None for anything else); ``str(key)`` writes it back. The key
    says nothing about whether the target belongs to a hearing: hearings.services.resolve_target and
    hearings.selectors.target_choices decide that."""

    kind: str
    id: int | None = None

    STRATEGY: ClassVar[str] = "strategy"
    PARTS: ClassVar[tuple[str, ...]] = ("section", "goal", "theme")

    def __post_init__(self) -> None:
        if self.kind == self.STRATEGY:
            if self.id is not None:
                raise ValueError("The whole strategy as target has no id")
        elif self.kind not in self.PARTS or not isinstance(self.id, int) or self.id < 1:
            raise ValueError(f"Not a response target: {self.kind!r} {self.id!r}")

    @classmethod
    def parse(cls, value: object) -> "TargetKey | None":
        """The key written in ``value``, or None when it is not one: an unknown kind, no id, an id that
        is not ASCII digits ('section-²') or out of a bigint's range, anything but a string."""
        if not isinstance(value, str):
            return None
        if value == cls.STRATEGY:
            return cls(cls.STRATEGY)
        kind, _sep, raw_id = value.partition("-")
        target_id = parse_id(raw_id)
        if kind not in cls.PARTS or target_id is None:
            return None
        return cls(kind, target_id)

    @classmethod
    def strategy(cls) -> "TargetKey":
        return cls(cls.STRATEGY)

    @classmethod
    def of_ids(cls, *, section_id: int | None, goal_id: int | None, theme_id: int | None) -> "TargetKey":
        """The key of a response's targets (at most one of them set; none: the whole strategy)."""
        if goal_id:
            return cls("goal", goal_id)
        if theme_id:
            return cls("theme", theme_id)
        if section_id:
            return cls("section", section_id)
        return cls.strategy()

    @property
    def is_strategy(self) -> bool:
        return self.kind == self.STRATEGY

    def response_lookup(self) -> dict:
        """The filter of hearings.models.Response for the responses with exactly this target."""
        if self.is_strategy:
            return {"target_section": None, "target_goal": None, "target_theme": None}
        return {f"target_{self.kind}_id": self.id}

    def __str__(self) -> str:
        return self.kind if self.is_strategy else f"{self.kind}-{self.id}"
