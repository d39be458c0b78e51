"""Importing Ontario's "School information and student demographics" table."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from capacity.audit.models import Action, AuditEntry
from capacity.directory.importers import import_sif
from capacity.directory.models import Board, Language, Province, School, SchoolContext
from tests.conftest import ONTARIO_SIF, need

REAL = ONTARIO_SIF

# The header of the 2021-22 and 2023-24 tables (49 columns; 2017-18 and 2018-19
# have two more EQAO columns, which the importer ignores).
HEADER = [
    "Board Number",
    "Board Name",
    "Board Type",
    "School Number",
    "School Name",
    "School Type",
    "School Special Condition Code",
    "School Level",
    "School Language",
    "Grade Range",
    "Building Suite",
    "P.O. Box",
    "Street",
    "Municipality",
    "City",
    "Province",
    "Postal Code",
    "Phone Number",
    "Fax Number",
    "School Website",
    "Board Website",
    "Enrolment",
    "Latitude",
    "Longitude",
    "Percentage of Students Whose First Language Is Not English",
    "Percentage of Students Whose First Language Is Not French",
    "Percentage of Students Who Are New to Canada from a Non-English Speaking Country",
    "Percentage of Students Who Are New to Canada from a Non-French Speaking Country",
    "Percentage of Students Receiving Special Education Services",
    "Percentage of Students Identified as Gifted",
    "Percentage of Grade 3 Students Achieving the Provincial Standard in Reading",
    "Change in Grade 3 Reading Achievement Over Three Years",
    "Percentage of School-Aged Children Who Live in Low-Income Households",
    "Percentage of Students Whose Parents Have No Degree, Diploma or Certificate",
    "Extract Date",
]
NOT_ENGLISH = "Percentage of Students Whose First Language Is Not English"
NOT_FRENCH = "Percentage of Students Whose First Language Is Not French"
NEW_NON_ENGLISH = "Percentage of Students Who Are New to Canada from a Non-English Speaking Country"
NEW_NON_FRENCH = "Percentage of Students Who Are New to Canada from a Non-French Speaking Country"
LOW_INCOME = "Percentage of School-Aged Children Who Live in Low-Income Households"


def school_row(**changes: str) -> dict[str, str]:
    """One row like Anna McCrea Public School's in 2023-24, with changes."""
    row = {
        "Board Number": "B28010",
        "Board Name": "Algoma DSB",
        "Board Type": "Pub Dist Sch Brd (E/F)",
        "School Number": "019186",
        "School Name": "Anna McCrea Public School",
        "School Type": "Public",
        "School Special Condition Code": "Not applicable",
        "School Level": "Elementary",
        "School Language": "English",
        "Grade Range": "JK-8",
        "Building Suite": "",
        "P.O. Box": "",
        "Street": "250 Mark St",
        "Municipality": "Sault Ste. Marie, City of",
        "City": "Sault Ste Marie",
        "Province": "Ontario",
        "Postal Code": "P6A3M7",
        "Phone Number": "705-945-7106",
        "Fax Number": "705-945-7221",
        "School Website": "http://www.adsb.on.ca/sites/schools/amc/default.aspx",
        "Board Website": "http://www.adsb.on.ca",
        "Enrolment": "280",
        "Latitude": "46.50593",
        "Longitude": "-84.2873",
        NOT_ENGLISH: "5",
        NOT_FRENCH: "100",
        NEW_NON_ENGLISH: "0",
        NEW_NON_FRENCH: "0",
        "Percentage of Students Receiving Special Education Services": "20",
        "Percentage of Students Identified as Gifted": "0",
        "Percentage of Grade 3 Students Achieving the Provincial Standard in Reading": "73%",
        "Change in Grade 3 Reading Achievement Over Three Years": "-16",
        LOW_INCOME: "0",
        "Percentage of Students Whose Parents Have No Degree, Diploma or Certificate": "0",
        "Extract Date": "2025-04-04",
    }
    row.update(changes)
    return row


def french_row(**changes: str) -> dict[str, str]:
    return school_row(
        **{
            "Board Number": "B66303",
            "Board Name": "CS Viamonde",
            "School Number": "165409",
            "School Name": "Académie de la Tamise",
            "School Language": "French",
            NOT_ENGLISH: "30",
            NOT_FRENCH: "85",
            NEW_NON_ENGLISH: "0",
            NEW_NON_FRENCH: "5",
            **changes,
        }
    )


def write_csv(
    path: Path, rows: list[dict[str, str]], *, header: list[str] = HEADER, encoding: str = "utf-8"
) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def counts() -> tuple[int, int, int, int]:
    return (
        Province.objects.count(),
        Board.objects.count(),
        School.objects.count(),
        SchoolContext.objects.count(),
    )


def problems(report: Any) -> list[str]:
    return [str(problem) for problem in report.problems]


def assert_rejected(report: Any, before: tuple[int, int, int, int]) -> None:
    assert not report.applied
    assert report.problems
    assert counts() == before
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED, target=report.source).exists()
    assert not AuditEntry.objects.filter(action=Action.IMPORT_APPLIED).exists()


# --- The four real files ----------------------------------------------------------

# file, school year, rows, schools imported, boards, Anna McCrea's (enrolment, low income,
# special education, not English, new to Canada), Académie de la Tamise's (not English,
# not French, new from non-French country), a school whose values are all suppressed,
# an accented school name.
REAL_FILES = [
    (
        "sif_data_table_2017_2018_en.xlsx",
        "2017-18",
        4876,
        4876,
        84,
        (180, 10, 15, 0, 0),
        (30, 85, 5),
        "264750",
        ("530476", "École publique Saint-Joseph"),
    ),
    (
        "sif_data_table_2018_2019_en.xlsx",
        "2018-19",
        4853,
        4853,
        84,
        (195, 10, 10, 5, 0),
        (35, 80, 0),
        "917370",
        ("165204", "École intermédiaire Franco-Niagara"),
    ),
    (
        "sif_data_table_2021_2022_en.csv",
        "2021-22",
        4919,
        4918,
        83,
        (260, 10, 15, 0, 5),
        (40, 80, 5),
        "917370",
        ("165204", "École intermédiaire Franco-Niagara"),
    ),
    (
        "sif_data_table_2023_2024_en.xlsx",
        "2023-24",
        4930,
        4923,
        83,
        (280, 0, 20, 5, 0),
        (30, 85, 5),
        "917370",
        ("165204", "École intermédiaire Franco-Niagara"),
    ),
]


@pytest.mark.parametrize(
    ("name", "year", "rows", "schools", "boards", "anna", "tamise", "suppressed", "accented"),
    REAL_FILES,
    ids=[f[1] for f in REAL_FILES],
)
def test_it_imports_each_real_ontario_file(
    db, name, year, rows, schools, boards, anna, tamise, suppressed, accented
) -> None:
    path = REAL / name
    need(path.exists(), f"{path} is not there")

    report = import_sif(path, actor_label="test")

    assert problems(report) == []
    assert report.applied
    assert report.rows == rows
    assert report.created == schools
    assert report.skipped == rows - schools  # schools with provisional SC numbers
    assert (report.updated, report.unchanged) == (0, 0)
    assert f"School year {year}, read from the file name." in report.notes
    assert Province.objects.get(code="ON").name == "Ontario"
    assert Board.objects.count() == boards
    assert School.objects.count() == schools
    assert SchoolContext.objects.filter(school_year=year).count() == schools
    entry = AuditEntry.objects.get(action=Action.IMPORT_APPLIED)
    assert entry.detail["school_year"] == year
    assert entry.detail["created"] == schools

    school = School.objects.select_related("board").get(number="019186")
    assert school.name == "Anna McCrea Public School"
    assert (school.board.number, school.board.name) == ("B28010", "Algoma DSB")
    assert school.board.board_type == Board.Type.PUBLIC
    assert school.board.language == Language.ENGLISH
    assert (school.level, school.language, school.grade_range) == ("elementary", "en", "JK-8")
    assert (school.street, school.city, school.postal_code) == (
        "250 Mark St",
        "Sault Ste Marie",
        "P6A3M7",
    )
    assert (school.latitude, school.longitude) == (46.50593, -84.2873)
    assert school.special_condition == ""
    enrolment, low_income, special_education, not_english, new_to_canada = anna
    assert school.enrolment == enrolment
    context = school.contexts.get(school_year=year)
    assert context.enrolment == enrolment
    assert context.pct_low_income == low_income
    assert context.pct_special_education == special_education
    assert context.pct_first_language_not_english == not_english
    assert context.pct_language_learners == not_english  # English school: the "Not English" column
    assert context.pct_first_language_not_french == 100
    assert context.pct_new_to_canada == new_to_canada
    assert context.pct_gifted == 0
    assert context.statuses == {}
    assert context.source == name

    french = School.objects.select_related("board").get(number="165409")
    assert french.name == "Académie de la Tamise"
    assert french.language == Language.FRENCH
    assert french.board.language == Language.FRENCH  # CS Viamonde's schools are French-language
    context = french.contexts.get()
    not_english, not_french, new_non_french = tamise
    assert context.pct_first_language_not_english == not_english
    assert context.pct_language_learners == not_french  # French school: the "Not French" column
    assert context.pct_new_to_canada == new_non_french

    hidden = SchoolContext.objects.get(school__number=suppressed)
    assert hidden.enrolment is None and hidden.pct_low_income is None and hidden.pct_gifted is None
    assert hidden.school.enrolment is None
    assert hidden.statuses["enrolment"] == "sp"
    assert hidden.statuses["pct_low_income"] == "sp"
    assert hidden.statuses["pct_language_learners"] == "sp"
    assert hidden.indicator("pct_gifted") == (None, "sp")

    number, accented_name = accented
    assert School.objects.get(number=number).name == accented_name


def test_importing_the_same_real_file_twice_changes_nothing(db) -> None:
    path = REAL / "sif_data_table_2021_2022_en.csv"
    need(path.exists(), f"{path} is not there")
    first = import_sif(path, actor_label="test")
    assert first.applied and first.created == 4918
    before = counts()

    second = import_sif(path, actor_label="test")

    assert problems(second) == []
    assert second.applied
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4918)
    assert "Boards: 0 new, 0 changed, 83 unchanged." in second.notes
    assert counts() == before


def test_the_real_2021_22_file_has_its_excel_damage_repaired(db) -> None:
    path = REAL / "sif_data_table_2021_2022_en.csv"
    need(path.exists(), f"{path} is not there")
    report = import_sif(path)
    assert report.applied
    # Two grade ranges of 9-12 were saved by a spreadsheet as the date 12-Sep.
    assert not School.objects.filter(grade_range="12-Sep").exists()
    assert any("12-Sep → 9-12" in note for note in report.notes)
    assert any("SC6501" in note for note in report.notes)  # a provisional number, skipped
    # Blank enrolment with NA shares: missing, not applicable.
    context = SchoolContext.objects.get(school__number="834301")
    assert context.enrolment is None
    assert context.statuses["enrolment"] == "na"
    assert context.statuses["pct_low_income"] == "na"


# --- Small hand-made files --------------------------------------------------------


def test_it_imports_a_small_file_with_every_field(db, tmp_path) -> None:
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv",
        [
            school_row(
                **{
                    "Building Suite": "Unit 1",
                    "P.O. Box": "220",
                    "School Special Condition Code": "Alternative",
                    "Enrolment": "1,280",
                }
            ),
            french_row(),
        ],
    )

    report = import_sif(path, actor_label="test")

    assert report.applied and report.created == 2
    anna = School.objects.get(number="019186")
    assert anna.street == "Unit 1, 250 Mark St, PO Box 220"
    assert anna.special_condition == "Alternative"
    assert anna.enrolment == 1280
    assert anna.website == "http://www.adsb.on.ca/sites/schools/amc/default.aspx"
    assert anna.phone == "705-945-7106"
    assert Board.objects.get(number="B28010").website == "http://www.adsb.on.ca"
    tamise = SchoolContext.objects.get(school__number="165409")
    assert (tamise.pct_language_learners, tamise.pct_new_to_canada) == (85, 5)
    assert Board.objects.get(number="B66303").language == Language.FRENCH


def test_a_latin1_csv_keeps_accented_names(db, tmp_path) -> None:
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv",
        [
            french_row(
                **{
                    "School Name": "École élémentaire Saint-Joseph",
                    "Board Name": "CS Viamonde",
                    "City": "Pénétanguishene",
                }
            ),
        ],
        encoding="latin-1",
    )

    report = import_sif(path)

    assert report.applied
    school = School.objects.get(number="165409")
    assert school.name == "École élémentaire Saint-Joseph"
    assert school.city == "Pénétanguishene"
    assert any("not UTF-8" in note for note in report.notes)


def test_codes_become_missing_values_with_their_reason(db, tmp_path) -> None:
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv",
        [
            school_row(
                **{
                    "Enrolment": "NA",
                    LOW_INCOME: "SP",
                    NOT_ENGLISH: "N/R",
                    NOT_FRENCH: "",
                    "Percentage of Students Identified as Gifted": "N/D",
                    "Latitude": ".",
                    "Longitude": "",
                }
            ),
        ],
    )

    assert import_sif(path).applied

    context = SchoolContext.objects.get()
    assert context.statuses == {
        "enrolment": "na",
        "pct_low_income": "sp",
        "pct_first_language_not_english": "na",
        "pct_first_language_not_french": "na",
        "pct_gifted": "na",
        "pct_language_learners": "na",
    }
    assert context.pct_low_income is None and context.pct_language_learners is None
    assert context.pct_special_education == 20
    assert (context.school.latitude, context.school.longitude) == (None, None)


def test_a_changed_value_counts_as_an_update(db, tmp_path) -> None:
    path = tmp_path / "sif_data_table_2023_2024_en.csv"
    write_csv(path, [school_row(), french_row()])
    import_sif(path)

    write_csv(path, [school_row(**{LOW_INCOME: "15"}), french_row()])
    report = import_sif(path)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert SchoolContext.objects.get(school__number="019186").pct_low_income == 15


def test_an_older_year_adds_its_context_but_keeps_newer_details(db, tmp_path) -> None:
    import_sif(write_csv(tmp_path / "sif_data_table_2023_2024_en.csv", [school_row()]))

    report = import_sif(
        write_csv(
            tmp_path / "sif_data_table_2017_2018_en.csv",
            [
                school_row(**{"School Name": "Anna McCrea PS", "Enrolment": "180"}),
            ],
        )
    )

    assert report.applied and report.updated == 1
    school = School.objects.get(number="019186")
    assert school.name == "Anna McCrea Public School"
    assert school.enrolment == 280
    assert list(school.contexts.values_list("school_year", "enrolment")) == [
        ("2023-24", 280),
        ("2017-18", 180),
    ]


def test_a_dry_run_counts_but_writes_nothing(db, tmp_path) -> None:
    path = write_csv(tmp_path / "sif_data_table_2023_2024_en.csv", [school_row(), french_row()])

    report = import_sif(path, dry_run=True)

    assert report.ok and not report.applied
    assert report.created == 2
    assert counts() == (0, 0, 0, 0)
    assert not AuditEntry.objects.exists()


def test_provisional_school_numbers_are_skipped_with_a_note(db, tmp_path) -> None:
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv",
        [
            school_row(),
            french_row(**{"School Number": "SC1801", "Latitude": ".", "Longitude": "."}),
        ],
    )

    report = import_sif(path)

    assert report.applied
    assert (report.rows, report.created, report.skipped) == (2, 1, 1)
    assert any("SC1801" in note for note in report.notes)


def test_a_five_digit_school_number_gets_its_leading_zero_back(db, tmp_path) -> None:
    report = import_sif(
        write_csv(
            tmp_path / "sif_data_table_2023_2024_en.csv", [school_row(**{"School Number": "19186"})]
        )
    )
    assert report.applied
    assert School.objects.get().number == "019186"


# --- The school year ---------------------------------------------------------------


def write_xlsx(path: Path, sheet: str, rows: list[dict[str, str]]) -> Path:
    """A spreadsheet like Ontario's: numbers as numbers, school numbers as text."""
    numeric = {"Enrolment", "Latitude", "Longitude", NOT_ENGLISH, NOT_FRENCH, LOW_INCOME}

    def cell(column: str, value: str) -> str | float:
        try:
            return float(value) if column in numeric else value
        except ValueError:
            return value

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(HEADER)
    for row in rows:
        worksheet.append([cell(column, row.get(column, "")) for column in HEADER])
    workbook.save(path)
    return path


def test_the_school_year_is_read_from_the_sheet_name(db, tmp_path) -> None:
    path = write_xlsx(tmp_path / "schools.xlsx", "SIFprelim23-24_EN", [school_row()])

    report = import_sif(path)

    assert report.applied
    assert "School year 2023-24, read from the sheet name “SIFprelim23-24_EN”." in report.notes
    assert SchoolContext.objects.get().school_year == "2023-24"


def test_the_school_year_is_read_from_a_short_sheet_name(db, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "schools.xlsx", "SIF_1718_EQAO1718_EN", [school_row(**{"Enrolment": "180"})]
    )

    report = import_sif(path)

    assert report.applied
    context = SchoolContext.objects.get()
    assert (context.school_year, context.enrolment) == ("2017-18", 180)


def test_a_school_year_that_cannot_be_inferred_is_a_problem(db, tmp_path) -> None:
    before = counts()
    report = import_sif(write_csv(tmp_path / "schools.csv", [school_row()]))

    assert_rejected(report, before)
    assert "cannot be told from the file name" in problems(report)[0]


def test_a_given_school_year_wins_over_the_file_name(db, tmp_path) -> None:
    path = write_csv(tmp_path / "sif_data_table_2023_2024_en.csv", [school_row()])

    report = import_sif(path, school_year="2022-2023")

    assert report.applied
    assert SchoolContext.objects.get().school_year == "2022-23"
    assert any("suggests 2023-24" in note for note in report.notes)


def test_a_malformed_school_year_is_a_problem(db, tmp_path) -> None:
    before = counts()
    report = import_sif(write_csv(tmp_path / "schools.csv", [school_row()]), school_year="2023-25")
    assert_rejected(report, before)
    assert "“2023-25” is not a school year like 2023-24." in problems(report)[0]


# --- Broken files: every problem reported, nothing applied ---------------------------


def test_it_rejects_a_file_with_missing_columns(world, tmp_path) -> None:
    header = [c for c in HEADER if c not in ("School Level", LOW_INCOME)]
    before = counts()

    report = import_sif(
        write_csv(tmp_path / "sif_data_table_2023_2024_en.csv", [school_row()], header=header)
    )

    assert_rejected(report, before)
    assert problems(report) == [
        "row 1, School Level: This required column is missing.",
        f"row 1, {LOW_INCOME}: This required column is missing.",
    ]


def test_it_rejects_bad_numbers_naming_row_and_column(world, tmp_path) -> None:
    before = counts()
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv",
        [
            school_row(),
            french_row(**{"Enrolment": "abc", LOW_INCOME: "150", NOT_FRENCH: "-5"}),
            school_row(**{"School Number": "019187", "Enrolment": "12.5"}),
        ],
    )

    report = import_sif(path)

    assert_rejected(report, before)
    assert problems(report) == [
        "row 3, Enrolment: “abc” is not a number. Give a number, or SP (suppressed) or NA (not applicable).",
        f"row 3, {NOT_FRENCH}: -5 is not a percentage between 0 and 100.",
        f"row 3, {LOW_INCOME}: 150 is not a percentage between 0 and 100.",
        "row 4, Enrolment: 12.5 is not a whole number.",
    ]
    assert report.problems[1].row == 3
    assert report.problems[1].column == NOT_FRENCH


def test_it_rejects_duplicate_school_numbers_naming_both_rows(world, tmp_path) -> None:
    before = counts()
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv",
        [school_row(), french_row(), school_row(**{"School Name": "Another school"})],
    )

    report = import_sif(path)

    assert_rejected(report, before)
    assert problems(report) == [
        "row 4, School Number: School number 019186 is already on row 2; each school may appear only once.",
    ]


def test_it_rejects_bad_identifiers_places_levels_and_languages(world, tmp_path) -> None:
    before = counts()
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv",
        [
            school_row(**{"Board Number": "28010", "School Number": "19A86"}),
            french_row(**{"Latitude": "-79.2", "Longitude": "43.7"}),
            school_row(
                **{
                    "School Number": "019188",
                    "School Level": "Middle",
                    "School Language": "Spanish",
                    "Board Type": "Charter",
                }
            ),
        ],
    )

    report = import_sif(path)

    assert_rejected(report, before)
    found = problems(report)
    assert found[0].startswith("row 2, Board Number: “28010” is not a board number")
    assert found[1].startswith("row 2, School Number: “19A86” is not a school number")
    assert found[2].startswith("row 3, Latitude: -79.2 is outside Ontario")
    assert found[3].startswith("row 3, Longitude: 43.7 is outside Ontario")
    assert found[4].startswith("row 4, Board Type: “Charter” is not a board type")
    assert (
        found[5]
        == "row 4, School Level: “Middle” is not a school level: use Elementary or Secondary."
    )
    assert found[6].startswith("row 4, School Language: “Spanish” is not a language of instruction")
    assert len(found) == 7


def test_it_rejects_a_board_that_differs_between_rows(world, tmp_path) -> None:
    before = counts()
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv",
        [
            school_row(),
            school_row(**{"School Number": "019187", "Board Name": "Algoma District School Board"}),
        ],
    )
    report = import_sif(path)
    assert_rejected(report, before)
    assert problems(report)[0].startswith(
        "row 3, Board Name: Board B28010 is “Algoma District School Board”"
    )


def test_it_rejects_a_utf16_file(world, tmp_path) -> None:
    before = counts()
    path = write_csv(
        tmp_path / "sif_data_table_2023_2024_en.csv", [school_row()], encoding="utf-16"
    )

    report = import_sif(path)

    assert_rejected(report, before)
    assert problems(report) == [
        "file: The file is not plain text in UTF-8 or Latin-1 (it looks like UTF-16 or a binary file). "
        "Save it as CSV in UTF-8 and try again."
    ]


def test_it_rejects_an_xlsx_renamed_csv(world, tmp_path) -> None:
    before = counts()
    xlsx = write_xlsx(tmp_path / "real.xlsx", "SIFprelim23-24_EN", [school_row()])
    path = tmp_path / "sif_data_table_2023_2024_en.csv"
    path.write_bytes(xlsx.read_bytes())

    report = import_sif(path)

    assert_rejected(report, before)
    assert problems(report) == [
        "file: The file is a spreadsheet (xlsx), not CSV. Give it an .xlsx name."
    ]


def test_it_rejects_an_empty_file(world, tmp_path) -> None:
    before = counts()
    path = tmp_path / "sif_data_table_2023_2024_en.csv"
    path.write_bytes(b"")

    report = import_sif(path)

    assert_rejected(report, before)
    assert problems(report) == ["file: The file is empty."]


def test_it_rejects_a_file_with_a_header_and_no_rows(world, tmp_path) -> None:
    before = counts()
    report = import_sif(write_csv(tmp_path / "sif_data_table_2023_2024_en.csv", []))
    assert_rejected(report, before)
    assert problems(report) == ["file: The file has a header but no rows of schools."]


def test_it_rejects_a_file_that_does_not_exist(world, tmp_path) -> None:
    before = counts()
    report = import_sif(tmp_path / "sif_data_table_2023_2024_en.xlsx")
    assert_rejected(report, before)
    assert problems(report)[0].startswith("file: The file cannot be read")


def test_a_good_row_is_not_applied_when_another_row_is_bad(world, tmp_path) -> None:
    before = counts()
    report = import_sif(
        write_csv(
            tmp_path / "sif_data_table_2023_2024_en.csv",
            [
                school_row(),
                french_row(**{"Enrolment": "many"}),
            ],
        )
    )
    assert_rejected(report, before)
    assert not Board.objects.filter(number__in=["B28010", "B66303"]).exists()
    assert report.problems_csv().splitlines()[1].startswith("3,Enrolment,")


def test_a_renamed_board_and_a_school_moved_to_another_board_are_updates(db, tmp_path) -> None:
    path = tmp_path / "sif_data_table_2023_2024_en.csv"
    import_sif(write_csv(path, [school_row(), french_row()]))
    renamed = french_row(**{"Board Name": "Conseil scolaire Viamonde"})
    # The published table moves a school by giving it another board's columns.
    moved = school_row(**{key: value for key, value in renamed.items() if key.startswith("Board")})

    report = import_sif(write_csv(path, [moved, renamed]))

    assert report.applied, problems(report)
    assert Board.objects.get(number="B66303").name == "Conseil scolaire Viamonde"
    assert School.objects.get(number="019186").board.number == "B66303"
    assert (report.updated, report.unchanged) == (1, 1)


def test_a_file_name_and_a_sheet_name_that_disagree_on_the_year_are_a_problem(db, tmp_path) -> None:
    before = counts()
    path = write_xlsx(
        tmp_path / "sif_data_table_2023_2024_en.xlsx", "SIF_1718_EQAO1718_EN", [school_row()]
    )

    report = import_sif(path)

    assert_rejected(report, before)
    assert problems(report) == [
        "file: The file name says 2023-24 but the sheet name “SIF_1718_EQAO1718_EN” says 2017-18. Give the "
        "school year with the import."
    ]
