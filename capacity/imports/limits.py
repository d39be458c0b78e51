"""How large a spreadsheet an import will open, checked before a single cell is parsed.

An xlsx file is a zip of XML. Its sheet declares its size (`<dimension
ref="A1:XFD1048576"/>`) and its zip declares how large each member inflates
to; both are read first, and a file over a limit is refused with the limit
and the setting that raises it, so a one-cell file claiming a million rows
or a small file that inflates to gigabytes costs nothing to turn away.
"""

from __future__ import annotations

from dataclasses import dataclass

# Ontario's published tables declare about 250,000 cells and inflate to about 11 MB
# at a ratio under 10; the defaults leave ample room for long-format results.
DEFAULT_MAX_CELLS = 50_000_000
DEFAULT_MAX_INFLATED_MB = 512
DEFAULT_MAX_RATIO = 100
# Members smaller than this inflate too little to matter, whatever their ratio.
RATIO_FLOOR_BYTES = 1 << 20


@dataclass(frozen=True)
class Limits:
    """The caps on one spreadsheet: declared cells (rows x columns), inflated bytes, compression ratio."""

    max_cells: int = DEFAULT_MAX_CELLS
    max_inflated_bytes: int = DEFAULT_MAX_INFLATED_MB << 20
    max_ratio: int = DEFAULT_MAX_RATIO


def import_limits() -> Limits:
    """The limits from the settings (CAPACITY_IMPORT_MAX_*), or the defaults where Django is not configured."""
    from django.conf import settings

    if not settings.configured:
        return Limits()
    return Limits(
        max_cells=getattr(settings, "CAPACITY_IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS),
        max_inflated_bytes=getattr(settings, "CAPACITY_IMPORT_MAX_XLSX_MB", DEFAULT_MAX_INFLATED_MB)
        << 20,
        max_ratio=getattr(settings, "CAPACITY_IMPORT_MAX_XLSX_RATIO", DEFAULT_MAX_RATIO),
    )
