"""Say what a file really is when it is not the text or the workbook its name promises.

A person who picks the wrong file, or whose spreadsheet program saved CSV with
semicolons, should read the cause and the fix, not "row 2: the school number
is missing" for every row.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.utils.translation import gettext as _


def binary_cause(path: Path, head: bytes, *, expect: str) -> str | None:
    """Why the file at `path`, whose first bytes are `head`, is not what `expect` ("csv" or "xlsx") names.

    None when it may be what its name says. Recognises spreadsheets and documents by their signatures, then text
    encodings with NUL bytes (UTF-16), then any other file with control bytes.
    """
    if head.startswith(b"PK\x03\x04"):
        if expect == "xlsx":
            return None
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return _("The file is a damaged zip file, not CSV.")
        return workbook_cause(names) or _(
            "The file is a spreadsheet (xlsx), not CSV. Give it an .xlsx name."
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _(
            "The file is an old Excel workbook (.xls) or another Office 97-2003 document. Save the sheet "
            "as .xlsx or as CSV in UTF-8."
        )
    if head.startswith(b"%PDF"):
        return _("The file is a PDF document, not a table. Export the table as CSV or .xlsx.")
    if head.startswith(b"PAR1"):
        return _("The file is a Parquet file. Give it a .parquet name.")
    if head.startswith(b"\x1f\x8b"):
        return _("The file is compressed (gzip). Uncompress it first.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]:
        return _(
            "The file is not plain text in UTF-8 or Latin-1 (it looks like UTF-16 or a binary file). "
            "Save it as CSV in UTF-8 and try again."
        )
    if expect == "xlsx":
        if _looks_like_text(head):
            return _("The file is plain text (CSV?), not an Excel workbook. Give it a .csv name.")
        return _("The file is not an Excel workbook (.xlsx).")
    if not _looks_like_text(head):
        return _(
            "The file is a binary file, not text. Save the table as CSV in UTF-8 and try again."
        )
    return None


def _looks_like_text(head: bytes) -> bool:
    """True when the bytes hold no control characters other than tab, line ends and form feed."""
    sample = head[:4096]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 26))
    return controls == 0


def delimiter_cause(header: list[str], first_line: str) -> str | None:
    """Why a CSV header read as one column is not comma-separated, or None.

    Spreadsheet programs set to French (and many other languages) save "CSV"
    with semicolons, because the comma is their decimal mark.
    """
    if len(header) > 1:
        return None
    if first_line.count(";") >= 1:
        return _(
            "The values are separated by semicolons, not commas (spreadsheet programs in French and "
            "other languages save CSV this way). Save it as “CSV UTF-8 (comma delimited)” and try again."
        )
    if first_line.count("\t") >= 1:
        return _(
            "The values are separated by tabs, not commas. Save it as “CSV UTF-8 (comma delimited)” and "
            "try again."
        )
    return None


def workbook_cause(names: set[str]) -> str | None:
    """Why a zip file holding `names` is not an Excel workbook, or None when it is one."""
    if "xl/workbook.xml" in names:
        return None
    if "mimetype" in names and "content.xml" in names:
        return _(
            "The file is an OpenDocument spreadsheet (.ods). Save the sheet as .xlsx or as CSV in UTF-8."
        )
    if "word/document.xml" in names:
        return _("The file is a Word document, not a table. Export the table as CSV or .xlsx.")
    return _("The file is a zip archive but not an Excel workbook (.xlsx).")
