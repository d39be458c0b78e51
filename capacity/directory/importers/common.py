"""The import toolkit's names, as the directory importers have always imported them.

The rules themselves live in `capacity.imports` (shared with the results
reader); nothing is defined here.
"""

from capacity.imports.patterns import (
    BOARD_NUMBER_RE,
    clean_board_number,
    clean_school_number,
    clean_text,
    school_number_form,
    school_number_forms,
    school_number_problem,
    school_number_re,
    school_numbers_padded_note,
)
from capacity.imports.report import ImportRejected, ImportReport, RowProblem, conclude
from capacity.imports.table import Columns, read_table

__all__ = [
    "BOARD_NUMBER_RE",
    "Columns",
    "ImportRejected",
    "ImportReport",
    "RowProblem",
    "clean_board_number",
    "clean_school_number",
    "clean_text",
    "conclude",
    "read_table",
    "school_number_form",
    "school_number_forms",
    "school_number_problem",
    "school_number_re",
    "school_numbers_padded_note",
]
