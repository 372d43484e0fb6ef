"""Writing a file the user named on the command line: ``-`` is the screen; anything else is
written beside the target and renamed into place once complete, so a command that fails half
way never leaves half a file (nor spoils the one that was there)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from topofmind.crm.errors import Invalid

T = TypeVar("T")


def write_in_place(
    file: Path, fill: Callable[[TextIO], T], *, newline: str = "", example: str = "a file inside it"
) -> T:
    """``fill(stream)`` writes the text and returns what the command reports. A folder, or a file
    in a folder that does not exist, is an error naming FILE (``example`` says what to give)."""
    if str(file) == "-":
        return fill(sys.stdout)
    if file.is_dir():
        raise Invalid("FILE", f"{file} is a folder", f"name {example}")
    folder = file.resolve().parent
    if not folder.is_dir():
        raise Invalid("FILE", f"the folder {folder} does not exist", "create it first")
    fd, temp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as out:
            result = fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, file)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return result
