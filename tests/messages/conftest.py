"""The sample mails under tests/fixtures/mail, handed to tests as bytes by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "mail"


@pytest.fixture
def eml() -> Callable[[str], bytes]:
    def load(name: str) -> bytes:
        return (CORPUS / f"{name}.eml").read_bytes()

    return load
