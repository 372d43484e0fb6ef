"""Importing contacts and applications: the use-case behind ``topofmind import ...``.

The kinds of import are the entries of ``registry.IMPORTERS`` (adding one = one entry); ``importing`` runs
an import, ``writer`` decides and writes, ``keys`` matches names, ``bulk`` inserts rows.

The parsers in ``topofmind.integrations`` stream records out of a file; this package
decides what each record means for the workspace and writes it:

* **Duplicates** are found by e-mail, then LinkedIn URL, then a fuzzy match of the name
  among the people of the same organization (rapidfuzz), both against people already
  stored and against people earlier in the same file.
* **A merge never loses a field**: blanks are filled, new e-mails and phones added, tags
  joined, and whatever differs from what is stored (another title, another company, a
  department, a birthday) is appended to the person's notes. A second import of the same
  file changes nothing ("unchanged").
* Companies become organizations; LinkedIn's "Connected On" becomes a logged ``connection``
  on that day; applications become opportunities at their stage, with an ``application``
  touch on the day applied.
* **One transaction**: rows are written in batches as the file streams, and the whole import
  commits only at the end, after the core's ``replan`` ran once. A file that turns out to be
  broken half-way (cut short) rolls everything back. A dry run does all of it and rolls back,
  so its counts are exactly what the real import would do.

Writing goes straight to the store's tables in bulk - multi-row INSERTs for the new rows
(``bulk.insert_rows``), ``bulk_update`` for merged people - not through ``services.add_person`` one
by one, which re-plans after each person: a 50,000-row export must import in seconds. The
re-plan at the end covers just the people, openings and employers the import touched.
"""

from __future__ import annotations

from topofmind.crm.services.imports.importing import Progress, import_file, open_file
from topofmind.crm.services.imports.keys import name_key, org_key
from topofmind.crm.services.imports.registry import IMPORTERS, KINDS, MAX_UPLOAD_BYTES, Importer
from topofmind.crm.services.imports.report import ImportFailed, ImportReport, RowNote

__all__ = [
    "IMPORTERS",
    "KINDS",
    "MAX_UPLOAD_BYTES",
    "ImportFailed",
    "ImportReport",
    "Importer",
    "Progress",
    "RowNote",
    "import_file",
    "name_key",
    "open_file",
    "org_key",
]
