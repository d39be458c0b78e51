"""Ontario's published school tables, read once per test session, for tests that check figures.

The tables are read with Capacity's reader (into the canonical results rows) and by hand
with pandas, so that a test can compare the analytics with a count made independently.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pyarrow as pa

from tests.conftest import ONTARIO_SIF, need

# The four years Ontario published here; no tests were given in 2019-20 and 2020-21,
# and the 2022-23 table is not among them.
FILES = {
    "2017-18": "sif_data_table_2017_2018_en.xlsx",
    "2018-19": "sif_data_table_2018_2019_en.xlsx",
    "2021-22": "sif_data_table_2021_2022_en.csv",
    "2023-24": "sif_data_table_2023_2024_en.xlsx",
}

# The six Grade 3 and 6 assessments as Ontario's tables head them, by Capacity's code.
HEADS = {
    f"G{grade}-{code}": (
        f"Percentage of Grade {grade} Students Achieving the Provincial Standard in {subject}"
    )
    for grade in (3, 6)
    for code, subject in (("READ", "Reading"), ("WRITE", "Writing"), ("MATH", "Mathematics"))
}


def _path(year: str) -> Path:
    path = ONTARIO_SIF / FILES[year]
    need(path.exists(), f"{path} is not there")
    return path


@functools.cache
def canonical() -> pa.Table:
    """All four years as Capacity reads them (the canonical results rows)."""
    from capacity.evidence.readers import ResultsReader
    from capacity.imports import ImportReport

    report = ImportReport(kind="results", source="tests")
    table = ResultsReader([(year, _path(year)) for year in FILES], report).table()
    assert report.problems == []
    return table


@functools.cache
def by_hand(year: str) -> pd.DataFrame:
    """One year's six Grade 3 and 6 percentages per school, read with pandas alone.

    "69%" and "69 %" are numbers; N/R, N/D, SP, NA and blanks are not (NaN).
    Index: the six-digit school number; columns: the assessment codes.
    """
    path = _path(year)
    if path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, encoding="latin-1", keep_default_na=False)
    else:
        frame = pd.read_excel(path, dtype=str, engine="calamine", keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    numbers = pd.DataFrame(
        {
            code: pd.to_numeric(
                frame[head].str.replace("%", "", regex=False).str.strip(), errors="coerce"
            )
            for code, head in HEADS.items()
        }
    )
    numbers.index = frame["School Number"].str.strip().str.zfill(6)
    # Provisional numbers (not six digits once padded) are not schools yet: the reader skips them.
    return numbers[numbers.index.str.fullmatch(r"\d{6}")]
