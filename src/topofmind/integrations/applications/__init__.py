"""Applications exported from another job tracker (Huntr, Teal, a spreadsheet...)."""

from topofmind.integrations.applications.mapping import FIELDS, guess_mapping, stage_for
from topofmind.integrations.applications.parser import parse_applications

__all__ = ["FIELDS", "guess_mapping", "parse_applications", "stage_for"]
