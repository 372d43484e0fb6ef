"""The mail sync's progress bar: drawn on a terminal's standard error only, and only for long syncs."""

from __future__ import annotations

import io
import sys

import pytest

from topofmind.cli import render


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_sync_on_a_terminal_draws_a_bar_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    with render.sync_progress(quiet=False) as tick:
        assert tick is not None
        for done in range(0, 1001, 100):
            tick(done, 1000)
    assert "Reading mail" in err.getvalue()


def test_no_bar_off_a_terminal_with_json_or_for_a_short_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with render.sync_progress(quiet=False) as tick:
        assert tick is None
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    with render.sync_progress(quiet=True) as tick:
        assert tick is None
    with render.sync_progress(quiet=False) as tick:
        assert tick is not None
        tick(10, 20)
    assert "Reading mail" not in err.getvalue()
