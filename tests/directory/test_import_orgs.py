"""Importing boards, schools and learning networks from a plain CSV (or XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from capacity.audit.models import Action, AuditEntry
from capacity.cli import app
from capacity.directory.importers import import_orgs
from capacity.directory.models import Board, Language, Network, Province, School

DATA = Path(__file__).resolve().parent.parent / "data" / "orgs"
HEADER = "kind,number,name,board_number,language,board_type,level,schools\n"


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "orgs.csv"
    path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def counts() -> tuple[int, int, int, int]:
    memberships = Network.schools.through.objects.count()
    return Board.objects.count(), School.objects.count(), Network.objects.count(), memberships


def problems(report: Any) -> list[str]:
    return [str(problem) for problem in report.problems]


def assert_rejected(report: Any, before: tuple[int, int, int, int]) -> None:
    assert not report.applied
    assert report.problems
    assert counts() == before
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED, target=report.source).exists()


def members(name: str) -> set[str]:
    return set(Network.objects.get(name=name).schools.values_list("number", flat=True))


def test_a_good_file_creates_boards_schools_and_a_network_across_two_boards(db) -> None:
    report = import_orgs(DATA / "orgs.csv", actor_label="test")

    assert problems(report) == []
    assert report.applied
    assert (report.rows, report.created, report.updated, report.unchanged, report.skipped) == (
        6,
        6,
        0,
        0,
        0,
    )
    assert Province.objects.get().code == "ON"
    authority = Board.objects.get(number="B70001")
    assert (
        authority.name,
        authority.language,
        authority.board_type,
        authority.region,
        authority.website,
    ) == (
        "Manitoulin Island School Authority",
        Language.ENGLISH,
        Board.Type.SCHOOL_AUTHORITY,
        "Northeast",
        "https://misa.example",
    )
    conseil = Board.objects.get(number="B70002")
    assert (conseil.name, conseil.language, conseil.board_type) == (
        "Conseil scolaire des Deux-Rivières",
        Language.FRENCH,
        Board.Type.PUBLIC,
    )

    # The leading zero a spreadsheet dropped is put back.
    mindemoya = School.objects.get(number="070101")
    assert mindemoya.board == authority
    assert (mindemoya.level, mindemoya.language, mindemoya.grade_range, mindemoya.postal_code) == (
        School.Level.ELEMENTARY,
        Language.ENGLISH,
        "JK-8",
        "P0P 1S0",
    )
    assert (mindemoya.latitude, mindemoya.longitude, mindemoya.enrolment) == (45.7331, -82.161, 142)
    assert School.objects.get(number="070102").enrolment == 1020
    # A school listed before its board takes the board's language when it gives none.
    pins = School.objects.get(number="071201")
    assert (pins.board, pins.level, pins.language) == (
        conseil,
        School.Level.ELEMENTARY,
        Language.FRENCH,
    )

    network = Network.objects.get(name="Island and River Literacy Network")
    assert network.purpose == "Reading across two boards, in two languages."
    assert members(network.name) == {"070101", "070102", "071201"}
    assert {school.board.number for school in network.schools.all()} == {"B70001", "B70002"}

    assert "1 school number had five digits; its leading zero was put back." in report.notes
    assert "Boards: 2 new, 0 changed, 0 unchanged." in report.notes
    assert "Schools: 3 new, 0 changed, 0 unchanged." in report.notes
    assert "Learning networks: 1 new, 0 changed, 0 unchanged." in report.notes
    applied = AuditEntry.objects.get(action=Action.IMPORT_APPLIED)
    assert applied.actor_label == "test"
    assert applied.detail["boards"] == {"created": 2}
    assert applied.detail["schools"] == {"created": 3}
    assert applied.detail["networks"] == {"created": 1}


def test_importing_the_same_file_twice_changes_nothing(db) -> None:
    import_orgs(DATA / "orgs.csv")
    before = counts()
    entries = AuditEntry.objects.count()

    report = import_orgs(DATA / "orgs.csv")

    assert report.applied
    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
    assert counts() == before
    assert AuditEntry.objects.count() == entries + 1  # only the import itself


def test_the_same_organisations_from_a_spreadsheet_change_nothing(db, tmp_path) -> None:
    import_orgs(DATA / "orgs.csv")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["kind", "number", "name", "board_number", "level", "enrolment", "latitude"])
    # Numbers typed into a spreadsheet come back as numbers; the import reads them as the CSV's text.
    sheet.append(["school", 70101, "Mindemoya Public School", "B70001", "elementary", 142, 45.7331])
    workbook.save(tmp_path / "orgs.xlsx")

    report = import_orgs(tmp_path / "orgs.xlsx")

    assert problems(report) == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_a_changed_row_is_counted_as_updated(db, tmp_path) -> None:
    import_orgs(DATA / "orgs.csv")

    report = import_orgs(
        write(
            tmp_path,
            "board,B70001,Manitoulin Island School Authority,,,,,",
            "school,070101,Mindemoya Public School,B70001,,,,",
            "school,070102,Manitoulin Secondary School (Grades 7-12),B70001,,,,",
            "network,,Island and River Literacy Network,,,,,071201 070102",
        )
    )

    assert problems(report) == []
    assert report.applied
    assert (report.rows, report.created, report.updated, report.unchanged) == (4, 0, 2, 2)
    assert School.objects.get(number="070102").name == "Manitoulin Secondary School (Grades 7-12)"
    assert members("Island and River Literacy Network") == {"070102", "071201"}
    assert (
        "Schools taken out of the learning network “Island and River Literacy Network”: 070101."
        in report.notes
    )
    # Blank cells leave what is stored alone.
    mindemoya = School.objects.get(number="070101")
    assert (mindemoya.phone, mindemoya.enrolment, mindemoya.latitude) == (
        "705-555-0101",
        142,
        45.7331,
    )
    assert Board.objects.get(number="B70001").website == "https://misa.example"
    assert Network.objects.get().purpose == "Reading across two boards, in two languages."


def test_a_blank_schools_cell_keeps_a_networks_members(world, tmp_path) -> None:
    report = import_orgs(
        write(tmp_path, "network,north shore numeracy network,", header="kind,name,schools\n")
    )

    assert problems(report) == []
    # Networks are found without regard to case; the file's spelling is kept.
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert members("north shore numeracy network") == {"700002", "700003"}


def test_it_adds_schools_and_networks_to_boards_already_in_capacity(world, tmp_path) -> None:
    world.board_b.language = Language.FRENCH
    world.board_b.save()

    report = import_orgs(
        write(
            tmp_path,
            "school,700009,Bouleau Catholic School,B66002,,,elementary,",
            "network,,North Shore Numeracy Network,,,,,700001;700009",
            "network,,Lakehead Leaders,,,,,",
        )
    )

    assert problems(report) == []
    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    bouleau = School.objects.get(number="700009")
    assert (bouleau.board, bouleau.language) == (world.board_b, Language.FRENCH)
    assert members("North Shore Numeracy Network") == {"700001", "700009"}
    assert members("Lakehead Leaders") == set()


def test_a_dry_run_counts_but_writes_nothing(db) -> None:
    before = counts()
    report = import_orgs(DATA / "orgs.csv", dry_run=True)
    assert report.ok and not report.applied
    assert (report.created, report.updated, report.unchanged) == (6, 0, 0)
    assert counts() == before
    assert not AuditEntry.objects.exists()


def test_it_rejects_a_file_with_missing_columns(world, tmp_path) -> None:
    before = counts()
    report = import_orgs(write(tmp_path, "B66001,Alpha", header="number,title\n"))
    assert_rejected(report, before)
    assert problems(report) == [
        "row 1, kind: This required column is missing.",
        "row 1, name: This required column is missing.",
    ]
    # The number and board_number columns are needed as soon as the file has boards or schools.
    report = import_orgs(write(tmp_path, "school,Aspen Public School", header="kind,name\n"))
    assert_rejected(report, before)
    assert problems(report) == [
        "row 1, number: This column is required when the file has boards or schools.",
        "row 1, board_number: This column is required when the file has schools.",
    ]


def test_it_rejects_an_unknown_kind_and_bad_numbers_naming_row_and_column(world, tmp_path) -> None:
    before = counts()
    report = import_orgs(
        write(
            tmp_path,
            "board,B70001,Fine Board,,en,public,,",
            "district,B70003,Delta District School Board,,en,public,,",
            ",B70004,Epsilon District School Board,,en,public,,",
            "board,70005,Zeta District School Board,,en,public,,",
            "school,1234567,Eta Public School,B70001,,,elementary,",
            "school,700010,Theta Public School,28010,,,elementary,",
            "school,700011,Iota Public School,B70001,klingon,,primary,",
            "board,B70006,,,en,private,,",
            "network,,Kappa Network,,,,,700001 12AB",
        )
    )

    assert_rejected(report, before)
    assert problems(report) == [
        "row 3, kind: “district” is not a kind of organisation: use board, school or network.",
        "row 4, kind: The kind is missing: use board, school or network.",
        "row 5, number: “70005” is not a board number: it should be B followed by five digits, like B28010.",
        "row 6, number: “1234567” is not a school number: it should be five or six digits, like 019186.",
        "row 7, board_number: “28010” is not a board number: it should be B followed by five digits, like "
        "B28010.",
        "row 8, language: “klingon” is not a language: use en or fr (or English or French).",
        "row 8, level: “primary” is not a school level: use Elementary or Secondary.",
        "row 9, name: The board's name is missing.",
        "row 9, board_type: “private” is not a board type: use public, catholic, authority or provincial.",
        "row 10, schools: “12AB” is not a school number: it should be five or six digits, like 019186.",
    ]
    assert report.created == 0


def test_it_rejects_a_duplicate_school_number(world, tmp_path) -> None:
    before = counts()
    report = import_orgs(
        write(
            tmp_path,
            "school,70009,Bouleau Catholic School,B66002,,,elementary,",
            "school,070009,Bouleau Catholic School,B66002,,,elementary,",
            "board,B66001,Alpha District School Board,,,,,",
            "board,B66001,Alpha District School Board,,,,,",
            "network,,Lakehead Leaders,,,,,",
            "network,,LAKEHEAD LEADERS,,,,,",
        )
    )
    assert_rejected(report, before)
    assert problems(report) == [
        "row 3, number: School number 070009 is already on row 2; each school may appear only once.",
        "row 5, number: Board number B66001 is already on row 4; each board may appear only once.",
        "row 7, name: The learning network “LAKEHEAD LEADERS” is already on row 6; each network may appear "
        "only once.",
    ]


def test_it_rejects_a_school_in_an_unknown_board(world, tmp_path) -> None:
    before = counts()
    report = import_orgs(
        write(tmp_path, "school,700009,Nowhere Public School,B99999,en,,elementary,")
    )
    assert_rejected(report, before)
    assert problems(report) == [
        "row 2, board_number: There is no board B99999 in this file or in Capacity. Add a row for the board, "
        "or check the number.",
    ]


def test_it_refuses_to_move_a_school_to_another_board(world, tmp_path) -> None:
    before = counts()
    report = import_orgs(
        write(
            tmp_path,
            "school,700001,Aspen Public School,B66002,,,,",
            "school,700009,Bouleau Catholic School,B66002,,,elementary,",
        )
    )
    assert_rejected(report, before)
    assert problems(report) == [
        "row 2, board_number: School 700001 belongs to board B66001 in Capacity, but this file puts it in "
        "B66002. An import never moves a school to another board: check the board number, or move the "
        "school in the administration site first.",
    ]
    assert School.objects.get(number="700001").board == world.board_a
    assert not School.objects.filter(number="700009").exists()


def test_it_rejects_new_organisations_missing_what_they_need(world, tmp_path) -> None:
    before = counts()
    report = import_orgs(
        write(
            tmp_path,
            "board,B70001,Omicron District School Board,,,,,",
            "school,700009,Pi Public School,B66001,,,,",
            "network,,Rho Network,,,,,700001 799999 700009 799998",
        )
    )
    assert_rejected(report, before)
    assert problems(report) == [
        "row 2, language: Board B70001 is new, so it needs its language: en or fr.",
        "row 2, board_type: Board B70001 is new, so it needs its type: public, catholic, authority or "
        "provincial.",
        "row 3, level: School 700009 is new, so it needs its level: elementary or secondary.",
        "row 4, schools: There are no schools 799999, 799998 in this file or in Capacity. Add rows for them, "
        "or check the numbers.",
    ]


def test_it_rejects_a_file_with_a_header_but_no_rows(db, tmp_path) -> None:
    report = import_orgs(write(tmp_path))
    assert not report.applied
    assert problems(report) == ["file: The file has a header but no rows of organisations."]


@pytest.mark.django_db(transaction=True)
def test_the_command_lists_the_problems_and_exits_with_1(tmp_path) -> None:
    path = write(tmp_path, "school,700009,Nowhere Public School,B99999,en,,elementary,")
    saved = tmp_path / "problems.csv"

    result = CliRunner().invoke(app, ["import", "orgs", str(path), "--problems", str(saved)])

    assert result.exit_code == 1
    assert "1 problem(s)" in result.output
    assert "board_number" in result.output and "B99999" in result.output
    assert "Nothing was imported." in result.output
    assert saved.read_text(encoding="utf-8").splitlines()[0] == "row,column,reason"
    assert not School.objects.exists()

    result = CliRunner().invoke(app, ["import", "orgs", str(DATA / "orgs.csv"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would import 6 rows" in result.output
    assert not School.objects.exists()


DETAILS = "kind,number,name,board_number,level,grade_range,enrolment,latitude,longitude\n"


def test_it_rejects_places_outside_ontario_and_enrolments_that_are_not_whole_numbers(
    world, tmp_path
) -> None:
    before = counts()
    report = import_orgs(
        write(
            tmp_path,
            "school,700021,Lambda Public School,B66001,elementary,JK-8,-3,46.5,-81.0",
            "school,700022,Mu Public School,B66001,elementary,JK-8,120.5,-81.0,46.5",
            "school,700023,Nu Public School,B66001,elementary,JK-8,many,46.5 N,-81.0",
            "school,700024,Xi Public School,B66001,elementary,JK-8,1,020,46.5,-81.0",
            header=DETAILS,
        )
    )

    assert_rejected(report, before)
    assert problems(report) == [
        # An unquoted thousands comma splits a row: the rows' widths are checked as they are read.
        "row 5: This row has 10 values but the header has 9 columns, so its values cannot be put in their "
        "columns. Check for a missing or extra comma, or a quote left open.",
        "row 2, enrolment: -3 cannot be negative.",
        "row 3, latitude: -81.0 is outside Ontario (expected between 41 and 57.5); check that latitude "
        "and longitude are not swapped.",
        "row 3, longitude: 46.5 is outside Ontario (expected between -96 and -74); check that latitude "
        "and longitude are not swapped.",
        "row 3, enrolment: 120.5 is not a whole number.",
        "row 4, latitude: “46.5 N” is not a number in decimal degrees.",
        "row 4, enrolment: “many” is not a number of students.",
    ]


def test_a_grade_range_a_spreadsheet_made_a_date_is_put_back_and_said(world, tmp_path) -> None:
    report = import_orgs(
        write(
            tmp_path,
            'school,700031,Omicron Secondary School,B66001,secondary,12-Sep,"1,020",NA,',
            header=DETAILS,
        )
    )

    assert report.applied, problems(report)
    school = School.objects.get(number="700031")
    assert (school.grade_range, school.enrolment, school.latitude) == ("9-12", 1020, None)
    assert any("12-Sep → 9-12 on row 2" in note for note in report.notes)
