"""The identification rule written by hand in DuckDB SQL, as a yardstick for the Ibis version.

The benchmark times `identification_table` (Ibis) against this query, and the
parity tests check that both give the same status, years_meeting and
years_missing for every school. Keep the two in step when the rule changes.

It is a test oracle, not part of the app, so it lives here beside the
benchmarks (run as scripts from this folder: `import identification_sql`) and
tests import it as `benchmarks.identification_sql`; the installed package does
not ship it.
"""

from __future__ import annotations

from capacity.evidence.analytics.identification import policy_window
from capacity.evidence.analytics.policy import Policy


def _string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _number(value: float) -> str:
    # repr() keeps every digit of a float; SQL reads "50.0" and "1e-05" alike.
    return repr(float(value))


def identification_sql(table_name: str, policy: Policy, year: str) -> str:
    """A DuckDB query over the results table `table_name`: school_number, status, years_meeting, years_missing.

    >>> from capacity.evidence.analytics.policy import load_policy
    >>> sql = identification_sql("results", load_policy("ofip-2016"), "2018-19")
    >>> "GROUP BY school_number" in sql
    True
    """
    window = policy_window(policy, year)
    labels = ", ".join(_string(label) for label in window)
    assessments = ", ".join(_string(a) for a in policy.assessments)
    usable = "coalesce(status, '') = '' AND pct_at_standard IS NOT NULL"
    if policy.min_participating > 0:
        usable += (
            f" AND participating IS NOT NULL AND participating >= {int(policy.min_participating)}"
        )
    # Every value is quoted by _string/_identifier or formatted from a number.
    return f"""
WITH policy_rows AS (
    SELECT
        school_number,
        CAST(substr(school_year, 1, 4) AS BIGINT) AS ys,
        CASE WHEN {usable} THEN 1 ELSE 0 END AS usable,
        CASE WHEN {usable} AND pct_at_standard < {_number(policy.threshold)} THEN 1 ELSE 0 END AS below
    FROM {_identifier(table_name)}
    WHERE "group" = {_string(policy.group)}
      AND assessment IN ({assessments})
      AND school_year IN ({labels})
),
school_years AS (
    SELECT
        school_number,
        ys,
        CASE WHEN sum(usable) > 0 THEN 1 ELSE 0 END AS has_data,
        CASE WHEN sum(below) >= {int(policy.min_assessments_below)} THEN 1 ELSE 0 END AS meets
    FROM policy_rows
    GROUP BY school_number, ys
),
schools AS (
    SELECT
        school_number,
        CAST(sum(meets) AS BIGINT) AS years_meeting,
        CAST({int(policy.years)} - sum(has_data) AS BIGINT) AS years_missing
    FROM school_years
    GROUP BY school_number
)
SELECT
    school_number,
    CASE
        WHEN years_meeting >= {int(policy.min_years)} THEN 'identified'
        WHEN years_meeting + years_missing < {int(policy.min_years)} THEN 'not_identified'
        ELSE 'insufficient_data'
    END AS status,
    years_meeting,
    years_missing
FROM schools
ORDER BY school_number
"""  # noqa: S608
