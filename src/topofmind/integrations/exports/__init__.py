"""CSV and vCard exports: what the export views, the API and the CLI will write.

What it offers::

    csv_lines(header, rows, *, bom=False) -> Iterator[str]    # header first, one record each
    write_csv(stream, header, rows, *, bom=False) -> int       # data rows written
    safe_text(text) -> str;  cell_text(value) -> str           # one spreadsheet-safe cell
    PersonCard(name, first_name, last_name, emails, phones, organization, title,
               linkedin_url, notes, roles, uid)
    vcard_text(person) -> str;  vcard_lines(people) -> Iterator[str]
    write_vcards(stream, people) -> int
    ExportError

How the services will call it: an export query yields plain rows (mappings from column names
to ``str | int | date | datetime | None``, or tuples in header order) and the entry point
passes ``csv_lines(header, rows, bom=wants_excel)`` to a streaming response
(``text/csv; charset=utf-8``) or ``write_csv`` to a file opened with ``newline=""``. People
become ``PersonCard``s (the same ``(label, value)`` e-mail and phone pairs the importers
yield) and ``vcard_lines(cards)`` streams a .vcf (``text/vcard; charset=utf-8``). The caller
decides which rows and people a user may see and which time zone dates are shown in; this
package only writes them safely. ``ExportError`` names the row or person and the field.
"""

from topofmind.integrations.exports.cells import Cell, cell_text, safe_text
from topofmind.integrations.exports.csvout import BOM, Row, csv_lines, write_csv
from topofmind.integrations.exports.errors import ExportError
from topofmind.integrations.exports.vcards import PRODID, PersonCard, vcard_lines, vcard_text, write_vcards

__all__ = [
    "BOM",
    "PRODID",
    "Cell",
    "ExportError",
    "PersonCard",
    "Row",
    "cell_text",
    "csv_lines",
    "safe_text",
    "vcard_lines",
    "vcard_text",
    "write_csv",
    "write_vcards",
]
