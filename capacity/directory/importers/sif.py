"""Import Ontario's "School information and student demographics" table.

Ontario publishes the table once a year, as a spreadsheet or a CSV, one row per
school. This importer turns it into boards, schools and one `SchoolContext` per
school for the table's school year. Columns are found by their header, so the
older 51-column tables and the newer 49-column ones both work; the EQAO result
columns are left for the results importer.

Cells the publisher withholds are kept as missing values with their reason:
"SP" (suppressed to protect small groups) becomes status "sp"; "NA", "N/R",
"N/D", "." and blank become status "na".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory.models import (
    Board,
    Language,
    Province,
    School,
    SchoolContext,
)
from capacity.imports import (
    BOARD_NUMBER_RE,
    Columns,
    ImportReport,
    clean_board_number,
    clean_school_number,
    clean_text,
    conclude,
    import_limits,
    read_table,
)
from capacity.imports.patterns import (
    NUMBER_RE,
    PROVISIONAL_NUMBER_RE,
    THOUSANDS_RE,
    school_number_problem,
    school_number_re,
    school_numbers_padded_note,
)
from capacity.imports.xlsx import sheet_name
from capacity.schoolyears import normal_year, year_in

KIND = "sif"

# Column headers as Ontario publishes them.
BOARD_NUMBER = "Board Number"
BOARD_NAME = "Board Name"
BOARD_TYPE = "Board Type"
BOARD_WEBSITE = "Board Website"
SCHOOL_NUMBER = "School Number"
SCHOOL_NAME = "School Name"
SCHOOL_TYPE = "School Type"
SPECIAL_CONDITION = "School Special Condition Code"
LEVEL = "School Level"
LANGUAGE = "School Language"
GRADE_RANGE = "Grade Range"
SUITE = "Building Suite"
PO_BOX = "P.O. Box"
STREET = "Street"
MUNICIPALITY = "Municipality"
CITY = "City"
POSTAL_CODE = "Postal Code"
PHONE = "Phone Number"
SCHOOL_WEBSITE = "School Website"
ENROLMENT = "Enrolment"
LATITUDE = "Latitude"
LONGITUDE = "Longitude"
NOT_ENGLISH = "Percentage of Students Whose First Language Is Not English"
NOT_FRENCH = "Percentage of Students Whose First Language Is Not French"
NEW_NON_ENGLISH = "Percentage of Students Who Are New to Canada from a Non-English Speaking Country"
NEW_NON_FRENCH = "Percentage of Students Who Are New to Canada from a Non-French Speaking Country"
SPECIAL_EDUCATION = "Percentage of Students Receiving Special Education Services"
GIFTED = "Percentage of Students Identified as Gifted"
LOW_INCOME = "Percentage of School-Aged Children Who Live in Low-Income Households"
NO_DEGREE = "Percentage of Students Whose Parents Have No Degree, Diploma or Certificate"

PERCENT_COLUMNS = (
    NOT_ENGLISH,
    NOT_FRENCH,
    NEW_NON_ENGLISH,
    NEW_NON_FRENCH,
    SPECIAL_EDUCATION,
    GIFTED,
    LOW_INCOME,
    NO_DEGREE,
)
REQUIRED = [
    BOARD_NUMBER,
    BOARD_NAME,
    BOARD_TYPE,
    SCHOOL_NUMBER,
    SCHOOL_NAME,
    LEVEL,
    LANGUAGE,
    ENROLMENT,
    *PERCENT_COLUMNS,
]

# Context fields filled straight from one column each.
DIRECT_INDICATORS = {
    "pct_first_language_not_english": NOT_ENGLISH,
    "pct_first_language_not_french": NOT_FRENCH,
    "pct_special_education": SPECIAL_EDUCATION,
    "pct_gifted": GIFTED,
    "pct_low_income": LOW_INCOME,
    "pct_parents_no_degree": NO_DEGREE,
}
CONTEXT_FIELDS = ["enrolment", *SchoolContext.INDICATORS, "statuses", "source"]
SCHOOL_FIELDS = [
    "board",
    "name",
    "level",
    "language",
    "school_type",
    "special_condition",
    "grade_range",
    "street",
    "city",
    "postal_code",
    "phone",
    "website",
    "latitude",
    "longitude",
    "enrolment",
]
BOARD_FIELDS = ["name", "board_type", "language", "website"]

SUPPRESSED_CODES = {"sp"}
NOT_APPLICABLE_CODES = {"", "na", "n/a", "n/r", "n/d", ".", "-"}
# Excel turns the grade range 9-12 into the date 12-Sep; this undoes it.
EXCEL_DATE_RANGE_RE = re.compile(r"^(\d{1,2})-([A-Za-z]{3})$")
MONTHS = {
    m: n
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}

# A generous box around Ontario: a point outside it is a typo or swapped coordinates.
LATITUDE_RANGE = (41.0, 57.5)
LONGITUDE_RANGE = (-96.0, -74.0)

LEVELS = {
    "elementary": School.Level.ELEMENTARY,
    "élémentaire": School.Level.ELEMENTARY,
    "elementaire": School.Level.ELEMENTARY,
    "secondary": School.Level.SECONDARY,
    "secondaire": School.Level.SECONDARY,
}
LANGUAGES = {
    "english": Language.ENGLISH,
    "anglais": Language.ENGLISH,
    "en": Language.ENGLISH,
    "french": Language.FRENCH,
    "français": Language.FRENCH,
    "francais": Language.FRENCH,
    "fr": Language.FRENCH,
}
BOARD_TYPES = {
    "pub dist sch brd (e/f)": Board.Type.PUBLIC,
    "cath dist sch brd (e/f)": Board.Type.CATHOLIC,
    "provincial/hospital": Board.Type.PROVINCIAL,
    # Centre Jules-Léger, the French provincial demonstration schools, in 2017-18 and 2018-19.
    "consortium": Board.Type.PROVINCIAL,
    # Used only by the Moose Factory Island and Moosonee district school area boards.
    "public school board": Board.Type.SCHOOL_AUTHORITY,
    "sec sch brd (sch auth)": Board.Type.SCHOOL_AUTHORITY,
    "prot sep sch brd (sch auth)": Board.Type.SCHOOL_AUTHORITY,
    **{value: value for value in Board.Type.values},
    **{str(label).lower(): value for value, label in Board.Type.choices},
}


@dataclass
class _Row:
    row: int
    board_number: str
    school_number: str
    board: dict[str, Any]
    school: dict[str, Any]
    context: dict[str, Any]


@dataclass
class _Changes:
    new_boards: list[Board] = field(default_factory=list)
    changed_boards: list[Board] = field(default_factory=list)
    new_schools: list[tuple[School, str]] = field(default_factory=list)
    changed_schools: list[tuple[School, str]] = field(default_factory=list)
    school_fields: set[str] = field(default_factory=set)
    new_contexts: list[tuple[SchoolContext, str]] = field(default_factory=list)
    changed_contexts: list[SchoolContext] = field(default_factory=list)
    context_fields: set[str] = field(default_factory=set)
    boards: Counter[str] = field(default_factory=Counter)
    kept_newer: int = 0


def import_sif(
    path: Path,
    *,
    school_year: str | None = None,
    actor: Any = None,
    actor_label: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Import one year of Ontario's school information table (xlsx or csv).

    Creates or updates the province, boards and schools, and one context per
    school for the school year, which is `school_year` (like 2023-24) or read
    from the file or sheet name. Every row is checked first; any problem
    rejects the whole file and nothing is written. Importing the same file
    again changes nothing. A dry run checks and counts but writes nothing.
    """
    path = Path(path)
    report = ImportReport(kind=KIND, source=str(path))
    year = _school_year(path, school_year, report)
    table = read_table(path, report)
    rows: list[_Row] = []
    if table is not None:
        header, numbered = table
        columns = Columns(header)
        if columns.missing(REQUIRED, report):
            report.rows = sum(1 for _row in numbered)
        else:
            rows = _read_rows(columns, numbered, report)
            if not report.rows:
                report.problem(None, "", _("The file has a header but no rows of schools."))
    if report.problems or year is None:
        return conclude(
            report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run
        )

    _check_boards_agree(rows, report)
    changes = _changes(rows, year, path.name, report) if not report.problems else _Changes()
    return conclude(
        report,
        apply=lambda: _apply(changes),
        actor=actor,
        actor_label=actor_label,
        dry_run=dry_run,
        detail={"school_year": year, "boards": dict(changes.boards)},
    )


# --- The school year ----------------------------------------------------------


def _sheet_name(path: Path) -> str:
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return ""
    return sheet_name(path, import_limits())  # read_table reports a workbook that cannot be opened


def _school_year(path: Path, given: str | None, report: ImportReport) -> str | None:
    from_name = year_in(path.stem)
    sheet = _sheet_name(path)
    from_sheet = year_in(sheet) if sheet else None
    if given:
        # Accept 2017-2018 and 2017_18 as well as the canonical 2017-18.
        year = normal_year(given)
        if year is None:
            report.problem(
                None, "", _("“%(value)s” is not a school year like 2023-24.") % {"value": given}
            )
            return None
        inferred = from_name or from_sheet
        if inferred and inferred != year:
            report.notes.append(
                _(
                    "The school year %(given)s was used as given, although the file's name suggests "
                    "%(inferred)s."
                )
                % {"given": year, "inferred": inferred}
            )
        return year
    if from_name and from_sheet and from_name != from_sheet:
        report.problem(
            None,
            "",
            _(
                "The file name says %(name_year)s but the sheet name “%(sheet)s” says %(sheet_year)s. "
                "Give the school year with the import."
            )
            % {"name_year": from_name, "sheet": sheet, "sheet_year": from_sheet},
        )
        return None
    if from_name:
        report.notes.append(
            _("School year %(year)s, read from the file name.") % {"year": from_name}
        )
        return from_name
    if from_sheet:
        report.notes.append(
            _("School year %(year)s, read from the sheet name “%(sheet)s”.")
            % {"year": from_sheet, "sheet": sheet}
        )
        return from_sheet
    report.problem(
        None,
        "",
        _(
            "The school year cannot be told from the file name or the sheet name. Give it with the "
            "import (for example 2023-24), or name the file like sif_data_table_2023_2024_en.xlsx."
        ),
    )
    return None


# --- Reading and checking rows ------------------------------------------------


class _Cells:
    """One row's cells, reporting each bad value with its row and column."""

    def __init__(self, columns: Columns, row: list[str], number: int, report: ImportReport) -> None:
        self.columns = columns
        self.row = row
        self.number = number
        self.report = report

    def text(self, name: str) -> str:
        return clean_text(self.columns.get(self.row, name))

    def problem(self, name: str, reason: str) -> None:
        self.report.problem(self.number, self.columns.label(name), reason)

    def amount(
        self, name: str, *, maximum: float | None, whole: bool
    ) -> tuple[float | None, str | None]:
        """A number, or None with the reason it is missing ("sp" or "na")."""
        text = self.text(name)
        code = text.lower()
        if code in SUPPRESSED_CODES:
            return None, SchoolContext.Status.SUPPRESSED.value
        if code in NOT_APPLICABLE_CODES:
            return None, SchoolContext.Status.NOT_APPLICABLE.value
        number = text.removesuffix("%").strip()
        if THOUSANDS_RE.fullmatch(number):
            number = number.replace(",", "")
        if not NUMBER_RE.fullmatch(number):
            self.problem(
                name,
                _(
                    "“%(value)s” is not a number. Give a number, or SP (suppressed) or NA "
                    "(not applicable)."
                )
                % {"value": text},
            )
            return None, None
        value = float(number)
        if value < 0 or (maximum is not None and value > maximum):
            if maximum is None:
                self.problem(name, _("%(value)s cannot be negative.") % {"value": text})
            else:
                self.problem(
                    name,
                    _("%(value)s is not a percentage between 0 and %(maximum)s.")
                    % {"value": text, "maximum": f"{maximum:g}"},
                )
            return None, None
        if whole and not value.is_integer():
            self.problem(name, _("%(value)s is not a whole number.") % {"value": text})
            return None, None
        return (int(value) if whole else value), None

    def coordinate(self, name: str, bounds: tuple[float, float]) -> float | None:
        text = self.text(name)
        if text.lower() in NOT_APPLICABLE_CODES:
            return None
        if not NUMBER_RE.fullmatch(text):
            self.problem(
                name, _("“%(value)s” is not a number in decimal degrees.") % {"value": text}
            )
            return None
        value = float(text)
        if not bounds[0] <= value <= bounds[1]:
            self.problem(
                name,
                _(
                    "%(value)s is outside Ontario (expected between %(low)s and %(high)s); check that "
                    "latitude and longitude are not swapped."
                )
                % {"value": text, "low": f"{bounds[0]:g}", "high": f"{bounds[1]:g}"},
            )
            return None
        return value


def _fits(cells: _Cells, name: str, value: str, max_length: int | None) -> str:
    if max_length is not None and len(value) > max_length:
        cells.problem(
            name,
            _("This is %(length)s characters long; at most %(max)s fit.")
            % {"length": len(value), "max": max_length},
        )
        return value[:max_length]
    return value


def _max_length(model: type[Board | School], name: str) -> int | None:
    return model._meta.get_field(name).max_length  # type: ignore[union-attr]


def _grade_range(text: str, number: int, repaired: dict[str, list[int]]) -> str:
    match = EXCEL_DATE_RANGE_RE.match(text)
    if match and match.group(2).lower() in MONTHS:
        fixed = f"{MONTHS[match.group(2).lower()]}-{match.group(1)}"
        repaired[f"{text} → {fixed}"].append(number)
        return fixed
    return text


def _address(suite: str, street: str, po_box: str) -> str:
    if po_box[:1].isdigit():  # some rows give the box number alone
        po_box = _("PO Box %(number)s") % {"number": po_box}
    return ", ".join(part for part in (suite, street, po_box) if part)


def _read_rows(columns: Columns, numbered: Any, report: ImportReport) -> list[_Row]:
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    provisional: list[str] = []
    padded = 0
    repaired: dict[str, list[int]] = defaultdict(list)
    for number, raw in numbered:
        report.rows += 1
        cells = _Cells(columns, raw, number, report)
        school_number_text = cells.text(SCHOOL_NUMBER)
        if PROVISIONAL_NUMBER_RE.match(school_number_text):
            provisional.append(school_number_text)
            report.skipped += 1
            continue
        school_number = clean_school_number(school_number_text)
        padded += school_number != school_number_text
        row = _read_row(cells, school_number, report, repaired)
        if school_number in seen:
            cells.problem(
                SCHOOL_NUMBER,
                _(
                    "School number %(number)s is already on row %(first)s; each "
                    "school may appear only once."
                )
                % {"number": school_number, "first": seen[school_number]},
            )
        elif school_number_re().match(school_number):
            seen[school_number] = number
        if row is not None:
            rows.append(row)
    if provisional:
        report.notes.append(
            ngettext(
                "Skipped %(count)s school with a provisional number (%(numbers)s): Ontario had not yet "
                "numbered it. It can be imported once it has a number.",
                "Skipped %(count)s schools with provisional numbers (%(numbers)s): Ontario had not yet "
                "numbered them. They can be imported once they have numbers.",
                len(provisional),
            )
            % {"count": len(provisional), "numbers": ", ".join(provisional)}
        )
    for change, numbers in repaired.items():
        report.notes.append(
            _(
                "The grade range %(change)s on rows %(rows)s: a spreadsheet had turned it into a date."
            )
            % {"change": change, "rows": ", ".join(map(str, numbers))}
        )
    if padded:
        report.notes.append(school_numbers_padded_note(padded))
    return rows


def _read_row(
    cells: _Cells, school_number: str, report: ImportReport, repaired: dict[str, list[int]]
) -> _Row | None:
    before = len(report.problems)
    board_number = clean_board_number(cells.text(BOARD_NUMBER))
    if not BOARD_NUMBER_RE.match(board_number):
        cells.problem(
            BOARD_NUMBER,
            _(
                "“%(value)s” is not a board number: it should be B followed by "
                "five digits, like B28010."
            )
            % {"value": board_number},
        )
    if not school_number_re().match(school_number):
        cells.problem(SCHOOL_NUMBER, school_number_problem(school_number))
    board_name = _fits(cells, BOARD_NAME, cells.text(BOARD_NAME), _max_length(Board, "name"))
    if not board_name:
        cells.problem(BOARD_NAME, _("The board's name is missing."))
    board_type_text = cells.text(BOARD_TYPE)
    board_type = BOARD_TYPES.get(board_type_text.lower())
    if board_type is None:
        cells.problem(
            BOARD_TYPE,
            _(
                "“%(value)s” is not a board type we know. Expected one like "
                "“Pub Dist Sch Brd (E/F)”, “Cath Dist Sch Brd (E/F)”, "
                "“Provincial/Hospital” or “Sec Sch Brd (Sch Auth)”."
            )
            % {"value": board_type_text},
        )
    name = _fits(cells, SCHOOL_NAME, cells.text(SCHOOL_NAME), _max_length(School, "name"))
    if not name:
        cells.problem(SCHOOL_NAME, _("The school's name is missing."))
    level = LEVELS.get(cells.text(LEVEL).lower())
    if level is None:
        cells.problem(
            LEVEL,
            _("“%(value)s” is not a school level: use Elementary or Secondary.")
            % {"value": cells.text(LEVEL)},
        )
    language = LANGUAGES.get(cells.text(LANGUAGE).lower())
    if language is None:
        cells.problem(
            LANGUAGE,
            _("“%(value)s” is not a language of instruction: use English or French.")
            % {"value": cells.text(LANGUAGE)},
        )

    enrolment, enrolment_status = cells.amount(ENROLMENT, maximum=None, whole=True)
    percent = {column: cells.amount(column, maximum=100, whole=False) for column in PERCENT_COLUMNS}
    latitude = cells.coordinate(LATITUDE, LATITUDE_RANGE)
    longitude = cells.coordinate(LONGITUDE, LONGITUDE_RANGE)
    special = cells.text(SPECIAL_CONDITION)
    school: dict[str, Any] = {
        "name": name,
        "level": level,
        "language": language,
        "school_type": cells.text(SCHOOL_TYPE),
        "special_condition": "" if special.lower() == "not applicable" else special,
        "grade_range": _grade_range(cells.text(GRADE_RANGE), cells.number, repaired),
        "street": _address(cells.text(SUITE), cells.text(STREET), cells.text(PO_BOX)),
        "city": cells.text(CITY) or cells.text(MUNICIPALITY),
        "postal_code": cells.text(POSTAL_CODE).upper(),
        "phone": cells.text(PHONE),
        "website": cells.text(SCHOOL_WEBSITE),
        "latitude": latitude,
        "longitude": longitude,
        "enrolment": enrolment,
    }
    for key, column in (
        ("school_type", SCHOOL_TYPE),
        ("special_condition", SPECIAL_CONDITION),
        ("grade_range", GRADE_RANGE),
        ("street", STREET),
        ("city", CITY),
        ("postal_code", POSTAL_CODE),
        ("phone", PHONE),
        ("website", SCHOOL_WEBSITE),
    ):
        school[key] = _fits(cells, column, school[key], _max_length(School, key))
    board = {
        "name": board_name,
        "board_type": board_type,
        "website": _fits(
            cells, BOARD_WEBSITE, cells.text(BOARD_WEBSITE), _max_length(Board, "website")
        ),
        "language": language,
    }
    if len(report.problems) > before:
        return None

    values: dict[str, float | int | None] = {"enrolment": enrolment}
    statuses: dict[str, str] = {}
    if enrolment_status:
        statuses["enrolment"] = enrolment_status
    for key, column in DIRECT_INDICATORS.items():
        values[key], status = percent[column]
        if status:
            statuses[key] = status
    # The shares that depend on the language of instruction take the column for that language.
    english = language == Language.ENGLISH
    for key, column in (
        ("pct_language_learners", NOT_ENGLISH if english else NOT_FRENCH),
        ("pct_new_to_canada", NEW_NON_ENGLISH if english else NEW_NON_FRENCH),
    ):
        values[key], status = percent[column]
        if status:
            statuses[key] = status
    context = {**values, "statuses": statuses}
    return _Row(
        row=cells.number,
        board_number=board_number,
        school_number=school_number,
        board=board,
        school=school,
        context=context,
    )


def _check_boards_agree(rows: list[_Row], report: ImportReport) -> None:
    """A board's name and type must be the same on every row; its language follows its schools."""
    first: dict[str, _Row] = {}
    languages: dict[str, Counter[str]] = defaultdict(Counter)
    websites: dict[str, str] = {}
    for row in rows:
        languages[row.board_number][row.school["language"]] += 1
        if row.board["website"]:
            websites.setdefault(row.board_number, row.board["website"])
        seen = first.setdefault(row.board_number, row)
        for key, column in (("name", BOARD_NAME), ("board_type", BOARD_TYPE)):
            if row.board[key] != seen.board[key]:
                report.problem(
                    row.row,
                    column,
                    _(
                        "Board %(number)s is “%(this)s” here but “%(first)s” on row %(row)s; a board must "
                        "be the same on every row."
                    )
                    % {
                        "number": row.board_number,
                        "this": row.board[key],
                        "first": seen.board[key],
                        "row": seen.row,
                    },
                )
    for row in rows:
        counts = languages[row.board_number]
        row.board["language"] = (
            Language.FRENCH
            if counts[Language.FRENCH] > counts[Language.ENGLISH]
            else Language.ENGLISH
        )
        # Some rows leave the board's website blank while others of the same board give it.
        row.board["website"] = websites.get(row.board_number, "")


# --- Comparing with what is stored, and writing ------------------------------


def _differs(obj: Any, values: dict[str, Any]) -> list[str]:
    return [key for key, value in values.items() if getattr(obj, key) != value]


def _changes(rows: list[_Row], year: str, source: str, report: ImportReport) -> _Changes:
    """Work out what to create and update, reading each table once."""
    changes = _Changes()
    boards = {board.number: board for board in Board.objects.order_by()}
    board_numbers = {board.pk: board.number for board in boards.values()}
    schools = {school.number: school for school in School.objects.order_by()}
    contexts = {
        context.school_id: context for context in SchoolContext.objects.filter(school_year=year)
    }
    # A file for an older year adds its contexts but leaves details from a newer year as they are.
    newer = SchoolContext.objects.filter(school_year__gt=year)
    newer_schools = set(newer.values_list("school_id", flat=True))
    newer_boards = set(newer.values_list("school__board_id", flat=True))

    done_boards: set[str] = set()
    for row in rows:
        if row.board_number in done_boards:
            continue
        done_boards.add(row.board_number)
        board = boards.get(row.board_number)
        if board is None:
            changes.new_boards.append(Board(number=row.board_number, **row.board))
            changes.boards["created"] += 1
        elif board.pk not in newer_boards and (changed := _differs(board, row.board)):
            for key in changed:
                setattr(board, key, row.board[key])
            changes.changed_boards.append(board)
            changes.boards["updated"] += 1
        else:
            changes.boards["unchanged"] += 1

    for row in rows:
        number = row.school_number
        school = schools.get(number)
        context_values = {**row.context, "source": source}
        if school is None:
            changes.new_schools.append((School(number=number, **row.school), row.board_number))
            changes.new_contexts.append((SchoolContext(school_year=year, **context_values), number))
            report.created += 1
            continue
        changed_school = False
        if school.pk in newer_schools:
            changes.kept_newer += 1
        else:
            changed = _differs(school, row.school)
            if board_numbers.get(school.board_id) != row.board_number:
                changed.append("board")
            if changed:
                for key in changed:
                    if key != "board":
                        setattr(school, key, row.school[key])
                changes.changed_schools.append((school, row.board_number))
                changes.school_fields.update(changed)
                changed_school = True
        context = contexts.get(school.pk)
        changed_context = False
        if context is None:
            changes.new_contexts.append((SchoolContext(school_year=year, **context_values), number))
            changed_context = True
        elif changed := _differs(context, context_values):
            for key in changed:
                setattr(context, key, context_values[key])
            changes.changed_contexts.append(context)
            changes.context_fields.update(changed)
            changed_context = True
        if changed_school or changed_context:
            report.updated += 1
        else:
            report.unchanged += 1

    report.notes.append(
        _("Boards: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
        % {key: changes.boards[key] for key in ("created", "updated", "unchanged")}
    )
    if changes.kept_newer:
        report.notes.append(
            ngettext(
                "%(count)s school already has information from a newer school year, so its name, "
                "address and board were left as they are; only its %(year)s context was imported.",
                "%(count)s schools already have information from a newer school year, so their names, "
                "addresses and boards were left as they are; only their %(year)s context was imported.",
                changes.kept_newer,
            )
            % {"count": changes.kept_newer, "year": year}
        )
    return changes


def _apply(changes: _Changes) -> None:
    province, _created = Province.objects.get_or_create(code="ON", defaults={"name": "Ontario"})
    for board in changes.new_boards:
        board.province = province
    Board.objects.bulk_create(changes.new_boards)
    if changes.changed_boards:
        Board.objects.bulk_update(changes.changed_boards, BOARD_FIELDS)
    board_ids = dict(Board.objects.values_list("number", "pk"))

    for school, board_number in changes.new_schools:
        school.board_id = board_ids[board_number]
    School.objects.bulk_create([school for school, _number in changes.new_schools], batch_size=500)
    for school, board_number in changes.changed_schools:
        school.board_id = board_ids[board_number]
    if changes.changed_schools:
        School.objects.bulk_update(
            [school for school, _number in changes.changed_schools],
            [name for name in SCHOOL_FIELDS if name in changes.school_fields],
            batch_size=500,
        )
    school_ids = dict(School.objects.values_list("number", "pk"))

    for context, school_number in changes.new_contexts:
        context.school_id = school_ids[school_number]
    SchoolContext.objects.bulk_create(
        [context for context, _number in changes.new_contexts], batch_size=500
    )
    if changes.changed_contexts:
        SchoolContext.objects.bulk_update(
            changes.changed_contexts,
            [name for name in CONTEXT_FIELDS if name in changes.context_fields],
            batch_size=500,
        )
