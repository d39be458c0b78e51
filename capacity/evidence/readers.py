"""Read assessment results files into canonical Arrow batches, without the database.

Two kinds of file are read, told apart by their header:

* **Ontario's school information table** (xlsx, or csv in UTF-8 or
  Windows-1252), one row per school, whose EQAO columns hold one figure per
  school and assessment ("69%", "N/R", "N/D", "SP", "NA"): every cell with a
  figure, or with a reason for having none, becomes one long row;
* **the long format**: one row per school x school year x assessment x student
  group, as CSV, XLSX or Parquet (docs/data-formats.md lists the columns).

`ResultsReader` yields `ResultBatch`es of at most `batch_size` rows in
`BATCH_SCHEMA`: the canonical analytics `results` columns
(capacity/evidence/analytics/schema.py), the four level percentages, and
`row`, the row of the file the result came from, numbered as a spreadsheet
numbers rows (the header is row 1). Every fault is recorded in an
`ImportReport` with its row, column and reason, and only rows without a fault
are yielded, so a caller that writes as it reads must stop writing at the first
problem (the database importer does, and rolls back).

Files are streamed, never loaded whole: CSV through pyarrow.csv.open_csv with
every column read as text, Parquet a batch at a time, XLSX a row at a time
through the import toolkit's workbook reader (capacity/imports/xlsx.py, which
reads percentages by their cell format and caps a workbook's size before
reading it). Files are read as strictly as every other import: see
capacity/imports for the rules on encodings, row widths and cells. Each chunk is checked a column at a time with
pyarrow.compute, on the column's *distinct* cells (a column of a million
percentages holds about a thousand different ones), and the verdicts are
spread back to the rows with `take`. Python touches single rows only to word a
problem. The only thing kept until the end of the files is each row's key
(school, year, assessment, group) as four small integer codes, to find the
same result given twice.

Nothing here touches the database, so `capacity identify --results` can read
files with no database at all.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.evidence.cells import (
    DEFAULT_GROUP,
    LEVELS,
    STATUSES,
    _clean_names,
    _Coded,
    _figures,
    _map,
    _np,
)
from capacity.imports import Columns, ImportReport, import_limits
from capacity.imports.encoding import scan_text
from capacity.imports.patterns import (
    PROVISIONAL_PATTERN,
    pad_school_numbers,
    school_number_pattern,
    school_number_problem,
)
from capacity.imports.sniff import binary_cause, delimiter_cause
from capacity.imports.table import encoding_problem
from capacity.imports.xlsx import WorkbookRefused, read_sheet
from capacity.schoolyears import normal_year, year_in, year_start_of

KIND = "results"
BATCH_SIZE = 50_000
# A file with a fault on every one of a million rows would otherwise hold a
# million problems in memory; past this many the rest are counted, not listed.
MAX_PROBLEMS = 10_000

# The canonical `results` table of the analytics (capacity/evidence/analytics/schema.py).
RESULT_COLUMNS = (
    "school_number",
    "school_name",
    "board_number",
    "board_name",
    "school_year",
    "assessment",
    "group",
    "participating",
    "pct_at_standard",
    "status",
)
BATCH_SCHEMA = pa.schema(
    [
        ("row", pa.int64()),
        ("school_number", pa.string()),
        ("school_name", pa.string()),
        ("board_number", pa.string()),
        ("board_name", pa.string()),
        ("school_year", pa.string()),
        ("assessment", pa.string()),
        ("group", pa.string()),
        ("participating", pa.int64()),
        ("pct_at_standard", pa.float64()),
        ("status", pa.string()),
        *((level, pa.float64()) for level in LEVELS),
    ]
)
CANONICAL_SCHEMA = pa.schema([BATCH_SCHEMA.field(name) for name in RESULT_COLUMNS])


XLSX_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}

# --- Ontario's school information table ------------------------------------------

SIF_SCHOOL_NUMBER = "School Number"
SIF_SCHOOL_NAME = "School Name"
SIF_BOARD_NUMBER = "Board Number"
SIF_BOARD_NAME = "Board Name"

# The EQAO columns, matched by header: (header, assessment, student group). The
# 2017-18 and 2018-19 tables split Grade 9 mathematics by course, so those
# results are kept as groups of G9-MATH; later tables give one figure. The
# "Change in ... Over Three Years" columns are not results and are ignored.
SIF_RESULT_COLUMNS = (
    (
        "Percentage of Grade 3 Students Achieving the Provincial Standard in Reading",
        "G3-READ",
        "all",
    ),
    (
        "Percentage of Grade 3 Students Achieving the Provincial Standard in Writing",
        "G3-WRITE",
        "all",
    ),
    (
        "Percentage of Grade 3 Students Achieving the Provincial Standard in Mathematics",
        "G3-MATH",
        "all",
    ),
    (
        "Percentage of Grade 6 Students Achieving the Provincial Standard in Reading",
        "G6-READ",
        "all",
    ),
    (
        "Percentage of Grade 6 Students Achieving the Provincial Standard in Writing",
        "G6-WRITE",
        "all",
    ),
    (
        "Percentage of Grade 6 Students Achieving the Provincial Standard in Mathematics",
        "G6-MATH",
        "all",
    ),
    (
        "Percentage of Grade 9 Students Achieving the Provincial Standard in Mathematics",
        "G9-MATH",
        "all",
    ),
    (
        "Percentage of Grade 9 Students Achieving the Provincial Standard in Academic Mathematics",
        "G9-MATH",
        "academic",
    ),
    (
        "Percentage of Grade 9 Students Achieving the Provincial Standard in Applied Mathematics",
        "G9-MATH",
        "applied",
    ),
    (
        "Percentage of Students That Passed the Grade 10 OSSLT on Their First Attempt",
        "OSSLT",
        "all",
    ),
)
# The columns every year's table has had: Grades 3 and 6, Grade 9 mathematics (one column, or
# one per course as in 2017-18 and 2018-19) and the OSSLT. A table missing one is refused, so
# that an assessment never silently drops out of identification.
SIF_ALWAYS = (*SIF_RESULT_COLUMNS[:6], SIF_RESULT_COLUMNS[9])
SIF_GRADE_9 = SIF_RESULT_COLUMNS[6]
SIF_GRADE_9_BY_COURSE = SIF_RESULT_COLUMNS[7:9]
# What the published cells say when there is no percentage. "S." appears in the
# 2021-22 table's Grade 9 column for small French-language schools whose other
# figures are suppressed ("SP"), so it is read as suppressed too.
SIF_STATUS_CODES = {"N/R": "nr", "N/D": "nd", "SP": "sp", "S.": "sp"}
# The school has no such grade (or the cell is empty): no result at all.
SIF_NO_RESULT_CODES = ("", "NA", "N/A", ".", "-")

# --- The long format ---------------------------------------------------------------

LONG_REQUIRED = ["school_number", "assessment", "pct_at_standard"]
LONG_OPTIONAL = [
    "school_year",
    "group",
    "participating",
    "status",
    "school_name",
    "board_number",
    "board_name",
    *LEVELS,
]
# Besides the codes, the long format accepts the spellings Ontario publishes.


def parse_source(text: str) -> tuple[str | None, Path | str]:
    """A file as given on the command line, `[YEAR=]PATH`: ("2018-19", Path) or (None, Path).

    A path that exists is taken whole even when its name holds "=". An address with a
    scheme (hdfs://, s3a://) stays text, for Spark to open (capacity/evidence/spark_files.py).
    """
    from capacity.evidence.spark_files import is_uri

    path = Path(text)
    if "=" in text and not path.exists():
        year, _sep, rest = text.partition("=")
        return (year.strip() or None), (rest if is_uri(rest) else Path(rest))
    return None, (text if is_uri(text) else path)


# --- What the reader yields ------------------------------------------------------------


@dataclass(frozen=True)
class ResultBatch:
    """Up to `batch_size` checked results from one file.

    `source` is the file's name (stored with each result). `labels` name, for
    `school_number` and `assessment` (and, in Ontario's table, each
    assessment's own column), the column a problem about a row should name,
    prefixed with the file's name when several files are read together.
    """

    data: pa.RecordBatch
    source: str
    labels: dict[str, str]

    def label(self, name: str, assessment: str | None = None) -> str:
        if assessment is not None and f"assessment:{assessment}" in self.labels:
            return self.labels[f"assessment:{assessment}"]
        return self.labels.get(name, name)


@dataclass
class _Sheet:
    """An opened file: its header, and its rows a chunk at a time (row numbers, one array per column)."""

    header: list[str]
    chunks: Iterator[tuple[np.ndarray, list[pa.Array]]]
    total: int | None = None
    sheet_name: str = ""
    # Called after the last chunk; returns the rows of lines left out, whose numbers the others must skip.
    finish: Callable[[], np.ndarray | None] | None = None
    # Each column's type where the file has types (Parquet); text files' columns are all text.
    types: list[pa.DataType] | None = None
    # The file as Spark opened it (capacity/evidence/spark_files.py), when Spark reads it itself.
    spark: Any = None


@dataclass
class _File:
    school_year: str | None
    path: Path
    index: int
    sheet: _Sheet | None = None
    opened: bool = False
    location: str = ""  # as given: a path, or an address for Spark (hdfs://, s3a://)


@dataclass
class _Found:
    """The problems of one chunk, put in row order before they join the report."""

    items: list[tuple[int, int, str, str]] = field(default_factory=list)

    def add(self, row: int, column: str, reason: str) -> None:
        self.items.append((row, len(self.items), column, reason))


class ResultsReader:
    """Read results files one after another into checked `ResultBatch`es.

    `sources` are (school year or None, path) pairs, as `parse_source` gives
    them. After the last batch the reader checks that no result appears twice
    across all the files. `rows_done` counts the files' rows read so far, and
    `total_rows()` says how many there are (an estimate for CSV), for a
    progress bar.
    """

    def __init__(
        self,
        sources: Sequence[tuple[str | None, Path | str]],
        report: ImportReport,
        *,
        batch_size: int = BATCH_SIZE,
        engine: Any = None,
    ) -> None:
        self.files = [
            _File(year, Path(path), index, location=str(path))
            for index, (year, path) in enumerate(sources)
        ]
        self.report = report
        self.batch_size = batch_size
        self.rows_done = 0
        self.unlisted = 0
        self._engine = engine
        self._prefix = ""
        # Rows with anything in them in the file being read: a file with none is refused.
        self._filled = 0
        # Each file's checked results in the engine: (file, table, labels for problems).
        self._checked: list[tuple[_File, Any, dict[str, str]]] | None = None
        # What the checks learnt of a long file's keys, by its checked table's id (the table is held above).
        self._keys: dict[int, Any] = {}
        self._tables = 0

    # --- Problems -----------------------------------------------------------------------

    def problem(self, row: int | None, column: str, reason: str) -> None:
        """Record a problem in the report (past MAX_PROBLEMS, only count it)."""
        if len(self.report.problems) >= MAX_PROBLEMS:
            self.unlisted += 1
            return
        self.report.problem(row, column, reason)

    def _label(self, column: str) -> str:
        return f"{self._prefix}{column}"

    def _file_problem(self, reason: str) -> None:
        self.problem(None, self._prefix.removesuffix(": "), reason)

    def _flush(self, found: _Found) -> None:
        for row, _order, column, reason in sorted(found.items):
            self.problem(row, column, reason)

    # --- Reading --------------------------------------------------------------------------

    def total_rows(self) -> int | None:
        """How many rows the files hold (an estimate for CSV), or None when a file cannot tell."""
        total = 0
        for file in self.files:
            sheet = self._open(file)
            if sheet is None or sheet.total is None:
                return None
            total += sheet.total
        return total

    @property
    def engine(self) -> Any:
        """The Ibis backend the files are checked in (DuckDB in this process unless one was given)."""
        if self._engine is None:
            from capacity.evidence.analytics import engines

            self._engine = engines.connect("duckdb")
        return self._engine

    def check(self) -> None:
        """Read and check every file in the engine, then look for results given twice. Runs once.

        Call `tidy()` afterwards to put the problems in order.
        """
        if self._checked is not None:
            return
        self._checked = []
        for file in self.files:
            self._checked += self._check_file(file)
        self._prefix = ""
        self._check_repeats()

    def batches(self) -> Iterator[ResultBatch]:
        """Every file's checked results, a batch at a time, once every file has been checked.

        When a file has problems, its rows without one are still given (an importer
        checks them against the directory, so the report lists every problem) but
        nothing may be written. Call `tidy()` once every batch has been used.
        """
        self.check()
        assert self._checked is not None
        for file, table, labels in self._checked:
            for batch in _arrow_batches(table, self.batch_size):
                yield ResultBatch(batch, file.path.name, labels)

    def checked_tables(self) -> list[tuple[str, Any, dict[str, str]]]:
        """Each file's checked results in the engine: (file name, Ibis table, labels for problems)."""
        self.check()
        assert self._checked is not None
        return [(file.path.name, table, labels) for file, table, labels in self._checked]

    def engine_table(self, *, levels: bool = False) -> Any:
        """Every file's checked results as one Ibis table in the engine, in the canonical `results` shape.

        Nothing is copied: the analyses run on it where the files were read. Only
        meaningful when the report has no problems.
        """
        self.check()
        assert self._checked is not None
        columns = [*RESULT_COLUMNS, *LEVELS] if levels else list(RESULT_COLUMNS)
        parts = [table.select(*columns) for _file, table, _labels in self._checked]
        if not parts:
            empty = BATCH_SCHEMA.empty_table().select(columns)
            return _to_engine(self.engine, self._table_name("empty"), empty)
        union = parts[0]
        for part in parts[1:]:
            union = union.union(part, distinct=False)
        return union

    def school_years(self) -> list[str]:
        """The school years the checked results hold, oldest first. Only meaningful when the report has no problems.

        From the cells the checks found where every file was checked in the
        engine (no pass over the rows); otherwise the engine is asked.
        """
        self.check()
        assert self._checked is not None
        keys = [self._keys.get(id(table)) for _file, table, _labels in self._checked]
        known = [cells for cells in keys if cells is not None]
        if len(known) < len(keys):
            return years_held(self.engine_table())
        return sorted(set().union(*(cells.years for cells in known)), key=year_start_of)

    def tidy(self) -> None:
        """Put the report's problems in file and row order, and say how many went unlisted."""
        names = [f"{file.path.name}: " for file in self.files]

        def place(problem: Any) -> tuple[int, int]:
            file = next(
                (
                    index
                    for index, name in enumerate(names)
                    if problem.column.startswith(name) or problem.column == name[:-2]
                ),
                -1,
            )
            return (file if len(names) > 1 else 0), (-1 if problem.row is None else problem.row)

        self.report.problems.sort(key=place)
        if self.unlisted:
            self.report.problem(
                None,
                "",
                ngettext(
                    "%(count)s more problem was found but not listed. Fix the ones above and import again.",
                    "%(count)s more problems were found but not listed. Fix the ones above and import "
                    "again.",
                    self.unlisted,
                )
                % {"count": self.unlisted},
            )
            self.unlisted = 0

    def table(self) -> pa.Table:
        """Every file read into one Arrow table in the canonical `results` shape (for the analytics)."""
        batches = [
            batch.data.select(list(RESULT_COLUMNS)).cast(CANONICAL_SCHEMA)
            for batch in self.batches()
        ]
        self.tidy()
        if not batches:
            return CANONICAL_SCHEMA.empty_table()
        return pa.Table.from_batches(batches, schema=CANONICAL_SCHEMA)

    def _use(self, file: _File) -> None:
        self._prefix = f"{file.path.name}: " if len(self.files) > 1 else ""

    def _open(self, file: _File) -> _Sheet | None:
        if not file.opened:
            file.opened = True
            self._use(file)
            file.sheet = self._open_sheet(file.path, file.location)
        return file.sheet

    def _table_name(self, kind: str) -> str:
        self._tables += 1
        return f"capacity_{kind}_{self._tables}"

    def _check_file(self, file: _File) -> list[tuple[_File, Any, dict[str, str]]]:
        sheet = self._open(file)
        self._use(file)
        if sheet is None:
            return []
        columns = Columns(sheet.header)
        first_problem = len(self.report.problems)
        self._filled = 0
        if columns.has("school_number") or not columns.has(SIF_SCHOOL_NUMBER):
            checked = self._read_long(file, sheet, columns)
        else:
            checked = self._read_sif_into_engine(file, sheet, columns)
        left_out = sheet.finish() if sheet.finish is not None else None
        if left_out is not None and len(left_out):
            self._renumber(left_out, first_problem)
        if not self._filled and len(self.report.problems) == first_problem:
            # As every other importer refuses it: a header alone is most likely the wrong file or an export cut short.
            self._file_problem(_("The file has a header but no rows of results."))
        return checked

    def _read_sif_into_engine(
        self, file: _File, sheet: _Sheet, columns: Columns
    ) -> list[tuple[_File, Any, dict[str, str]]]:
        """Ontario's table, turned into long rows in Python (a few thousand schools a year), then put in the engine."""
        pieces: list[pa.RecordBatch] = []
        labels: dict[str, str] = {}
        for batch in self._read_sif(file, sheet, columns):
            pieces.append(batch.data)
            labels = batch.labels
        if not pieces:
            return []
        table = pa.Table.from_batches(pieces, schema=BATCH_SCHEMA)
        return [(file, _to_engine(self.engine, self._table_name("sif"), table), labels)]

    def _unreadable(self, sheet: _Sheet, positions: dict[str, int]) -> bool:
        """Report each column to be read whose type holds no single number or text (Parquet lists, structs, dates)."""
        if sheet.types is None:
            return False
        found = False
        for position in sorted(set(positions.values())):
            kind = sheet.types[position]
            if not _readable_type(kind):
                found = True
                self.problem(
                    1,
                    self._label(sheet.header[position]),
                    _(
                        "This column holds values of the type %(type)s; each cell must be one number or "
                        "one piece of text. Save the column as numbers or text."
                    )
                    % {"type": str(kind)},
                )
        return found

    def _open_sheet(self, path: Path, location: str = "") -> _Sheet | None:
        from capacity.evidence import spark_files

        location = location or str(path)
        if getattr(self._engine, "name", None) == "pyspark" and path.suffix.lower() not in (
            XLSX_SUFFIXES | {".xls"}
        ):
            return self._open_spark(path, location)
        if spark_files.is_uri(location):
            self._file_problem(
                _("Only Spark reads files at addresses like hdfs:// or s3a://: add --engine spark.")
            )
            return None
        if not path.is_file():
            self._file_problem(
                _("The file cannot be read: %(reason)s") % {"reason": _("there is no such file")}
            )
            return None
        suffix = path.suffix.lower()
        if suffix in XLSX_SUFFIXES:
            return self._open_xlsx(path)
        if suffix in PARQUET_SUFFIXES:
            return self._open_parquet(path)
        if suffix == ".xls":
            self._file_problem(
                _("Old Excel files (.xls) cannot be read. Save the sheet as .xlsx or CSV.")
            )
            return None
        return self._open_csv(path)

    def _open_spark(self, path: Path, location: str) -> _Sheet | None:
        """A Parquet or CSV file that Spark reads itself (capacity/evidence/spark_files.py)."""
        from capacity.evidence import spark_files

        local = None if spark_files.is_uri(location) else path
        try:
            if path.suffix.lower() in PARQUET_SUFFIXES:
                opened = spark_files.open_parquet(location)
            else:
                opened = spark_files.open_csv(location, local=local, max_problems=MAX_PROBLEMS)
        except spark_files.Refused as exc:
            self._file_problem(str(exc))
            return None
        for row, actual in opened.bad_rows:
            self.problem(
                row,
                self._prefix.removesuffix(": "),
                _("This row has %(actual)s values but the header has %(expected)s columns.")
                % {"actual": actual, "expected": len(opened.header)},
            )
        return _Sheet(header=opened.header, chunks=iter(()), types=opened.types, spark=opened)

    # --- CSV ------------------------------------------------------------------------------

    def _open_csv(self, path: Path) -> _Sheet | None:
        # The same rules and words as the directory importers (capacity/imports/table.py).
        try:
            with path.open("rb") as handle:
                head = handle.read(1 << 16)
            cause = binary_cause(path, head, expect="csv")
            if cause is not None:
                self._file_problem(cause)
                return None
            scan = scan_text(path)
        except OSError as exc:
            self._file_problem(_("The file cannot be read: %(reason)s") % {"reason": exc.strerror})
            return None
        if not head.strip():
            self._file_problem(_("The file is empty."))
            return None
        if scan.encoding is None:
            self._file_problem(encoding_problem(scan.bad_lines))
            return None
        encoding, lines = scan.encoding, scan.lines
        if encoding != "utf-8":
            self.report.notes.append(
                self._prefix
                + _("Read as %(encoding)s (the file is not UTF-8).") % {"encoding": encoding}
            )
        first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace").lstrip("\ufeff")
        header = [name.strip() for name in next(csv.reader([first_line]), [])]
        cause = delimiter_cause(header, first_line)
        if cause is not None:
            self.problem(1, self._prefix.removesuffix(": "), cause)
            return None
        names = [f"c{position}" for position in range(len(header))]
        malformed: list[tuple[int, int]] = []

        def invalid_row(row: Any) -> str:
            # A line with more or fewer values than the header. pyarrow cannot say where it
            # is, so it is left out here, found after reading, and the row numbers put right.
            malformed.append((row.expected_columns, row.actual_columns))
            return "skip"

        average_line = max(16, len(head) // max(1, head.count(b"\n")))
        try:
            reader = pacsv.open_csv(
                path,
                read_options=pacsv.ReadOptions(
                    column_names=names,
                    skip_rows=1,
                    encoding=encoding,
                    # Blocks of about one batch of rows each.
                    block_size=max(1 << 20, min(64 << 20, average_line * self.batch_size)),
                ),
                # Empty lines are kept (as rows of blanks, skipped later) so that rows keep their numbers.
                parse_options=pacsv.ParseOptions(
                    ignore_empty_lines=False, invalid_row_handler=invalid_row
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, OSError) as exc:
            self._file_problem(_("Not valid CSV: %(reason)s") % {"reason": exc})
            return None

        batch_size = self.batch_size

        def chunks() -> Iterator[tuple[np.ndarray, list[pa.Array]]]:
            next_row = 2
            try:
                for block in reader:
                    # A block holds about a batch of rows; slices (no copies) keep to batch_size.
                    for start in range(0, block.num_rows, batch_size):
                        batch = block.slice(start, batch_size)
                        rows = np.arange(next_row, next_row + batch.num_rows, dtype=np.int64)
                        next_row += batch.num_rows
                        yield rows, list(batch.columns)
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                self._file_problem(_("Not valid CSV: %(reason)s") % {"reason": exc})

        def finish() -> np.ndarray | None:
            if not malformed:
                return None
            found = _find_malformed(path, encoding, len(header))
            if len(found) != len(malformed):  # pragma: no cover - the two CSV parsers disagree
                for expected, actual in malformed:
                    self._file_problem(
                        _("A row has %(actual)s values but the header has %(expected)s columns.")
                        % {"actual": actual, "expected": expected}
                    )
                return None
            for row, actual in found:
                self.problem(
                    row,
                    self._prefix.removesuffix(": "),
                    _("This row has %(actual)s values but the header has %(expected)s columns.")
                    % {"actual": actual, "expected": len(header)},
                )
            return np.array([row for row, _actual in found], dtype=np.int64)

        return _Sheet(header=header, chunks=chunks(), total=max(0, lines - 1), finish=finish)

    def _renumber(self, left_out: np.ndarray, first_problem: int) -> None:
        """Put right the row numbers given before the left-out lines were found.

        Rows were numbered as they came, not counting the lines left out; a
        row numbered p is really p plus the left-out lines before it.
        """
        marks = np.sort(left_out) - np.arange(len(left_out))

        def fix(rows: np.ndarray) -> np.ndarray:
            return np.asarray(rows + np.searchsorted(marks, rows, side="right"), dtype=np.int64)

        problems = self.report.problems
        added = {(int(row), self._prefix.removesuffix(": ")) for row in left_out}
        for position in range(first_problem, len(problems)):
            problem = problems[position]
            if problem.row is not None and (problem.row, problem.column) not in added:
                problems[position] = type(problem)(
                    int(fix(np.array([problem.row]))[0]), problem.column, problem.reason
                )

    # --- XLSX -----------------------------------------------------------------------------

    def _open_xlsx(self, path: Path) -> _Sheet | None:
        prefix = self._prefix

        def problem(row: int | None, column: str, reason: str) -> None:
            self.problem(row, prefix + column if column else prefix.removesuffix(": "), reason)

        try:
            sheet = read_sheet(path, problem, import_limits())
        except WorkbookRefused as exc:
            self._file_problem(str(exc))
            return None
        self.report.notes.append(
            self._prefix + _("Read the sheet %(sheet)s.") % {"sheet": sheet.name}
        )
        if not any(sheet.header):
            self._file_problem(_("The spreadsheet is empty."))
            return None
        width = len(sheet.header)
        batch_size = self.batch_size
        rows = sheet.rows

        def chunks() -> Iterator[tuple[np.ndarray, list[pa.Array]]]:
            while True:
                block: list[tuple[int, list[str]]] = []
                try:
                    for item in rows:
                        block.append(item)
                        if len(block) >= batch_size:
                            break
                except WorkbookRefused as exc:
                    problem(None, "", str(exc))
                    block = []
                if not block:
                    return
                numbers = np.array([number for number, _cells in block], dtype=np.int64)
                arrays = [
                    pa.array(
                        [
                            cells[position] if position < len(cells) else ""
                            for _number, cells in block
                        ],
                        pa.string(),
                    )
                    for position in range(width)
                ]
                yield numbers, arrays

        total = (
            None if sheet.declared_rows is None else max(0, sheet.declared_rows - sheet.header_row)
        )
        return _Sheet(header=sheet.header, chunks=chunks(), total=total, sheet_name=sheet.name)

    # --- Parquet --------------------------------------------------------------------------

    def _open_parquet(self, path: Path) -> _Sheet | None:
        try:
            parquet = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as exc:
            self._file_problem(_("The Parquet file cannot be opened: %(reason)s") % {"reason": exc})
            return None
        header = list(parquet.schema_arrow.names)
        types = list(parquet.schema_arrow.types)
        batch_size = self.batch_size

        def chunks() -> Iterator[tuple[np.ndarray, list[pa.Array]]]:
            # Parquet has no header line, but rows are numbered as in the CSV the
            # same data would make (first row 2), so problems read the same.
            row = 2
            try:
                for batch in parquet.iter_batches(batch_size=batch_size):
                    numbers = np.arange(row, row + batch.num_rows, dtype=np.int64)
                    row += batch.num_rows
                    yield numbers, list(batch.columns)
            except (pa.ArrowInvalid, OSError) as exc:
                self._file_problem(
                    _("The Parquet file cannot be read: %(reason)s") % {"reason": exc}
                )

        return _Sheet(header=header, chunks=chunks(), total=parquet.metadata.num_rows, types=types)

    # --- The school year of a file ----------------------------------------------------------

    def _file_year(self, file: _File, sheet: _Sheet, *, required: bool) -> str | None:
        """The year given with the file, else (when `required`) read from its name or its sheet's name.

        Says in a note where the year came from, as the school table's importer does.
        """
        from_name = year_in(file.path.stem)
        from_sheet = year_in(sheet.sheet_name) if sheet.sheet_name else None
        if file.school_year:
            year = normal_year(file.school_year)
            if year is None:
                self._file_problem(
                    _("“%(value)s” is not a school year like 2023-24.")
                    % {"value": file.school_year}
                )
                return None
            inferred = from_name or from_sheet
            if inferred and inferred != year:
                self.report.notes.append(
                    self._prefix
                    + _(
                        "The school year %(given)s was used as given, although the file's name suggests "
                        "%(inferred)s."
                    )
                    % {"given": year, "inferred": inferred}
                )
            return year
        if not required:
            return None
        if from_name and from_sheet and from_name != from_sheet:
            self._file_problem(
                _(
                    "The file name says %(name_year)s but the sheet name “%(sheet)s” says %(sheet_year)s. "
                    "Give the school year with the import."
                )
                % {"name_year": from_name, "sheet": sheet.sheet_name, "sheet_year": from_sheet}
            )
            return None
        if from_name:
            self.report.notes.append(
                self._prefix
                + _("School year %(year)s, read from the file name.") % {"year": from_name}
            )
            return from_name
        if from_sheet:
            self.report.notes.append(
                self._prefix
                + _("School year %(year)s, read from the sheet name “%(sheet)s”.")
                % {"year": from_sheet, "sheet": sheet.sheet_name}
            )
            return from_sheet
        self._file_problem(
            _(
                "The school year cannot be told from the file name or the sheet name. Give it with the "
                "file, like 2018-19=results.csv, or add a school_year column."
            )
        )
        return None

    # --- Ontario's school information table ------------------------------------------------

    def _read_sif(self, file: _File, sheet: _Sheet, columns: Columns) -> Iterator[ResultBatch]:
        present = [
            (columns.label(header), code, group)
            for header, code, group in SIF_RESULT_COLUMNS
            if columns.has(header)
        ]
        if not present:
            self.problem(
                1,
                self._label(_("EQAO columns")),
                _(
                    "This looks like Ontario's school information table, but it has none of the EQAO "
                    "result columns, such as “%(example)s”."
                )
                % {"example": SIF_RESULT_COLUMNS[0][0]},
            )
            return
        missing = _missing_sif_columns(columns)
        for header, code in missing:
            self.problem(
                1,
                self._label(header),
                _(
                    "This column is missing. Ontario's school information table has it every year; without "
                    "it the %(assessment)s results would silently drop out of identification. Give the "
                    "table with all its EQAO columns."
                )
                % {"assessment": code},
            )
        if missing:
            return
        year = self._file_year(file, sheet, required=True)
        if year is None:
            return
        position = {
            name: sheet.header.index(columns.label(name))
            for name in (SIF_SCHOOL_NUMBER, SIF_SCHOOL_NAME, SIF_BOARD_NUMBER, SIF_BOARD_NAME)
            if columns.has(name)
        }
        if self._unreadable(
            sheet, {**position, **{label: sheet.header.index(label) for label, *_rest in present}}
        ):
            return
        school_label = self._label(columns.label(SIF_SCHOOL_NUMBER))
        labels = {"school_number": school_label, "assessment": self._label("assessment")}
        for label, code, _group in present:
            labels.setdefault(f"assessment:{code}", self._label(label))
        order = pa.array([f"{code}/{group}" for _label, code, group in present])
        counts: Counter[str] = Counter()
        provisional: list[str] = []
        schools = 0
        for rows, arrays in sheet.chunks:
            self.rows_done += len(rows)
            size = len(rows)
            found = _Found()

            def text(name: str, arrays: list[pa.Array] = arrays, size: int = size) -> pa.Array:
                if name not in position:
                    return pa.nulls(size, pa.string())
                column = _Coded.of(arrays[position[name]])
                return column.spread(_clean_names(column.values))

            school_cells = _Coded.of(arrays[position[SIF_SCHOOL_NUMBER]])
            cells = {
                label: _Coded.of(arrays[sheet.header.index(label)])
                for label, _code, _group in present
            }
            blank_school = school_cells.blank()
            empty = blank_school.copy()
            for coded in cells.values():
                empty &= coded.rows(
                    _np(pc.is_in(pc.utf8_upper(coded.values), pa.array(SIF_NO_RESULT_CODES)))
                )
            self._filled += int((~empty).sum())
            is_provisional = school_cells.rows(
                _np(pc.match_substring_regex(school_cells.values, PROVISIONAL_PATTERN))
            )
            provisional += [school_cells.cell(index) for index in np.flatnonzero(is_provisional)]
            padded = pad_school_numbers(school_cells.values)
            bad_school = (
                ~blank_school
                & ~is_provisional
                & ~school_cells.rows(_np(pc.match_substring_regex(padded, school_number_pattern())))
            )
            for index in np.flatnonzero(bad_school | (blank_school & ~empty)):
                value = school_cells.cell(index)
                found.add(
                    int(rows[index]),
                    school_label,
                    school_number_problem(value) if value else _("The school number is missing."),
                )
            keep = ~blank_school & ~is_provisional & ~bad_school
            schools += int(keep.sum())
            skipped = 0
            school = school_cells.spread(padded)
            names = [
                text(SIF_SCHOOL_NAME),
                pc.utf8_upper(text(SIF_BOARD_NUMBER)),
                text(SIF_BOARD_NAME),
            ]
            pieces = []
            for label, code, group in present:
                coded = cells[label]
                upper = pc.utf8_upper(coded.values)
                status = pc.fill_null(_map(upper, SIF_STATUS_CODES), "")
                has_status = coded.rows(_np(pc.not_equal(status, "")))
                no_result = coded.rows(_np(pc.is_in(upper, pa.array(SIF_NO_RESULT_CODES))))
                number, not_number, _blank = _figures(coded, percent=True)
                outside = _np(pc.or_kleene(pc.less(number, 0), pc.greater(number, 100)))
                for index in np.flatnonzero(keep & outside):
                    found.add(
                        int(rows[index]),
                        self._label(label),
                        _("%(value)s is not a percentage between 0 and %(maximum)s.")
                        % {"value": coded.cell(index), "maximum": "100"},
                    )
                for index in np.flatnonzero(keep & not_number & ~has_status & ~no_result):
                    found.add(
                        int(rows[index]),
                        self._label(label),
                        _(
                            "“%(value)s” is not a result. Expected a percentage like 69%%, or N/R (not "
                            "reported), N/D (no data), SP (suppressed) or NA (no such grade)."
                        )
                        % {"value": coded.cell(index)},
                    )
                # Counted like every row: a provisional school's results are read, then skipped.
                skipped += int((is_provisional & ~no_result).sum())
                take = keep & ((_np(pc.is_valid(number)) & ~outside) | has_status)
                taken = int(take.sum())
                if not taken:
                    continue
                mask = pa.array(take)
                statuses = pc.filter(coded.spread(status), mask)
                for status_code, count in Counter(statuses.to_pylist()).items():
                    counts[status_code or "reported"] += count
                counts["S."] += int((take & coded.rows(_np(pc.equal(upper, "S.")))).sum())
                piece = pa.RecordBatch.from_arrays(
                    [
                        pa.array(rows[take]),
                        pc.filter(school, mask),
                        *(pc.filter(column, mask) for column in names),
                        pa.repeat(pa.scalar(year), taken),
                        pa.repeat(pa.scalar(code), taken),
                        pa.repeat(pa.scalar(group), taken),
                        pa.nulls(taken, pa.int64()),
                        pc.if_else(
                            pa.array(has_status[take]),
                            pa.scalar(None, pa.float64()),
                            pc.filter(number, mask),
                        ),
                        statuses,
                        *(pa.nulls(taken, pa.float64()) for _level in LEVELS),
                    ],
                    schema=BATCH_SCHEMA,
                )
                pieces.append(piece)
            self._flush(found)
            self.report.rows += skipped
            self.report.skipped += skipped
            if pieces:
                # Each school's results together, in the order of the table's columns.
                table = pa.Table.from_batches(pieces)
                place = pc.index_in(
                    pc.binary_join_element_wise(table["assessment"], table["group"], "/"),
                    value_set=order,
                )
                table = (
                    table.append_column("_order", place)
                    .sort_by([("row", "ascending"), ("_order", "ascending")])
                    .drop_columns(["_order"])
                )
                self.report.rows += table.num_rows
                for batch in table.to_batches(max_chunksize=self.batch_size):
                    yield ResultBatch(batch, file.path.name, labels)
        self._sif_notes(year, present, counts, provisional, schools)

    def _sif_notes(
        self,
        year: str,
        present: list[tuple[str, str, str]],
        counts: Counter[str],
        provisional: list[str],
        schools: int,
    ) -> None:
        notes = self.report.notes
        total = sum(counts[key] for key in ("reported", *STATUSES))
        notes.append(
            self._prefix
            + _(
                "Read %(results)s results of %(schools)s schools for %(year)s from %(columns)s EQAO columns: "
                "%(reported)s with a percentage, %(nr)s not reported (N/R), %(nd)s with no data (N/D) and "
                "%(sp)s suppressed. NA and blank cells (the school has no such grade) give no result."
            )
            % {
                "results": total,
                "schools": schools,
                "year": year,
                "columns": len(present),
                "reported": counts["reported"],
                "nr": counts["nr"],
                "nd": counts["nd"],
                "sp": counts["sp"],
            }
        )
        if counts["S."]:
            notes.append(
                self._prefix
                + ngettext(
                    "%(count)s cell said “S.”; it was read as suppressed (SP).",
                    "%(count)s cells said “S.”; they were read as suppressed (SP).",
                    counts["S."],
                )
                % {"count": counts["S."]}
            )
        if any(group != DEFAULT_GROUP for *_rest, group in present):
            notes.append(
                self._prefix
                + _(
                    "This table gives Grade 9 mathematics by course: its results are stored as G9-MATH for the "
                    "groups “academic” and “applied”."
                )
            )
        if provisional:
            notes.append(
                self._prefix
                + ngettext(
                    "Skipped %(count)s school with a provisional number (%(numbers)s): Ontario had not yet "
                    "numbered it. It can be imported once it has a number.",
                    "Skipped %(count)s schools with provisional numbers (%(numbers)s): Ontario had not yet "
                    "numbered them. They can be imported once they have numbers.",
                    len(provisional),
                )
                % {"count": len(provisional), "numbers": ", ".join(provisional)}
            )

    # --- The long format ---------------------------------------------------------------------

    def _read_long(
        self, file: _File, sheet: _Sheet, columns: Columns
    ) -> list[tuple[_File, Any, dict[str, str]]]:
        """A long-format file, checked in the engine (capacity/evidence/checks.py)."""
        from capacity.evidence import checks

        if columns.missing(LONG_REQUIRED, self.report, prefix=self._prefix):
            return []
        has_year = columns.has("school_year")
        given = self._file_year(file, sheet, required=not has_year)
        if given is None and (file.school_year or not has_year):
            return []  # the year given is not a year, or there is none at all: reported
        position = {
            name: sheet.header.index(columns.label(name))
            for name in (*LONG_REQUIRED, *LONG_OPTIONAL)
            if columns.has(name)
        }
        label = {
            name: self._label(columns.label(name)) for name in (*LONG_REQUIRED, *LONG_OPTIONAL)
        }
        labels = {"school_number": label["school_number"], "assessment": label["assessment"]}
        if self._unreadable(sheet, position):
            return []
        raw = self._raw(file, sheet, position)
        found = checks.check_long(
            self.engine,
            raw,
            types={name: raw[name].type() for name in position},
            given=given,
            label={**label, "__file__": file.path.name},
            problem=self.problem,
            prefix=self._table_name("file"),
            max_problems=MAX_PROBLEMS,
        )
        self.unlisted += found.unworded
        self._filled += found.rows
        self.report.rows += found.rows
        self.rows_done += found.rows
        if found.keys is not None:
            self._keys[id(found.table)] = found.keys
        return [(file, found.table, labels)]

    def _raw(self, file: _File, sheet: _Sheet, position: dict[str, int]) -> Any:
        """The file in the engine: `row` and each present column under its canonical name, as read."""
        if sheet.spark is not None:
            # Spark read the file itself (capacity/evidence/spark_files.py).
            from capacity.evidence import spark_files

            return spark_files.to_engine(
                self.engine, sheet.spark, position, self._table_name("spark")
            )
        if file.path.suffix.lower() in PARQUET_SUFFIXES and self.engine.name == "duckdb":
            # DuckDB reads the file itself; the columns keep their Parquet types.
            view = self.engine.read_parquet(
                file.path, table_name=self._table_name("parquet"), file_row_number=True
            )
            return view.select(
                row=(view["file_row_number"] + 2).cast("int64"),
                **{name: view[sheet.header[index]] for name, index in position.items()},
            )
        # CSV and XLSX come as chunks of text; Parquet too on an engine that cannot read it here.
        names = list(position)
        schema = pa.schema(
            [("row", pa.int64())]
            + [
                (name, sheet.types[index] if sheet.types is not None else pa.string())
                for name, index in position.items()
            ]
        )

        def batches() -> Iterator[pa.RecordBatch]:
            for rows, arrays in sheet.chunks:
                yield pa.RecordBatch.from_arrays(
                    [pa.array(rows, pa.int64()), *(arrays[position[name]] for name in names)],
                    schema=schema,
                )

        reader = pa.RecordBatchReader.from_batches(schema, batches())
        return _to_engine(self.engine, self._table_name("raw"), reader)

    # --- Repeats ----------------------------------------------------------------------------

    def _check_repeats(self) -> None:
        """Report each result given more than once, in one file or across the files read together."""
        from capacity.evidence import checks

        assert self._checked is not None
        names = [file.path.name for file in self.files]
        several = len(self.files) > 1
        parts = [table for _file, table, _labels in self._checked]
        files = [file.index for file, _table, _labels in self._checked]
        keys = [self._keys.get(id(table)) for table in parts]
        for (school, year, assessment, group), part, row, first_part, first_row in checks.repeats(
            parts, keys
        ):
            file, first_file = files[part], files[first_part]
            where = (
                _("row %(row)s of %(file)s") % {"row": first_row, "file": names[first_file]}
                if first_file != file
                else _("row %(row)s") % {"row": first_row}
            )
            self.problem(
                row,
                (f"{names[file]}: " if several else "") + "school_number",
                _(
                    "The result of school %(school)s in %(year)s on %(assessment)s for the group “%(group)s” is "
                    "already on %(where)s; each result may appear only once."
                )
                % {
                    "school": school,
                    "year": year,
                    "assessment": assessment,
                    "group": group,
                    "where": where,
                },
            )


def years_held(table: Any) -> list[str]:
    """The school years an Ibis results table holds, oldest first (one pass over it)."""
    column = table.select("school_year").distinct().to_pyarrow().column(0).to_pylist()
    return sorted((str(year) for year in column if year), key=year_start_of)


def _to_engine(con: Any, name: str, data: pa.Table | pa.RecordBatchReader) -> Any:
    """Arrow data stored in the engine as a temporary table (streamed, for DuckDB, as it is read)."""
    if con.name == "duckdb":
        raw = con.con
        view = f"{name}_arrow"
        raw.register(view, data)
        try:
            # Both names are made here (capacity_<kind>_<n>), never taken from a file.
            raw.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT * FROM "{view}"')  # noqa: S608
        finally:
            raw.unregister(view)
        return con.table(name)
    from capacity.evidence.analytics import engines

    table = data.read_all() if isinstance(data, pa.RecordBatchReader) else data
    return engines.load_table(con, name, table)


def _arrow_batches(table: Any, size: int) -> Iterator[pa.RecordBatch]:
    """An engine table's rows as Arrow batches of at most `size` rows, in the reader's schema."""
    for batch in table.to_pyarrow_batches(chunk_size=size):
        if batch.num_rows:
            yield batch.cast(BATCH_SCHEMA) if batch.schema != BATCH_SCHEMA else batch


def read_results_table(
    sources: Sequence[tuple[str | None, Path]], report: ImportReport
) -> pa.Table:
    """Every checked result of `sources` as one Arrow table in the canonical `results` shape."""
    return ResultsReader(sources, report).table()


# --- Helpers on whole columns ----------------------------------------------------------------


def _missing_sif_columns(columns: Columns) -> list[tuple[str, str]]:
    """(header, assessment) of each EQAO column Ontario's table promises but `columns` lacks."""
    missing = [(header, code) for header, code, _group in SIF_ALWAYS if not columns.has(header)]
    if not columns.has(SIF_GRADE_9[0]):
        by_course = [
            (header, code)
            for header, code, _group in SIF_GRADE_9_BY_COURSE
            if not columns.has(header)
        ]
        if len(by_course) == len(SIF_GRADE_9_BY_COURSE):
            missing.append((SIF_GRADE_9[0], SIF_GRADE_9[1]))
        else:
            missing += by_course
    return missing


def _readable_type(kind: pa.DataType) -> bool:
    """True for a column type whose cells each hold one number or one piece of text."""
    if pa.types.is_dictionary(kind):
        return _readable_type(kind.value_type)
    return (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_null(kind)
    )


def _integers(text: pa.Array, usable: np.ndarray) -> np.ndarray:
    """Digits as numbers where `usable`, -1 elsewhere."""
    digits = pc.if_else(pa.array(usable), text, pa.scalar("-1"))
    return np.asarray(pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False))


def _find_malformed(path: Path, encoding: str, width: int) -> list[tuple[int, int]]:
    """(row, values) of each row whose number of values differs from the header's. Run only when one does."""
    found = []
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for row in reader:
            if row and len(row) != width:
                found.append((reader.line_num, len(row)))
    return found
