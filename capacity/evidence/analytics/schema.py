"""The canonical tables every analytics function reads.

`results`: one row per school x school year x assessment x student group.

| column          | type    | meaning                                                        |
| --------------- | ------- | -------------------------------------------------------------- |
| school_number   | string  | e.g. "019186"                                                  |
| school_name     | string  |                                                                |
| board_number    | string  | e.g. "B28010"                                                  |
| board_name      | string  |                                                                |
| school_year     | string  | e.g. "2018-19"                                                 |
| assessment      | string  | e.g. "G3-READ"                                                 |
| group           | string  | "all", or a student group such as "ell"                        |
| participating   | int64   | participating students, null when unknown                      |
| pct_at_standard | float64 | % at or above the provincial standard, null when not reported  |
| status          | string  | "" when reported; "nr", "nd" or "sp" when there is no number   |

`context`: one row per school x school year.

| column                 | type    |
| ---------------------- | ------- |
| school_number          | string  |
| school_year            | string  |
| board_number           | string  |
| level                  | string  | "elementary" / "secondary"
| language               | string  | "en" / "fr"
| enrolment              | int64   |
| pct_low_income         | float64 |
| pct_language_learners  | float64 |
| pct_special_education  | float64 |
| pct_parents_no_degree  | float64 |
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

# The one school-year rule every app uses (plain Python, no Django), re-exported for the analytics.
from capacity.schoolyears import school_year_label, year_start_of

__all__ = [
    "CONTEXT_INDICATORS",
    "CONTEXT_SCHEMA",
    "RESULTS_SCHEMA",
    "check_columns",
    "school_year_label",
    "year_start",
    "year_start_of",
]

RESULTS_SCHEMA = ibis.schema(
    {
        "school_number": "string",
        "school_name": "string",
        "board_number": "string",
        "board_name": "string",
        "school_year": "string",
        "assessment": "string",
        "group": "string",
        "participating": "int64",
        "pct_at_standard": "float64",
        "status": "string",
    }
)

CONTEXT_SCHEMA = ibis.schema(
    {
        "school_number": "string",
        "school_year": "string",
        "board_number": "string",
        "level": "string",
        "language": "string",
        "enrolment": "int64",
        "pct_low_income": "float64",
        "pct_language_learners": "float64",
        "pct_special_education": "float64",
        "pct_parents_no_degree": "float64",
    }
)

# The context indicators the context model and similar-schools search use.
CONTEXT_INDICATORS = (
    "pct_low_income",
    "pct_language_learners",
    "pct_special_education",
    "pct_parents_no_degree",
)


def year_start(school_year: ir.StringValue) -> ir.IntegerValue:
    """The calendar year a school year starts in: "2018-19" -> 2018.

    >>> import ibis
    >>> years = ibis.memtable({"school_year": ["2018-19"]})
    >>> years.select(start=year_start(ibis._.school_year)).to_pyarrow().to_pylist()
    [{'start': 2018}]
    """
    return school_year.substr(0, 4).cast("int64")


def check_columns(table: ir.Table, schema: ibis.Schema, name: str) -> None:
    """Raise a clear error when a table lacks a canonical column."""
    missing = [column for column in schema.names if column not in table.columns]
    if missing:
        raise ValueError(f"The {name} table lacks the column(s): {', '.join(missing)}")
