"""Import boards, schools and learning networks from a plain CSV (or XLSX), one row per organisation.

For boards and jurisdictions that Ontario's school information table leaves
out, and for learning networks, which no published table has. The `kind`
column says what each row is: `board`, `school` or `network`. Boards are keyed
by their number (B28010), schools by theirs (019186), networks by their name.

A school's board is named by `board_number`: a board in the same file or one
already in Capacity. An import never moves a school to another board. A
network's `schools` lists its member schools (separated by spaces or
semicolons); importing sets its members to exactly those. Blank cells leave
what is stored alone, so a blank `schools` cell keeps a network's members.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory.importers.sif import (
    BOARD_TYPES,
    EXCEL_DATE_RANGE_RE,
    LANGUAGES,
    LATITUDE_RANGE,
    LEVELS,
    LONGITUDE_RANGE,
    MONTHS,
    NOT_APPLICABLE_CODES,
    NUMBER_RE,
    THOUSANDS_RE,
)
from capacity.directory.models import Board, Network, Province, School
from capacity.imports import (
    BOARD_NUMBER_RE,
    Columns,
    ImportReport,
    clean_board_number,
    clean_school_number,
    clean_text,
    conclude,
    read_table,
    school_number_form,
    school_number_forms,
    school_number_problem,
    school_number_re,
)
from capacity.imports.patterns import school_numbers_padded_note

KIND = "orgs"
REQUIRED = ["kind", "name"]

BOARD, SCHOOL, NETWORK = "board", "school", "network"
KINDS = {
    "board": BOARD,
    "conseil": BOARD,
    "school": SCHOOL,
    "école": SCHOOL,
    "ecole": SCHOOL,
    "network": NETWORK,
    "réseau": NETWORK,
    "reseau": NETWORK,
}
# Columns a file needs as soon as it has a row of these kinds.
NEEDED_FOR = {"number": {BOARD, SCHOOL}, "board_number": {SCHOOL}}

BOARD_FIELDS = ["name", "language", "board_type", "region", "website"]
SCHOOL_FIELDS = [
    "name",
    "level",
    "language",
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
NETWORK_FIELDS = ["name", "purpose"]
SCHOOL_LIST_RE = re.compile(r"[\s;,]+")

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class _Row:
    row: int
    kind: str
    key: str  # board number, school number, or the network's name
    values: dict[str, Any]  # only what the file gives: blank cells are left out
    board_number: str = ""  # a school's board
    schools: list[str] | None = None  # a network's members; None leaves them as they are


@dataclass
class _Changes:
    new_boards: list[Board] = field(default_factory=list)
    changed_boards: list[Board] = field(default_factory=list)
    board_fields: set[str] = field(default_factory=set)
    new_schools: list[tuple[School, str]] = field(default_factory=list)
    changed_schools: list[School] = field(default_factory=list)
    school_fields: set[str] = field(default_factory=set)
    new_networks: list[tuple[Network, list[str] | None]] = field(default_factory=list)
    changed_networks: list[tuple[Network, set[str], list[str] | None]] = field(default_factory=list)
    outcomes: dict[str, Counter[str]] = field(
        default_factory=lambda: {BOARD: Counter(), SCHOOL: Counter(), NETWORK: Counter()}
    )


def import_orgs(
    path: Path,
    *,
    actor: Any = None,
    actor_label: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Import boards, schools and learning networks from a CSV or XLSX with one row per organisation.

    Every row is checked first; any problem rejects the whole file and nothing
    is written. Importing the same file again changes nothing. A dry run checks
    and counts but writes nothing.
    """
    path = Path(path)
    report = ImportReport(kind=KIND, source=str(path))
    table = read_table(path, report)
    rows: list[_Row] = []
    in_file: dict[str, set[str]] = {BOARD: set(), SCHOOL: set(), NETWORK: set()}
    if table is not None:
        header, numbered = table
        columns = Columns(header)
        if columns.missing(REQUIRED, report):
            report.rows = sum(1 for _row in numbered)
        else:
            raw_rows = list(numbered)
            if not _missing_for_kinds(columns, raw_rows, report):
                rows = _read_rows(columns, raw_rows, report, in_file)
                if not report.rows and not report.problems:
                    report.problem(
                        None, "", _("The file has a header but no rows of organisations.")
                    )
    if table is None or not rows:
        return conclude(
            report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run
        )

    changes = _changes(rows, in_file, columns, report)
    if report.problems:
        # Rows are checked twice (their shape, then against Capacity): list the problems in file order.
        report.problems.sort(key=lambda p: -1 if p.row is None else p.row)
        report.created = report.updated = report.unchanged = 0
        changes = _Changes()
    return conclude(
        report,
        apply=lambda: _apply(changes),
        actor=actor,
        actor_label=actor_label,
        dry_run=dry_run,
        detail={f"{kind}s": dict(counts) for kind, counts in changes.outcomes.items() if counts},
    )


# --- Reading and checking rows ------------------------------------------------


def _kind(text: str) -> str | None:
    return KINDS.get(clean_text(text).lower())


def _missing_for_kinds(
    columns: Columns, raw_rows: list[tuple[int, list[str]]], report: ImportReport
) -> bool:
    """Report a column the file's boards or schools need but its header lacks. True when any is."""
    kinds = {_kind(columns.get(raw, "kind")) for _number, raw in raw_rows}
    absent = False
    for name, needed_by in NEEDED_FOR.items():
        if kinds & needed_by and not columns.has(name):
            reason = (
                _("This column is required when the file has boards or schools.")
                if name == "number"
                else _("This column is required when the file has schools.")
            )
            report.problem(1, name, reason)
            absent = True
    if absent:
        report.rows = len(raw_rows)
    return absent


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

    def fitting(self, name: str, model: type[Model], field_name: str | None = None) -> str:
        """The cell's text, reported when it is longer than the field holds."""
        value = self.text(name)
        max_length = model._meta.get_field(field_name or name).max_length  # type: ignore[union-attr]
        if max_length is not None and len(value) > max_length:
            self.problem(
                name,
                _("This is %(length)s characters long; at most %(max)s fit.")
                % {"length": len(value), "max": max_length},
            )
        return value

    def choice(self, name: str, choices: Mapping[str, str], reason: str) -> str | None:
        """A value from `choices`, or None when the cell is blank (or wrong, which is reported)."""
        text = self.text(name)
        if not text:
            return None
        value = choices.get(text.lower())
        if value is None:
            self.problem(name, reason % {"value": text})
            return None
        return str(value)

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

    def enrolment(self, name: str) -> int | None:
        text = self.text(name)
        if text.lower() in NOT_APPLICABLE_CODES:
            return None
        number = text.replace(",", "") if THOUSANDS_RE.fullmatch(text) else text
        if not NUMBER_RE.fullmatch(number):
            self.problem(name, _("“%(value)s” is not a number of students.") % {"value": text})
            return None
        value = float(number)
        if value < 0:
            self.problem(name, _("%(value)s cannot be negative.") % {"value": text})
            return None
        if not value.is_integer():
            self.problem(name, _("%(value)s is not a whole number.") % {"value": text})
            return None
        return int(value)


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """Only the values a file gives: blank cells never erase what is stored."""
    return {key: value for key, value in values.items() if value not in ("", None)}


def _grade_range(text: str, number: int, repaired: list[str]) -> str:
    """Undo a spreadsheet's turning 9-12 into the date 12-Sep."""
    match = EXCEL_DATE_RANGE_RE.match(text)
    if match and match.group(2).lower() in MONTHS:
        fixed = f"{MONTHS[match.group(2).lower()]}-{match.group(1)}"
        repaired.append(
            _("%(change)s on row %(row)s") % {"change": f"{text} → {fixed}", "row": number}
        )
        return fixed
    return text


def _read_rows(
    columns: Columns,
    raw_rows: list[tuple[int, list[str]]],
    report: ImportReport,
    in_file: dict[str, set[str]],
) -> list[_Row]:
    """Check each row's shape. A row with a problem is left out, but its key still counts as in the file."""
    rows: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    padded = 0
    repaired: list[str] = []
    for number, raw in raw_rows:
        report.rows += 1
        cells = _Cells(columns, raw, number, report)
        before = len(report.problems)
        kind_text = cells.text("kind")
        kind = _kind(kind_text)
        if not kind_text:
            cells.problem("kind", _("The kind is missing: use board, school or network."))
            continue
        if kind is None:
            cells.problem(
                "kind",
                _("“%(value)s” is not a kind of organisation: use board, school or network.")
                % {"value": kind_text},
            )
            continue
        if kind == BOARD:
            row = _read_board(cells)
        elif kind == SCHOOL:
            school_number = cells.text("number")
            row = _read_school(cells, repaired)
            padded += bool(row.key) and row.key != school_number
        else:
            row = _read_network(cells)
        if not row.key:
            continue
        # A network's name is matched without regard to case, as Capacity looks networks up.
        seen_key = (kind, row.key.casefold() if kind == NETWORK else row.key)
        if seen_key in seen:
            first = seen[seen_key]
            reason = {
                BOARD: _(
                    "Board number %(number)s is already on row %(first)s; each board may appear only "
                    "once."
                ),
                SCHOOL: _(
                    "School number %(number)s is already on row %(first)s; each school may appear "
                    "only once."
                ),
                NETWORK: _(
                    "The learning network “%(name)s” is already on row %(first)s; each network may "
                    "appear only once."
                ),
            }[kind]
            cells.problem(
                "name" if kind == NETWORK else "number",
                reason % {"number": row.key, "name": row.key, "first": first},
            )
            continue
        seen[seen_key] = number
        in_file[kind].add(seen_key[1])
        if len(report.problems) == before:
            rows.append(row)
    if padded:
        report.notes.append(school_numbers_padded_note(padded))
    if repaired:
        report.notes.append(
            _("Grade ranges a spreadsheet had turned into dates were put back: %(changes)s.")
            % {"changes": "; ".join(repaired)}
        )
    return rows


def _read_board(cells: _Cells) -> _Row:
    number = clean_board_number(cells.text("number"))
    if not number:
        cells.problem(
            "number", _("A board needs its number: B followed by five digits, like B28010.")
        )
    elif not BOARD_NUMBER_RE.match(number):
        cells.problem(
            "number",
            _(
                "“%(value)s” is not a board number: it should be B followed by "
                "five digits, like B28010."
            )
            % {"value": number},
        )
        number = ""
    name = cells.fitting("name", Board)
    if not name:
        cells.problem("name", _("The board's name is missing."))
    values = {
        "name": name,
        "language": cells.choice(
            "language",
            LANGUAGES,
            _("“%(value)s” is not a language: use en or fr (or English or French)."),
        ),
        "board_type": cells.choice(
            "board_type",
            BOARD_TYPES,
            _("“%(value)s” is not a board type: use public, catholic, authority or provincial."),
        ),
        "region": cells.fitting("region", Board),
        "website": cells.fitting("website", Board),
    }
    return _Row(row=cells.number, kind=BOARD, key=number, values=_given(values))


def _read_school(cells: _Cells, repaired: list[str]) -> _Row:
    number_text = cells.text("number")
    number = clean_school_number(number_text)
    if not number:
        cells.problem(
            "number", _("A school needs its number: %(form)s.") % {"form": school_number_form()}
        )
    elif not school_number_re().match(number):
        cells.problem("number", school_number_problem(number))
        number = ""
    name = cells.fitting("name", School)
    if not name:
        cells.problem("name", _("The school's name is missing."))
    board_number = clean_board_number(cells.text("board_number"))
    if not board_number:
        cells.problem("board_number", _("A school needs the number of its board, like B28010."))
    elif not BOARD_NUMBER_RE.match(board_number):
        cells.problem(
            "board_number",
            _(
                "“%(value)s” is not a board number: it should be B followed by "
                "five digits, like B28010."
            )
            % {"value": board_number},
        )
    values = {
        "name": name,
        "language": cells.choice(
            "language",
            LANGUAGES,
            _("“%(value)s” is not a language: use en or fr (or English or French)."),
        ),
        "level": cells.choice(
            "level", LEVELS, _("“%(value)s” is not a school level: use Elementary or Secondary.")
        ),
        "grade_range": _grade_range(cells.fitting("grade_range", School), cells.number, repaired),
        "street": cells.fitting("street", School),
        "city": cells.fitting("city", School),
        "postal_code": cells.fitting("postal_code", School).upper(),
        "phone": cells.fitting("phone", School),
        "website": cells.fitting("website", School),
        "latitude": cells.coordinate("latitude", LATITUDE_RANGE),
        "longitude": cells.coordinate("longitude", LONGITUDE_RANGE),
        "enrolment": cells.enrolment("enrolment"),
    }
    return _Row(
        row=cells.number, kind=SCHOOL, key=number, values=_given(values), board_number=board_number
    )


def _read_network(cells: _Cells) -> _Row:
    name = cells.fitting("name", Network)
    if not name:
        cells.problem("name", _("The learning network's name is missing."))
    schools: list[str] | None = None
    listed = cells.text("schools")
    if listed:
        schools = []
        for text in SCHOOL_LIST_RE.split(listed):
            number = clean_school_number(text)
            if not number:
                continue
            if not school_number_re().match(number):
                cells.problem("schools", school_number_problem(text))
            elif number not in schools:
                schools.append(number)
    return _Row(
        row=cells.number,
        kind=NETWORK,
        key=name,
        values=_given({"purpose": cells.text("purpose")}),
        schools=schools,
    )


# --- Comparing with what is stored ----------------------------------------------


def _differs(obj: Any, values: dict[str, Any]) -> list[str]:
    return [key for key, value in values.items() if getattr(obj, key) != value]


def _changes(
    rows: list[_Row], in_file: dict[str, set[str]], columns: Columns, report: ImportReport
) -> _Changes:
    """Check the rows against Capacity and work out what to create and update, reading each table once."""
    changes = _Changes()
    board_numbers = in_file[BOARD] | {row.board_number for row in rows if row.kind == SCHOOL}
    boards = {board.number: board for board in Board.objects.filter(number__in=board_numbers)}
    school_numbers = in_file[SCHOOL] | {n for row in rows if row.schools for n in row.schools}
    # A school stored without its leading zeros is found by its number with or without them.
    school_numbers = {form for n in school_numbers for form in school_number_forms(n)}
    schools = {
        clean_school_number(school.number): school
        for school in School.objects.filter(number__in=school_numbers).select_related("board")
    }
    networks = list(Network.objects.prefetch_related("schools"))
    by_name = {network.name: network for network in networks}
    by_folded = {network.name.casefold(): network for network in networks}

    board_language: dict[str, str] = {number: board.language for number, board in boards.items()}
    for row in rows:
        if row.kind == BOARD:
            _change_board(row, boards.get(row.key), columns, changes, report)
            if "language" in row.values:
                board_language[row.key] = row.values["language"]
    for row in rows:
        if row.kind == SCHOOL:
            _change_school(
                row, schools.get(row.key), in_file, boards, board_language, columns, changes, report
            )
    for row in rows:
        if row.kind == NETWORK:
            network = by_name.get(row.key) or by_folded.get(row.key.casefold())
            _change_network(row, network, in_file, schools, columns, changes, report)

    labels = {
        BOARD: _("Boards: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."),
        SCHOOL: _("Schools: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."),
        NETWORK: _(
            "Learning networks: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."
        ),
    }
    for kind, counts in changes.outcomes.items():
        if counts and not report.problems:
            report.notes.append(
                labels[kind] % {key: counts[key] for key in (CREATED, UPDATED, UNCHANGED)}
            )
    return changes


def _count(changes: _Changes, report: ImportReport, kind: str, outcome: str) -> None:
    changes.outcomes[kind][outcome] += 1
    setattr(report, outcome, getattr(report, outcome) + 1)


def _change_board(
    row: _Row, board: Board | None, columns: Columns, changes: _Changes, report: ImportReport
) -> None:
    if board is None:
        missing = False
        if "language" not in row.values:
            report.problem(
                row.row,
                columns.label("language"),
                _("Board %(number)s is new, so it needs its language: en or fr.")
                % {"number": row.key},
            )
            missing = True
        if "board_type" not in row.values:
            report.problem(
                row.row,
                columns.label("board_type"),
                _(
                    "Board %(number)s is new, so it needs its type: public, catholic, authority "
                    "or provincial."
                )
                % {"number": row.key},
            )
            missing = True
        if not missing:
            changes.new_boards.append(Board(number=row.key, **row.values))
            _count(changes, report, BOARD, CREATED)
        return
    if changed := _differs(board, row.values):
        for key in changed:
            setattr(board, key, row.values[key])
        changes.changed_boards.append(board)
        changes.board_fields.update(changed)
        _count(changes, report, BOARD, UPDATED)
    else:
        _count(changes, report, BOARD, UNCHANGED)


def _change_school(
    row: _Row,
    school: School | None,
    in_file: dict[str, set[str]],
    boards: dict[str, Board],
    board_language: dict[str, str],
    columns: Columns,
    changes: _Changes,
    report: ImportReport,
) -> None:
    if school is not None:
        if school.board.number != row.board_number:
            report.problem(
                row.row,
                columns.label("board_number"),
                _(
                    "School %(number)s belongs to board %(board)s in Capacity, but this file puts it in "
                    "%(other)s. An import never moves a school to another board: check the board number, "
                    "or move the school in the administration site first."
                )
                % {"number": row.key, "board": school.board.number, "other": row.board_number},
            )
            return
        if changed := _differs(school, row.values):
            for key in changed:
                setattr(school, key, row.values[key])
            changes.changed_schools.append(school)
            changes.school_fields.update(changed)
            _count(changes, report, SCHOOL, UPDATED)
        else:
            _count(changes, report, SCHOOL, UNCHANGED)
        return
    if row.board_number not in in_file[BOARD] and row.board_number not in boards:
        report.problem(
            row.row,
            columns.label("board_number"),
            _(
                "There is no board %(number)s in this file or in Capacity. Add a row for the board, "
                "or check the number."
            )
            % {"number": row.board_number},
        )
        return
    if "level" not in row.values:
        report.problem(
            row.row,
            columns.label("level"),
            _("School %(number)s is new, so it needs its level: elementary or secondary.")
            % {"number": row.key},
        )
        return
    values = dict(row.values)
    # A new school teaches in its board's language unless the file says otherwise.
    language = values.setdefault("language", board_language.get(row.board_number))
    if language is None:  # the board's own row lacks its language, which is reported there
        return
    changes.new_schools.append((School(number=row.key, **values), row.board_number))
    _count(changes, report, SCHOOL, CREATED)


def _change_network(
    row: _Row,
    network: Network | None,
    in_file: dict[str, set[str]],
    schools: dict[str, School],
    columns: Columns,
    changes: _Changes,
    report: ImportReport,
) -> None:
    unknown = [n for n in row.schools or [] if n not in in_file[SCHOOL] and n not in schools]
    if unknown:
        report.problem(
            row.row,
            columns.label("schools"),
            ngettext(
                "There is no school %(numbers)s in this file or in Capacity. Add a row for it, or check "
                "the number.",
                "There are no schools %(numbers)s in this file or in Capacity. Add rows for them, or "
                "check the numbers.",
                len(unknown),
            )
            % {"numbers": ", ".join(unknown)},
        )
        return
    values = {"name": row.key, **row.values}
    if network is None:
        changes.new_networks.append((Network(**values), row.schools))
        _count(changes, report, NETWORK, CREATED)
        return
    changed = _differs(network, values)
    for key in changed:
        setattr(network, key, values[key])
    members = {clean_school_number(school.number) for school in network.schools.all()}
    if row.schools is not None and set(row.schools) != members:
        added = [n for n in row.schools if n not in members]
        removed = sorted(members - set(row.schools))
        if added:
            report.notes.append(
                _("Schools added to the learning network “%(name)s”: %(numbers)s.")
                % {"name": row.key, "numbers": ", ".join(added)}
            )
        if removed:
            report.notes.append(
                _("Schools taken out of the learning network “%(name)s”: %(numbers)s.")
                % {"name": row.key, "numbers": ", ".join(removed)}
            )
    else:
        row.schools = None  # the members stay as they are
    if changed or row.schools is not None:
        changes.changed_networks.append((network, set(changed), row.schools))
        _count(changes, report, NETWORK, UPDATED)
    else:
        _count(changes, report, NETWORK, UNCHANGED)


# --- Writing --------------------------------------------------------------------


def _apply(changes: _Changes) -> None:
    province, _created = Province.objects.get_or_create(code="ON", defaults={"name": "Ontario"})
    for board in changes.new_boards:
        board.province = province
    for board in [*changes.new_boards, *changes.changed_boards]:
        board.full_clean(exclude=["province"], validate_unique=False)
    Board.objects.bulk_create(changes.new_boards)
    if changes.changed_boards:
        Board.objects.bulk_update(
            changes.changed_boards, [f for f in BOARD_FIELDS if f in changes.board_fields]
        )

    board_ids = dict(Board.objects.values_list("number", "pk"))
    for school, board_number in changes.new_schools:
        school.board_id = board_ids[board_number]
    for school in [*(school for school, _number in changes.new_schools), *changes.changed_schools]:
        school.full_clean(exclude=["board"], validate_unique=False)
    School.objects.bulk_create([school for school, _number in changes.new_schools], batch_size=500)
    if changes.changed_schools:
        School.objects.bulk_update(
            changes.changed_schools,
            [f for f in SCHOOL_FIELDS if f in changes.school_fields],
            batch_size=500,
        )

    wanted = {n for _network, members in changes.new_networks if members for n in members}
    wanted |= {
        n for _network, _fields, members in changes.changed_networks if members for n in members
    }
    school_ids = {
        clean_school_number(number): pk
        for number, pk in School.objects.filter(
            number__in={form for n in wanted for form in school_number_forms(n)}
        ).values_list("number", "pk")
    }
    for network, members in changes.new_networks:
        network.full_clean(validate_unique=False)
        network.save()
        if members:
            network.schools.set([school_ids[n] for n in members])
    for network, fields, members in changes.changed_networks:
        if fields:
            network.full_clean(validate_unique=False)
            network.save(update_fields=[f for f in NETWORK_FIELDS if f in fields])
        if members is not None:
            network.schools.set([school_ids[n] for n in members])
