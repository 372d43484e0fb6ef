"""What the composer takes besides a suggestion, and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass

from topofmind.engine.value import ValueKind

__all__ = ["Draft", "ValueKind", "ValueSnap"]


@dataclass(frozen=True)
class ValueSnap:
    """One item of value to share, picked by the service layer (not yet shared with this person).

    ``kind`` also accepts its string value ("article", ...), as the store keeps it.
    """

    kind: ValueKind
    title: str
    url: str = ""
    summary: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.kind, ValueKind):
            try:
                kind = ValueKind(str(self.kind).strip().lower())
            except ValueError:
                choices = ", ".join(k.value for k in ValueKind)
                raise ValueError(f"value kind {self.kind!r} is not one of: {choices}") from None
            object.__setattr__(self, "kind", kind)


@dataclass(frozen=True)
class Draft:
    """A message ready for the user to review: a subject line and a plain-text body."""

    subject: str
    body: str
