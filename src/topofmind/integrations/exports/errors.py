"""The one error of the export writers."""

from __future__ import annotations


class ExportError(Exception):
    """A row or a person cannot be written; the message names which one and the field at fault."""
