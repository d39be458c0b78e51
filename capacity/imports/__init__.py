"""The import toolkit every importer uses: reading files strictly, and reporting what is wrong with them.

An import never stores a value it may have read wrong. Each module here holds
one rule, used by the directory importers (capacity/directory/importers) and
the results reader (capacity/evidence/readers.py) alike:

* `report`: problems (row, column, reason), the import's report, and
  all-or-nothing application with its audit entry;
* `table`: CSV and XLSX read into a header and numbered rows of text, with
  every row's width checked, and `Columns` to find columns by name;
* `encoding`: UTF-8, or Windows-1252 as Ontario publishes, never a mix;
* `xlsx`: workbooks streamed cell by cell, percentages and dates read by their
  format, errors and uncalculated formulas reported, sizes capped first;
* `limits`: the caps on a workbook's declared and inflated size (settings);
* `sniff`: the cause named when a file is not what its name says;
* `patterns`: board numbers, school numbers in the configured scheme
  (capacity/schoolnumbers.py; Ontario's by default) and the shapes of numbers.

School years have their own Django-free module, `capacity.schoolyears`.
"""

from capacity.imports.limits import Limits, import_limits
from capacity.imports.patterns import (
    BOARD_NUMBER_PATTERN,
    BOARD_NUMBER_RE,
    clean_board_number,
    clean_school_number,
    clean_text,
    pad_school_numbers,
    school_number_form,
    school_number_forms,
    school_number_pattern,
    school_number_problem,
    school_number_re,
)
from capacity.imports.report import ImportRejected, ImportReport, RowProblem, conclude
from capacity.imports.table import Columns, read_table

__all__ = [
    "BOARD_NUMBER_PATTERN",
    "BOARD_NUMBER_RE",
    "Columns",
    "ImportRejected",
    "ImportReport",
    "Limits",
    "RowProblem",
    "clean_board_number",
    "clean_school_number",
    "clean_text",
    "conclude",
    "import_limits",
    "pad_school_numbers",
    "read_table",
    "school_number_form",
    "school_number_forms",
    "school_number_pattern",
    "school_number_problem",
    "school_number_re",
]
