"""Student-level assessment results, counted into school results by group and then forgotten.

Two inputs are read (docs/data-formats.md, "Student-level results"):

* a **student-level CSV**: one row per student and assessment, with the
  school, the school year, the assessment, the student's identifier, the level
  (1 to 4, or NA when the student was not assessed) and `group_<code>` columns
  (Y or N) saying which student groups the student belongs to;
* **Ed-Fi StudentAssessment JSON** (`capacity.evidence.importers.edfi`).

Both feed one `Tally`, which counts students by school, school year,
assessment and group, and turns the counts into results: the number of
students with a level (`participating`), the share at each level and the share
at or above the provincial standard (level 3 or 4), unrounded, so that a
group's count and share give back its students exactly and "the group against
the other students" can be worked out without rounding.

Identifiers are needed for one check only: a student counted twice for one
assessment. They are kept in memory as keyed hashes (the key made afresh for
each import), never written anywhere, and never put in a problem: problems
name a row and a column (or a JSON path and a field) and say what is wrong,
without repeating the cell. The file itself is read from bytes in memory.

Nothing here touches the database: the caller passes the schools and
assessments Capacity knows, and writes the results (services_students.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.evidence.labels import StudentGroup
from capacity.imports import Columns, ImportReport
from capacity.imports.encoding import CP1252_UNDEFINED, UTF8_BOM, UTF8_CHARACTER
from capacity.imports.patterns import clean_school_number, school_number_re, school_number_rule
from capacity.imports.sniff import binary_cause, delimiter_cause
from capacity.imports.table import encoding_problem, width_problem
from capacity.schoolyears import normal_year

KIND = "student_results"
# Past this many problems the rest are counted, not listed (as the results reader does).
MAX_PROBLEMS = 10_000
ALL = "all"
# The groups a file may name: every group Capacity has words for, but "all" (every student is in it).
KNOWN_GROUPS = tuple(code for code in StudentGroup.values if code != ALL)
# Counted per school, year, assessment and group: students at levels 1 to 4, then those not assessed.
NOT_ASSESSED = 4
AT_STANDARD = (2, 3)  # levels 3 and 4

# --- the CSV's columns ---------------------------------------------------------------------
SCHOOL = "school_number"
YEAR = "school_year"
ASSESSMENT = "assessment"
STUDENT = "student_id"
LEVEL = "level"
GROUP_PREFIX = "group_"
REQUIRED = [SCHOOL, ASSESSMENT, STUDENT, LEVEL]
LEVEL_CODES = {"1": 1, "2": 2, "3": 3, "4": 4}
NOT_ASSESSED_CODES = {"na", "not assessed"}
YES = {"y", "yes", "1", "true"}
NO = {"n", "no", "0", "false"}


@dataclass(frozen=True)
class Where:
    """Where a record is in its file: a CSV row and its columns, or a JSON path (row None)."""

    row: int | None
    prefix: str = ""

    def at(self, column: str) -> str:
        if not self.prefix:
            return column
        return f"{self.prefix}.{column}" if column else self.prefix


@dataclass
class StudentResult:
    """One school's result on one assessment in one school year for one group, from its students."""

    school_number: str
    school_year: str
    assessment: str
    group: str
    counts: tuple[int, int, int, int, int]

    @property
    def participating(self) -> int:
        return sum(self.counts[:NOT_ASSESSED])

    @property
    def not_assessed(self) -> int:
        return self.counts[NOT_ASSESSED]

    def shares(self) -> dict[str, float]:
        """The share at each level and at or above the standard, in % of the students with a level."""
        n = self.participating
        if not n:
            return {}
        levels = {f"pct_level_{k + 1}": 100.0 * self.counts[k] / n for k in range(4)}
        return levels | {"pct_at_standard": 100.0 * sum(self.counts[k] for k in AT_STANDARD) / n}

    def values(self) -> dict[str, object]:
        """The result's stored values: figures when some student has a level, else "no data"."""
        n = self.participating
        if not n:
            return {
                "participating": 0,
                **{f"pct_level_{k}": None for k in range(1, 5)},
                "pct_at_standard": None,
                "status": "nd",
            }
        return {"participating": n, **self.shares(), "status": ""}


@dataclass
class Tally:
    """Students counted by school, school year, assessment and group, as the file is read."""

    report: ImportReport
    schools: Mapping[str, object]
    assessments: Mapping[str, object]
    partitions: tuple[tuple[str, ...], ...] = ()
    counts: dict[tuple[str, str, str, str], list[int]] = field(default_factory=dict)
    students: int = 0
    not_assessed: int = 0
    unlisted: int = 0
    # (school year, assessment, keyed hash of the student) -> where the student was first counted.
    _seen: dict[tuple[str, str, bytes], Where] = field(default_factory=dict)
    _key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    # Cells already read well, and what they read as (most files repeat a few schools and codes).
    _schools_read: dict[str, str] = field(default_factory=dict)
    _assessments_read: dict[str, str] = field(default_factory=dict)

    def problem(self, where: Where, column: str, reason: str) -> None:
        if len(self.report.problems) < MAX_PROBLEMS:
            self.report.problem(where.row, where.at(column), reason)
        else:
            self.unlisted += 1

    def hashed(self, student: str) -> bytes:
        """A student's identifier as a keyed hash: the same student gives the same bytes in this import only."""
        return hashlib.blake2b(student.encode("utf-8"), key=self._key, digest_size=16).digest()

    def school(self, where: Where, column: str, text: str) -> str | None:
        known = self._schools_read.get(text)
        if known is not None:
            return known
        number = clean_school_number(text)
        if not number:
            self.problem(where, column, _("The school number is missing."))
            return None
        if not school_number_re().match(number):
            # Not the cell's text: in a student file gone astray it could be a student's identifier.
            self.problem(where, column, school_number_rule())
            return None
        if number not in self.schools:
            self.problem(
                where,
                column,
                _(
                    "Capacity has no school with this number. Import the school table first with "
                    "`capacity import schools`."
                ),
            )
            return None
        self._schools_read[text] = number
        return number

    def assessment(self, where: Where, column: str, text: str) -> str | None:
        known = self._assessments_read.get(text)
        if known is not None:
            return known
        code = text.strip().upper()
        if not code:
            self.problem(where, column, _("The assessment code is missing."))
            return None
        if code not in self.assessments:
            self.problem(
                where,
                column,
                _("This is not an assessment Capacity knows. Known assessments: %(codes)s.")
                % {"codes": ", ".join(self.assessments)},
            )
            return None
        self._assessments_read[text] = code
        return code

    def groups_ok(self, where: Where, column: str, groups: Iterable[str]) -> bool:
        """False (with the problem) when a student is in two groups that split the students between them."""
        member = set(groups)
        for partition in self.partitions:
            both = [group for group in partition if group in member]
            if len(both) > 1:
                self.problem(
                    where,
                    column,
                    _(
                        "The student is in %(groups)s at once, but these groups split the students "
                        "between them: give one."
                    )
                    % {"groups": ", ".join(both)},
                )
                return False
        return True

    def count(
        self,
        where: Where,
        *,
        student_column: str,
        school: str,
        year: str,
        assessment: str,
        student: str,
        level: int | None,
        groups: Iterable[str],
    ) -> None:
        """Count one student's result (level 1 to 4, or None when not assessed) in each of their groups."""
        key = (year, assessment, self.hashed(student))
        first = self._seen.get(key)
        if first is not None:
            self.problem(
                where,
                student_column,
                _(
                    "This student is already counted for this assessment in %(year)s (%(where)s). "
                    "Each student may be counted once per assessment."
                )
                % {"year": year, "where": _place(first)},
            )
            return
        self._seen[key] = where
        if self.report.problems:
            return  # the file will be refused: only its problems matter now
        self.students += 1
        slot = NOT_ASSESSED if level is None else level - 1
        self.not_assessed += level is None
        for group in (ALL, *groups):
            counted = self.counts.get((school, year, assessment, group))
            if counted is None:
                counted = self.counts[(school, year, assessment, group)] = [0, 0, 0, 0, 0]
            counted[slot] += 1

    def results(self) -> list[StudentResult]:
        return [
            StudentResult(school, year, assessment, group, tuple(values))  # type: ignore[arg-type]
            for (school, year, assessment, group), values in sorted(self.counts.items())
        ]

    def finish(self) -> None:
        """Notes on what was counted; the unlisted problems, if any, counted."""
        if self.unlisted:
            self.report.problem(
                None,
                "",
                ngettext(
                    "%(count)s more problem is not listed.",
                    "%(count)s more problems are not listed.",
                    self.unlisted,
                )
                % {"count": self.unlisted},
            )
        self.report.rows = self.students
        if self.not_assessed and not self.report.problems:
            self.report.notes.append(
                ngettext(
                    "%(count)s student was not assessed (absent, exempted or without a result): "
                    "counted in no figure.",
                    "%(count)s students were not assessed (absent, exempted or without a result): "
                    "counted in no figure.",
                    self.not_assessed,
                )
                % {"count": self.not_assessed}
            )
        self._seen.clear()


def _place(where: Where) -> str:
    if where.row is not None:
        return _("row %(row)s") % {"row": where.row}
    return where.prefix


# --- reading bytes strictly --------------------------------------------------------------------


def decode(data: bytes, report: ImportReport, *, utf8_only: bool = False) -> str | None:
    """The file's text: UTF-8, or (unless `utf8_only`) Windows-1252 as Ontario publishes, never a mix.

    The same rule as capacity/imports/encoding.py, on bytes held in memory.
    """
    head = data[: 1 << 16]
    if head.startswith(b"PK\x03\x04"):
        report.problem(
            None,
            "",
            _("The file is a spreadsheet or a zip archive. Save the sheet as CSV in UTF-8."),
        )
        return None
    cause = binary_cause(
        Path("upload"), head, expect="csv"
    )  # the path is opened for zip files only
    if cause is not None:
        report.problem(None, "", cause)
        return None
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    bad: list[int] = []
    utf8 = False
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            bad.append(number)
            utf8 |= UTF8_CHARACTER.search(line) is not None
    if utf8 or utf8_only:
        report.problem(None, "", encoding_problem(bad))
        return None
    encoding = "latin-1" if CP1252_UNDEFINED.search(data) else "cp1252"
    report.notes.append(_("Read as %(encoding)s (the file is not UTF-8).") % {"encoding": encoding})
    return data.decode(encoding)


# --- the student-level CSV ---------------------------------------------------------------------


def read_student_csv(text: str, tally: Tally, *, school_year: str | None) -> None:
    """Count every row of a student-level CSV into `tally`; every fault is a problem with its row and column."""
    report = tally.report
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        report.problem(None, "", _("The file is empty."))
        return
    except csv.Error as exc:
        report.problem(1, "", _("The header cannot be read as CSV: %(reason)s") % {"reason": exc})
        return
    cause = delimiter_cause(header, text.split("\n", 1)[0])
    if cause is not None:
        report.problem(1, "", cause)
        return
    header = [name.strip() for name in header]
    columns = Columns(header)
    missing = columns.missing(REQUIRED, report)
    if not columns.has(YEAR) and school_year is None:
        report.problem(
            1,
            YEAR,
            _("This column is missing, and no school year was given with the file."),
        )
        missing = True
    groups = _group_columns(header, report)
    if missing or groups is None:
        return
    width = len(header)
    layout = _Layout(columns, groups)
    number = 1
    any_rows = False
    try:
        for row in reader:
            number += 1
            if not any(cell.strip() for cell in row):
                continue
            any_rows = True
            where = Where(number)
            if len(row) != width:
                tally.problem(where, "", width_problem(len(row), width))
                continue
            _count_row(row, where, layout, tally, school_year)
    except csv.Error as exc:
        report.problem(reader.line_num, "", _("Not valid CSV: %(reason)s") % {"reason": exc})
    if not any_rows and not report.problems:
        report.problem(None, "", _("The file has a header but no rows of students."))


def _group_columns(header: list[str], report: ImportReport) -> list[tuple[int, str, str]] | None:
    """(position, group code, column as spelt) of each `group_<code>` column; None when one names no group."""
    found: list[tuple[int, str, str]] = []
    bad = False
    for position, name in enumerate(header):
        if not name.lower().startswith(GROUP_PREFIX):
            continue
        code = name[len(GROUP_PREFIX) :].strip().lower()
        if code not in KNOWN_GROUPS:
            report.problem(
                1,
                name,
                _("This column names no student group Capacity knows. Known groups: %(groups)s.")
                % {"groups": ", ".join(GROUP_PREFIX + known for known in KNOWN_GROUPS)},
            )
            bad = True
            continue
        if any(code == seen for _position, seen, _name in found):
            report.problem(1, name, _("This group has two columns; give it one."))
            bad = True
            continue
        found.append((position, code, name))
    return None if bad else found


@dataclass
class _Layout:
    """Where each column is in the header, and how the file spells it, found once."""

    columns: Columns
    groups: list[tuple[int, str, str]]
    years: dict[str, str] = field(default_factory=dict)  # a year's text, once read well

    def __post_init__(self) -> None:
        def at(name: str) -> int:
            position = self.columns.position(name)
            assert position is not None
            return position

        self.school, self.assessment, self.student, self.level = (
            at(name) for name in (SCHOOL, ASSESSMENT, STUDENT, LEVEL)
        )
        self.year = self.columns.position(YEAR)
        self.labels = {name: self.columns.label(name) for name in (*REQUIRED, YEAR)}
        self.group_label = ", ".join(name for _p, _c, name in self.groups)


def _count_row(
    row: list[str], where: Where, layout: _Layout, tally: Tally, given_year: str | None
) -> None:
    labels = layout.labels
    before = len(tally.report.problems) + tally.unlisted
    school = tally.school(where, labels[SCHOOL], row[layout.school])
    year = _year(where, layout, row, tally, given_year)
    assessment = tally.assessment(where, labels[ASSESSMENT], row[layout.assessment])
    student = row[layout.student].strip()
    if not student:
        tally.problem(where, labels[STUDENT], _("The student's identifier is missing."))
    level = _level(where, labels[LEVEL], row[layout.level], tally)
    member = []
    for position, code, name in layout.groups:
        answer = row[position].strip().lower()
        if answer in YES:
            member.append(code)
        elif answer not in NO:
            tally.problem(
                where,
                name,
                _("Give Y if the student is in this group and N if not (also yes/no, 1/0)."),
            )
    if not tally.groups_ok(where, layout.group_label, member):
        return
    if len(tally.report.problems) + tally.unlisted > before:
        return
    assert school is not None and year is not None and assessment is not None
    tally.count(
        where,
        student_column=labels[STUDENT],
        school=school,
        year=year,
        assessment=assessment,
        student=student,
        level=None if level is False else level,
        groups=member,
    )


def _year(
    where: Where, layout: _Layout, row: list[str], tally: Tally, given: str | None
) -> str | None:
    text = row[layout.year].strip() if layout.year is not None else ""
    known = layout.years.get(text)
    if known is not None:
        return known
    label = layout.labels[YEAR]
    if not text:
        if given is None:
            tally.problem(where, label, _("The school year is missing."))
        return given
    year = normal_year(text)
    if year is None:
        tally.problem(where, label, _("A school year is written like 2018-19 (or 2018-2019)."))
        return None
    if given is not None and year != given:
        tally.problem(
            where,
            label,
            _("The file was given as %(given)s but this row says another school year.")
            % {"given": given},
        )
        return None
    layout.years[text] = year
    return year


def _level(where: Where, column: str, text: str, tally: Tally) -> int | bool | None:
    """1 to 4, False when the student was not assessed, None (with the problem) otherwise."""
    value = text.strip().lower()
    if value in LEVEL_CODES:
        return LEVEL_CODES[value]
    if value in NOT_ASSESSED_CODES:
        return False
    if not value:
        reason = _(
            "The level is missing: give 1, 2, 3 or 4, or NA when the student was not assessed."
        )
    else:
        reason = _(
            "This is not one level: give 1, 2, 3 or 4, or NA when the student was not assessed "
            "(a level such as 2.5, 3+ or 3/4 could be read two ways)."
        )
    tally.problem(where, column, reason)
    return None


def sniff_kind(data: bytes) -> str:
    """ "edfi" when the file is JSON (its first character other than a space is { or [), else "csv"."""
    head = data[:4096].lstrip(UTF8_BOM).lstrip()
    return "edfi" if head[:1] in (b"{", b"[") else "csv"
