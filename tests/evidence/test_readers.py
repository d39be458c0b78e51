"""Reading results files into canonical Arrow rows, with no database at all.

None of these tests may touch the database (pytest-django refuses any query
from a test without the django_db mark), because `capacity identify --results`
reads files with no database.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from capacity.evidence import readers
from capacity.evidence.analytics.schema import RESULTS_SCHEMA
from capacity.evidence.readers import ResultsReader, normal_year, parse_source, year_in
from capacity.imports import ImportReport
from tests.conftest import ONTARIO_SIF, need

REAL = ONTARIO_SIF
DATA = Path(__file__).resolve().parent.parent / "data" / "results"

LONG_HEADER = [
    "school_number",
    "school_year",
    "assessment",
    "group",
    "participating",
    "pct_at_standard",
    "status",
    "school_name",
    "board_number",
    "board_name",
    "pct_level_1",
    "pct_level_2",
    "pct_level_3",
    "pct_level_4",
]


def read(*sources: Any) -> tuple[pa.Table, ImportReport]:
    """Read files given as paths, "YEAR=path" strings or (year, path) pairs."""
    report = ImportReport(kind="results", source="test")
    pairs = [
        source if isinstance(source, tuple) else parse_source(str(source)) for source in sources
    ]
    return ResultsReader(pairs, report).table(), report


def write_csv(
    path: Path, rows: list[list[Any]], *, header: list[str] = LONG_HEADER, encoding: str = "utf-8"
) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def row(**changes: Any) -> list[Any]:
    """A long-format row: Aspen Public School's Grade 3 reading in 2018-19, with changes."""
    values = {
        "school_number": "700001",
        "school_year": "2018-19",
        "assessment": "G3-READ",
        "group": "all",
        "participating": "41",
        "pct_at_standard": "69",
        "status": "",
        "school_name": "Aspen Public School",
        "board_number": "B66001",
        "board_name": "Alpha District School Board",
        "pct_level_1": "",
        "pct_level_2": "",
        "pct_level_3": "",
        "pct_level_4": "",
    }
    values.update(changes)
    return [values[name] for name in LONG_HEADER]


def found(report: ImportReport) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.reason) for p in report.problems]


def result(table: pa.Table, school: str, assessment: str, group: str = "all") -> dict[str, Any]:
    rows = [
        r
        for r in table.to_pylist()
        if r["school_number"] == school and r["assessment"] == assessment and r["group"] == group
    ]
    assert len(rows) == 1, rows
    return rows[0]


def test_the_canonical_columns_are_the_analytics_results_schema() -> None:
    assert list(readers.RESULT_COLUMNS) == list(RESULTS_SCHEMA.names)
    assert readers.CANONICAL_SCHEMA.names == list(RESULTS_SCHEMA.names)


# --- Ontario's published school information tables ---------------------------------------

# file, school year, results, with a percentage, N/R, N/D, suppressed, G3 reading N/R, results skipped
# (the schools with provisional numbers, one in 2021-22 and seven in 2023-24, have no EQAO
# figures), spot checks (school, assessment, group, percentage or status). Every
# count was checked against the files with pandas.
REAL_FILES = [
    (
        "sif_data_table_2017_2018_en.xlsx",
        "2017-18",
        24719,
        21909,
        1292,
        1518,
        0,
        169,
        0,
        [
            ("019186", "G3-READ", "all", 79.0),
            ("019186", "G6-MATH", "all", 36.0),
            ("165409", "G3-READ", "all", 90.0),  # published as "90 %"
            ("902344", "G9-MATH", "academic", "nd"),
            ("902344", "G9-MATH", "applied", "nr"),
        ],
    ),
    (
        "sif_data_table_2018_2019_en.xlsx",
        "2018-19",
        24663,
        21896,
        1251,
        1516,
        0,
        177,
        0,
        [
            ("019186", "G3-READ", "all", 69.0),
            ("001058", "G3-READ", "all", 43.0),
            ("891347", "G9-MATH", "applied", 35.0),
            ("902344", "OSSLT", "all", "nr"),
        ],
    ),
    (
        "sif_data_table_2021_2022_en.csv",
        "2021-22",
        22507,
        21288,
        998,
        210,
        11,
        144,
        0,
        [
            ("019186", "G3-READ", "all", 89.0),
            ("165409", "G6-MATH", "all", 54.0),
            ("924792", "G9-MATH", "all", "sp"),
        ],
    ),  # published as "S."
    (
        "sif_data_table_2023_2024_en.xlsx",
        "2023-24",
        22507,
        21304,
        1002,
        201,
        0,
        155,
        0,
        [
            ("019186", "G3-READ", "all", 73.0),
            ("019186", "G6-MATH", "all", 62.0),
            ("918997", "G9-MATH", "all", 100.0),
        ],
    ),  # published as a bare "100"
]


@pytest.mark.parametrize(
    ("name", "year", "results", "reported", "nr", "nd", "sp", "g3_nr", "skipped", "checks"),
    REAL_FILES,
    ids=[entry[1] for entry in REAL_FILES],
)
def test_real_school_tables_become_one_row_per_school_and_assessment(
    name: str,
    year: str,
    results: int,
    reported: int,
    nr: int,
    nd: int,
    sp: int,
    g3_nr: int,
    skipped: int,
    checks: list[tuple[str, str, str, float | str]],
) -> None:
    path = REAL / name
    need(path.exists(), f"{path} is not there")
    table, report = read(path)
    assert report.problems == []
    assert table.num_rows == results == report.rows
    assert report.skipped == skipped
    rows = table.to_pylist()
    statuses = [r["status"] for r in rows]
    assert (
        statuses.count(""),
        statuses.count("nr"),
        statuses.count("nd"),
        statuses.count("sp"),
    ) == (reported, nr, nd, sp)
    assert sum(1 for r in rows if r["assessment"] == "G3-READ" and r["status"] == "nr") == g3_nr
    assert {r["school_year"] for r in rows} == {year}
    assert all(r["participating"] is None for r in rows)  # the published tables have no counts
    # A reported result has its number; one with a status has none.
    assert all((r["status"] == "") == (r["pct_at_standard"] is not None) for r in rows)
    for school, assessment, group, expected in checks:
        got = result(table, school, assessment, group)
        if isinstance(expected, str):
            assert (got["status"], got["pct_at_standard"]) == (expected, None)
        else:
            assert (got["status"], got["pct_at_standard"]) == ("", expected)
    anna = result(table, "019186", "G3-READ")
    assert (anna["school_name"], anna["board_number"], anna["board_name"]) == (
        "Anna McCrea Public School",
        "B28010",
        "Algoma DSB",
    )
    assert any(f"School year {year}, read from the file name." in note for note in report.notes)


def test_grade_9_mathematics_by_course_becomes_two_groups_in_the_older_tables() -> None:
    path = REAL / "sif_data_table_2018_2019_en.xlsx"
    need(path.exists(), f"{path} is not there")
    table, report = read(path)
    groups = {r["group"] for r in table.to_pylist() if r["assessment"] == "G9-MATH"}
    assert groups == {"academic", "applied"}
    assert any("Grade 9 mathematics by course" in note for note in report.notes)
    # The "Change in ... Over Three Years" columns are not results.
    assert {r["assessment"] for r in table.to_pylist()} == {
        "G3-READ",
        "G3-WRITE",
        "G3-MATH",
        "G6-READ",
        "G6-WRITE",
        "G6-MATH",
        "G9-MATH",
        "OSSLT",
    }


def test_provisional_school_numbers_are_skipped_with_a_note() -> None:
    path = REAL / "sif_data_table_2023_2024_en.xlsx"
    need(path.exists(), f"{path} is not there")
    table, report = read(path)
    assert not any(r["school_number"].startswith("SC") for r in table.to_pylist())
    assert any(
        "Skipped 7 schools with provisional numbers (SC1801" in note for note in report.notes
    )
    assert report.skipped == 0  # counted in results, and these schools have none yet


def test_the_year_given_with_a_school_table_wins_over_its_name_with_a_note() -> None:
    path = REAL / "sif_data_table_2021_2022_en.csv"
    need(path.exists(), f"{path} is not there")
    table, report = read(f"2022-23={path}")
    assert set(table.column("school_year").to_pylist()) == {"2022-23"}
    assert any(
        "was used as given, although the file's name suggests 2021-22" in note
        for note in report.notes
    )
    assert any("Read as cp1252" in note for note in report.notes)


def school_table(path: Path, rows: list[dict[str, str]]) -> Path:
    """A small school table with every EQAO column Ontario publishes (cells not given are blank)."""
    header = [
        "Board Number",
        "Board Name",
        "School Number",
        "School Name",
        "Percentage of Grade 3 Students Achieving the Provincial Standard in Reading",
        "Change in Grade 3 Reading Achievement Over Three Years",
        *(
            f"Percentage of Grade {grade} Students Achieving the Provincial Standard in {subject}"
            for grade, subject in (
                ("3", "Writing"),
                ("3", "Mathematics"),
                ("6", "Reading"),
                ("6", "Writing"),
                ("6", "Mathematics"),
                ("9", "Mathematics"),
            )
        ),
        "Percentage of Students That Passed the Grade 10 OSSLT on Their First Attempt",
    ]
    return write_csv(path, [[r.get(column, "") for column in header] for r in rows], header=header)


def test_a_small_school_table_reads_percentages_statuses_and_nothing_for_na(tmp_path: Path) -> None:
    g3 = "Percentage of Grade 3 Students Achieving the Provincial Standard in Reading"
    g6 = "Percentage of Grade 6 Students Achieving the Provincial Standard in Mathematics"
    path = school_table(
        tmp_path / "sif_data_table_2018_2019_en.csv",
        [
            {
                "Board Number": "B28010",
                "Board Name": "Algoma  DSB",
                "School Number": "19186",
                "School Name": "Anna McCrea Public School",
                g3: "69%",
                g6: "N/R",
            },
            {
                "Board Number": "B28010",
                "Board Name": "Algoma  DSB",
                "School Number": "SC1801",
                g3: "50%",
            },
            {
                "Board Number": "B28010",
                "Board Name": "Algoma  DSB",
                "School Number": "902344",
                g3: "NA",
                g6: "SP",
            },
            {
                "Board Number": "B28010",
                "Board Name": "Algoma  DSB",
                "School Number": "902345",
                g3: " 7 % ",
                g6: "N/D",
            },
        ],
    )
    table, report = read(path)
    assert report.problems == []
    assert table.select(
        ["school_number", "assessment", "pct_at_standard", "status", "board_name"]
    ).to_pylist() == [
        {
            "school_number": "019186",
            "assessment": "G3-READ",
            "pct_at_standard": 69.0,
            "status": "",
            "board_name": "Algoma DSB",
        },
        {
            "school_number": "019186",
            "assessment": "G6-MATH",
            "pct_at_standard": None,
            "status": "nr",
            "board_name": "Algoma DSB",
        },
        {
            "school_number": "902344",
            "assessment": "G6-MATH",
            "pct_at_standard": None,
            "status": "sp",
            "board_name": "Algoma DSB",
        },
        {
            "school_number": "902345",
            "assessment": "G3-READ",
            "pct_at_standard": 7.0,
            "status": "",
            "board_name": "Algoma DSB",
        },
        {
            "school_number": "902345",
            "assessment": "G6-MATH",
            "pct_at_standard": None,
            "status": "nd",
            "board_name": "Algoma DSB",
        },
    ]
    assert report.skipped == 1


def test_bad_cells_in_a_school_table_are_problems_with_row_and_column(tmp_path: Path) -> None:
    g3 = "Percentage of Grade 3 Students Achieving the Provincial Standard in Reading"
    g6 = "Percentage of Grade 6 Students Achieving the Provincial Standard in Mathematics"
    path = school_table(
        tmp_path / "sif_data_table_2018_2019_en.csv",
        [
            {"School Number": "019186", g3: "169%", g6: "lots"},
            {"School Number": "12AB", g3: "50%"},
            {"School Number": "", g3: "50%"},
        ],
    )
    _table, report = read(path)
    assert found(report) == [
        (2, g3, "169% is not a percentage between 0 and 100."),
        (
            2,
            g6,
            "“lots” is not a result. Expected a percentage like 69%, or N/R (not reported), N/D (no data), "
            "SP (suppressed) or NA (no such grade).",
        ),
        (
            3,
            "School Number",
            "“12AB” is not a school number: it should be five or six digits, like 019186.",
        ),
        (4, "School Number", "The school number is missing."),
    ]


def test_a_school_table_without_results_or_a_year_is_refused(tmp_path: Path) -> None:
    bare = write_csv(
        tmp_path / "sif_data_table_2018_2019_en.csv",
        [["019186", "Anna"]],
        header=["School Number", "School Name"],
    )
    _table, report = read(bare)
    assert found(report)[0][0] == 1 and "none of the EQAO result columns" in found(report)[0][2]
    nameless = school_table(tmp_path / "schools.csv", [{"School Number": "019186"}])
    _table, report = read(nameless)
    assert "cannot be told from the file name or the sheet name" in found(report)[0][2]


# --- The long format ------------------------------------------------------------------------


def long_rows() -> list[list[Any]]:
    return [
        row(),
        row(
            assessment="G3-WRITE",
            pct_at_standard="45.5",
            pct_level_1="10",
            pct_level_2="44.5",
            pct_level_3="40",
            pct_level_4="5.5",
        ),
        row(assessment="G3-MATH", pct_at_standard="", status="nr", participating="6"),
        row(group="ell", pct_at_standard="38"),
        row(
            school_number="700003",
            school_name="Birch Catholic School",
            board_number="B66002",
            board_name="Beta Catholic District School Board",
            school_year="2017-18",
            pct_at_standard="51",
        ),
    ]


EXPECTED_LONG = [
    {
        "school_number": "700001",
        "school_year": "2018-19",
        "assessment": "G3-READ",
        "group": "all",
        "participating": 41,
        "pct_at_standard": 69.0,
        "status": "",
        "school_name": "Aspen Public School",
        "board_number": "B66001",
        "board_name": "Alpha District School Board",
    },
    {
        "school_number": "700001",
        "school_year": "2018-19",
        "assessment": "G3-WRITE",
        "group": "all",
        "participating": 41,
        "pct_at_standard": 45.5,
        "status": "",
        "school_name": "Aspen Public School",
        "board_number": "B66001",
        "board_name": "Alpha District School Board",
    },
    {
        "school_number": "700001",
        "school_year": "2018-19",
        "assessment": "G3-MATH",
        "group": "all",
        "participating": 6,
        "pct_at_standard": None,
        "status": "nr",
        "school_name": "Aspen Public School",
        "board_number": "B66001",
        "board_name": "Alpha District School Board",
    },
    {
        "school_number": "700001",
        "school_year": "2018-19",
        "assessment": "G3-READ",
        "group": "ell",
        "participating": 41,
        "pct_at_standard": 38.0,
        "status": "",
        "school_name": "Aspen Public School",
        "board_number": "B66001",
        "board_name": "Alpha District School Board",
    },
    {
        "school_number": "700003",
        "school_year": "2017-18",
        "assessment": "G3-READ",
        "group": "all",
        "participating": 41,
        "pct_at_standard": 51.0,
        "status": "",
        "school_name": "Birch Catholic School",
        "board_number": "B66002",
        "board_name": "Beta Catholic District School Board",
    },
]


def canonical(table: pa.Table) -> list[dict[str, Any]]:
    return [{key: r[key] for key in EXPECTED_LONG[0]} for r in table.to_pylist()]


def test_long_csv_reads_every_column(tmp_path: Path) -> None:
    table, report = read(write_csv(tmp_path / "results.csv", long_rows()))
    assert report.problems == []
    assert canonical(table) == EXPECTED_LONG
    assert report.rows == 5


def test_long_csv_levels_are_kept_in_the_batches(tmp_path: Path) -> None:
    report = ImportReport(kind="results", source="test")
    reader = ResultsReader([(None, write_csv(tmp_path / "results.csv", long_rows()))], report)
    batches = list(reader.batches())
    levels = batches[0].data.select(["row", *readers.LEVELS]).to_pylist()[1]
    assert levels == {
        "row": 3,
        "pct_level_1": 10.0,
        "pct_level_2": 44.5,
        "pct_level_3": 40.0,
        "pct_level_4": 5.5,
    }
    assert reader.total_rows() == 5 and reader.rows_done == 5


def test_long_xlsx_round_trip(tmp_path: Path) -> None:
    def cell(name: str, value: str) -> Any:
        # Spreadsheets hold numbers as numbers, school numbers too.
        if name == "school_number":
            return int(value)
        try:
            return float(value)
        except ValueError:
            return value

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(LONG_HEADER)
    for values in long_rows():
        sheet.append([cell(name, value) for name, value in zip(LONG_HEADER, values, strict=True)])
    path = tmp_path / "results.xlsx"
    workbook.save(path)
    table, report = read(path)
    assert report.problems == []
    assert canonical(table) == EXPECTED_LONG


def test_long_parquet_round_trip_with_typed_columns(tmp_path: Path) -> None:
    columns = {name: [values[i] for values in long_rows()] for i, name in enumerate(LONG_HEADER)}
    typed = {
        name: (
            pa.array([float(v) if v != "" else None for v in values], pa.float64())
            if name.startswith("pct_")
            else pa.array([int(v) if v != "" else None for v in values], pa.int32())
            if name == "participating"
            else pa.array(values, pa.string())
        )
        for name, values in columns.items()
    }
    path = tmp_path / "results.parquet"
    pq.write_table(pa.table(typed), path)
    table, report = read(path)
    assert report.problems == []
    assert canonical(table) == EXPECTED_LONG
    # Dictionary-typed text columns, as pandas categoricals are written, read the same.
    for name in ("school_year", "assessment", "group"):
        typed[name] = typed[name].dictionary_encode()
    pq.write_table(pa.table(typed), path)
    assert pq.read_schema(path).field("assessment").type == pa.dictionary(pa.int32(), pa.string())
    assert canonical(read(path)[0]) == EXPECTED_LONG


def test_long_csv_in_windows_1252_with_a_bom_and_published_spellings(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "results.csv",
        [
            row(
                school_number="19186",
                school_name="École élémentaire",
                school_year="2018-2019",
                assessment="g3-read",
                group="",
                pct_at_standard="69 %",
            ),
            row(
                school_number="19186",
                school_name="École élémentaire",
                assessment="G3-MATH",
                pct_at_standard="",
                status="N/R",
            ),
        ],
        encoding="cp1252",
    )
    table, report = read(path)
    assert report.problems == []
    assert any("Read as cp1252" in note for note in report.notes)
    assert table.select(
        [
            "school_number",
            "school_year",
            "assessment",
            "group",
            "pct_at_standard",
            "status",
            "school_name",
        ]
    ).to_pylist() == [
        {
            "school_number": "019186",
            "school_year": "2018-19",
            "assessment": "G3-READ",
            "group": "all",
            "pct_at_standard": 69.0,
            "status": "",
            "school_name": "École élémentaire",
        },
        {
            "school_number": "019186",
            "school_year": "2018-19",
            "assessment": "G3-MATH",
            "group": "all",
            "pct_at_standard": None,
            "status": "nr",
            "school_name": "École élémentaire",
        },
    ]
    bom = tmp_path / "bom.csv"
    bom.write_bytes(
        b"\xef\xbb\xbf" + (tmp_path / "results.csv").read_bytes().decode("cp1252").encode("utf-8")
    )
    assert read(bom)[0].num_rows == 2


def test_only_the_required_columns_and_the_year_from_the_file(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "results_2018-19.csv",
        [["700001", "G3-READ", "69"]],
        header=["school_number", "assessment", "pct_at_standard"],
    )
    table, report = read(path)
    assert report.problems == []
    assert table.select(["school_year", "group", "status", "school_name"]).to_pylist() == [
        {"school_year": "2018-19", "group": "all", "status": "", "school_name": None}
    ]
    assert "School year 2018-19, read from the file name." in report.notes
    given, _report = read(f"2019-20={path}")
    assert given.column("school_year").to_pylist() == ["2019-20"]


def test_the_shipped_example_file_reads_cleanly() -> None:
    table, report = read(DATA / "long.csv")
    assert report.problems == []
    assert table.num_rows == 14


# --- Broken long files: every problem with its row, column and reason ----------------------


def test_missing_columns(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "results.csv", [["700001", "2018-19"]], header=["school_number", "school_year"]
    )
    table, report = read(path)
    assert table.num_rows == 0
    assert found(report) == [
        (1, "assessment", "This required column is missing."),
        (1, "pct_at_standard", "This required column is missing."),
    ]


def test_each_bad_cell_is_reported(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "results.csv",
        [
            row(pct_at_standard="sixty"),  # 2
            row(assessment="G3-WRITE", pct_at_standard="100.5"),  # 3
            row(assessment="G3-MATH", pct_at_standard="70", status="nr"),  # 4
            row(assessment="G6-READ", pct_at_standard="", status=""),  # 5
            row(assessment="G6-WRITE", pct_at_standard="", status="hidden"),  # 6
            row(assessment="G6-MATH", school_year="2018-20"),  # 7
            row(assessment="G3 reading"),  # 8
            row(school_number="12345A"),  # 9
            row(assessment="G6-MATH", participating="4.5"),  # 10
            row(
                assessment="G6-MATH",
                group="ell",
                pct_level_1="10",
                pct_level_2="10",
                pct_level_3="10",
                pct_level_4="10",
            ),  # 11
            row(assessment="G6-MATH", group="esl", board_number="28010"),  # 12
            row(assessment="G6-MATH", group="girls", pct_at_standard="-1"),  # 13
        ],
    )
    table, report = read(path)
    assert found(report) == [
        (2, "pct_at_standard", "“sixty” is not a number. Give a percentage like 69 or 69.5."),
        (3, "pct_at_standard", "100.5 is not a percentage between 0 and 100."),
        (
            4,
            "status",
            "Give either a percentage or a status, not both: a result with a status (nr) has no "
            "percentage.",
        ),
        (
            5,
            "pct_at_standard",
            "Give the percentage at the provincial standard, or a status (nr, nd or sp) "
            "saying why there is none.",
        ),
        (
            6,
            "status",
            "“hidden” is not a status: use nr (not reported), nd (no data) or sp (suppressed), or "
            "leave it empty when there is a percentage.",
        ),
        (7, "school_year", "“2018-20” is not a school year like 2018-19."),
        (
            8,
            "assessment",
            "“G3 reading” is not an assessment code like G3-READ (capital letters, digits and "
            "hyphens).",
        ),
        (
            9,
            "school_number",
            "“12345A” is not a school number: it should be five or six digits, like 019186.",
        ),
        (10, "participating", "4.5 is not a whole number of students."),
        (
            11,
            "pct_level_1",
            "The four levels add up to 40; they should add up to 100 (give or take 1.5).",
        ),
        (
            12,
            "board_number",
            "“28010” is not a board number: it should be B followed by five digits, like B28010.",
        ),
        (13, "pct_at_standard", "-1 is not a percentage between 0 and 100."),
    ]
    assert table.num_rows == 0  # only rows without a problem are read


def test_the_same_result_twice_in_a_file_and_across_files(tmp_path: Path) -> None:
    first = write_csv(
        tmp_path / "a.csv", [row(), row(assessment="G3-MATH"), row(school_number="00700001")]
    )
    _table, report = read(first)
    assert found(report) == [
        (
            4,
            "school_number",
            "“00700001” is not a school number: it should be five or six digits, like 019186.",
        ),
    ]
    twice = write_csv(tmp_path / "b.csv", [row(), row(assessment="G3-MATH"), row(group=" ALL ")])
    _table, report = read(twice)
    assert found(report) == [
        (
            4,
            "school_number",
            "The result of school 700001 in 2018-19 on G3-READ for the group “all” is already on "
            "row 2; each result may appear only once.",
        ),
    ]
    again = write_csv(tmp_path / "c.csv", [row(assessment="G6-READ"), row(assessment="G3-MATH")])
    _table, report = read(first, again)
    assert found(report)[-1] == (
        3,
        "c.csv: school_number",
        "The result of school 700001 in 2018-19 on G3-MATH for the group “all” is "
        "already on row 3 of a.csv; each result may appear only once.",
    )


def test_year_given_with_the_file_must_agree_with_the_school_year_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "results.csv",
        [
            row(),
            row(assessment="G3-MATH", school_year=""),
            row(assessment="G6-MATH", school_year="2017-18"),
        ],
    )
    table, report = read(f"2018-19={path}")
    assert found(report) == [
        (
            4,
            "school_year",
            "The school year here is 2017-18, but 2018-19 was given with the file "
            "(2018-19=results.csv). Give no year with the file, or the same one.",
        ),
    ]
    assert table.column("school_year").to_pylist() == [
        "2018-19",
        "2018-19",
    ]  # a blank cell takes the year given
    _table, report = read(f"2018={path}")
    assert found(report) == [(None, "", "“2018” is not a school year like 2023-24.")]


def test_utf16_and_spreadsheets_named_csv_are_refused(tmp_path: Path) -> None:
    utf16 = tmp_path / "results.csv"
    utf16.write_bytes(",".join(LONG_HEADER).encode("utf-16"))
    _table, report = read(utf16)
    assert found(report) == [
        (
            None,
            "",
            "The file is not plain text in UTF-8 or Latin-1 (it looks like UTF-16 or a "
            "binary file). Save it as CSV in UTF-8 and try again.",
        )
    ]
    workbook = openpyxl.Workbook()
    disguised = tmp_path / "sheet.csv"
    workbook.save(disguised)
    _table, report = read(disguised)
    assert "is a spreadsheet (xlsx), not CSV" in found(report)[0][2]
    _table, report = read(tmp_path / "missing.csv")
    assert found(report) == [(None, "", "The file cannot be read: there is no such file")]


def test_blank_and_malformed_lines_keep_every_row_number_right(tmp_path: Path) -> None:
    text = (
        "\n".join(
            [
                ",".join(LONG_HEADER),
                ",".join(row()),  # 2
                "",  # 3: blank, skipped
                ",".join(row(assessment="G3-MATH")) + ",extra",  # 4: one value too many
                ",".join(row(assessment="G6-MATH", pct_at_standard="x")),  # 5
                ",,,,,,,,,,,,,",  # 6: blank cells, skipped
                ",".join(row(assessment="G6-READ", pct_at_standard="y")),  # 7
            ]
        )
        + "\n"
    )
    path = tmp_path / "results.csv"
    path.write_text(text, encoding="utf-8")
    table, report = read(path)
    assert found(report) == [
        (4, "", "This row has 15 values but the header has 14 columns."),
        (5, "pct_at_standard", "“x” is not a number. Give a percentage like 69 or 69.5."),
        (7, "pct_at_standard", "“y” is not a number. Give a percentage like 69 or 69.5."),
    ]
    assert table.num_rows == 1


def test_problems_past_the_limit_are_counted_not_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_PROBLEMS", 3)
    path = write_csv(
        tmp_path / "results.csv", [row(assessment=f"G{n}", pct_at_standard="x") for n in range(10)]
    )
    _table, report = read(path)
    assert len(report.problems) == 4
    assert report.problems[-1].reason == (
        "7 more problems were found but not listed. Fix the ones above and import again."
    )


def test_large_files_are_read_in_batches(tmp_path: Path) -> None:
    rows = [row(school_number=f"{700000 + n:06d}") for n in range(1, 2501)]
    path = write_csv(tmp_path / "results.csv", rows)
    report = ImportReport(kind="results", source="test")
    reader = ResultsReader([(None, path)], report, batch_size=1000)
    sizes = [batch.data.num_rows for batch in reader.batches()]
    assert report.problems == []
    assert sum(sizes) == 2500 and max(sizes) <= 1000 and len(sizes) >= 3


# --- Helpers ------------------------------------------------------------------------------------


def test_sources_and_years() -> None:
    assert parse_source("2018-19=results.csv") == ("2018-19", Path("results.csv"))
    assert parse_source("results.csv") == (None, Path("results.csv"))
    assert year_in("sif_data_table_2017_2018_en") == "2017-18"
    assert year_in("SIF_1718_EQAO1718_EN") == "2017-18"
    assert year_in("SIFprelim23-24_EN") == "2023-24"
    assert (
        normal_year("2018-2019") == normal_year("2018_19") == normal_year(" 2018-19 ") == "2018-19"
    )
    assert normal_year("2018-20") is None and normal_year("2018") is None
