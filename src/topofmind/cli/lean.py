"""Typer without pydantic for plain text options.

Typer 0.29 coerces every option that is not a flag through a pydantic ``TypeAdapter``, and the
first one built imports pydantic (with pydantic-core's schema module and ``importlib.metadata``
for its plugins): about a tenth of a second of ``topofmind today``'s start, to turn a string
into the same string. Here a plain ``str`` option or argument (no parser, no path checks)
gets its value as text directly and a flag keeps the bool the parser gave; every other kind (numbers, enums, paths, lists) keeps
Typer's own coercion, and with it pydantic, loaded when a command needs it.

This reaches into a private corner of Typer (``typer.core._TyperParameter``), so it checks
that the corner is there and otherwise leaves Typer as it is: a command is then slower to
start, never wrong. ``tests/integration/test_cli_start.py`` holds the lean start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from typer import core

try:
    from typer._coercion import RuntimeParam, build_runtime_param
except ImportError:  # pragma: no cover - a Typer whose internals moved: keep its own coercion
    RuntimeParam = None  # type: ignore[assignment,misc]


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _Text(RuntimeParam):
        """A command-line string as it came (decoded if the platform handed bytes)."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, bytes):
                return value.decode("utf-8", "replace")
            return str(value)

    @dataclass(frozen=True)
    class _Flag(RuntimeParam):
        """A flag's value, already a bool from the parser; anything else goes to Typer's coercion."""

        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, bool):
                return value
            return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


def _plain_text(descriptor: Any) -> bool:
    info = descriptor.parameter_info
    return bool(
        descriptor.annotation is str
        and getattr(info, "parser", None) is None
        and descriptor.file_annotation is None
        and not descriptor.is_path
        and not descriptor.is_choice
    )


def _runtime_param(self: Any) -> Any:
    if self._runtime_param is None:
        descriptor = self.type_descriptor
        if _plain_text(descriptor):
            self._runtime_param = _Text(parameter_info=descriptor.parameter_info, annotation=str)
        elif descriptor.annotation is bool and getattr(descriptor.parameter_info, "parser", None) is None:
            self._runtime_param = _Flag(
                parameter_info=descriptor.parameter_info, annotation=bool, descriptor=descriptor
            )
        else:
            self._runtime_param = build_runtime_param(descriptor)
    return self._runtime_param


def install() -> bool:
    """Give plain text options the direct path; False (and Typer untouched) if its internals moved."""
    parameter = getattr(core, "_TyperParameter", None)
    if RuntimeParam is None or parameter is None or not hasattr(parameter, "get_runtime_param"):
        return False
    parameter.get_runtime_param = _runtime_param
    return True
