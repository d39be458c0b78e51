"""The identification rule, worked by hand on small data (DuckDB).

Each test builds a handful of schools whose status can be checked on paper.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from capacity.evidence.analytics.identification import (
    TABLE_COLUMNS,
    Identification,
    Reason,
    SchoolStatus,
    identification_over_time,
    identification_table,
    identify,
    policy_window,
    simulate,
)
from capacity.evidence.analytics.policy import parse_policy
from tests.evidence.identification_cases import (
    ABOVE,
    BELOW,
    THREE_BELOW,
    Value,
    frame,
    history,
    load,
    ofip,
    random_results,
    reading,
    result,
    school_year,
    small_schools_policy,
    table_rows,
)


def run(rows, policy=None, year="2018-19") -> Identification:
    return identify(load(frame(rows)), policy or ofip(), year)


def one(found: Identification, number: str) -> SchoolStatus:
    school = found.school(number)
    assert school is not None, f"{number} is not in the output"
    return school


def status_of(found: Identification, number: str) -> str:
    return one(found, number).status


# --------------------------------------------------------------------------- windows


def test_the_ofip_window_is_this_year_and_the_one_before():
    assert policy_window(ofip(), "2018-19") == ("2017-18", "2018-19")


def test_the_window_counts_calendar_years_even_without_tests():
    assert policy_window(ofip(), "2021-22") == ("2020-21", "2021-22")
    assert policy_window(reading(), "2000-01") == ("1998-99", "1999-00", "2000-01")


@pytest.mark.parametrize("bad", ["2018", "2018-2019", "2018-20", "18-19", ""])
def test_it_rejects_a_malformed_school_year(bad):
    with pytest.raises(ValueError, match="school year"):
        policy_window(ofip(), bad)


# --------------------------------------------------------------------------- the per-year rule


def test_exactly_50_percent_is_not_below_a_50_threshold():
    at_50 = [50.0, 50.0, 50.0, 50.0, 70.0, 80.0]
    just_under = [49.9, 49.9, 49.9, 49.9, 70.0, 80.0]
    found = run(
        history("000001", {"2017-18": at_50, "2018-19": at_50})
        + history("000002", {"2017-18": just_under, "2018-19": just_under})
    )
    assert status_of(found, "000001") == "not_identified"
    assert one(found, "000001").years_meeting == ()
    assert status_of(found, "000002") == "identified"


def test_three_of_six_below_is_not_enough_four_is():
    found = run(
        history("000001", {"2017-18": THREE_BELOW, "2018-19": THREE_BELOW})
        + history("000002", {"2017-18": BELOW, "2018-19": BELOW})
    )
    assert status_of(found, "000001") == "not_identified"
    assert status_of(found, "000002") == "identified"
    assert one(found, "000002").years_meeting == ("2017-18", "2018-19")


def test_below_in_only_one_of_two_consecutive_years_is_not_identified():
    found = run(
        history("000001", {"2017-18": BELOW, "2018-19": ABOVE})
        + history("000002", {"2017-18": ABOVE, "2018-19": BELOW})
    )
    for school in ("000001", "000002"):
        assert status_of(found, school) == "not_identified"
    assert one(found, "000001").years_meeting == ("2017-18",)
    assert one(found, "000002").years_meeting == ("2018-19",)


def test_a_year_outside_the_window_does_not_count():
    found = run(history("000001", {"2016-17": BELOW, "2017-18": ABOVE, "2018-19": BELOW}))
    assert status_of(found, "000001") == "not_identified"


def test_nr_results_never_count_as_below():
    # Three results under 50% and three with no number: three is not four.
    year: list[Value] = [40.0, 45.0, 30.0, "nr", "nd", "sp"]
    found = run(history("000001", {"2017-18": year, "2018-19": year}))
    assert status_of(found, "000001") == "not_identified"
    assert one(found, "000001").missing == ()


def test_a_reported_status_with_no_number_is_not_below():
    # A status of "" with a null percentage is a hole in the data, not a zero.
    rows = history("000001", {"2017-18": BELOW, "2018-19": BELOW})
    for row in rows:
        if row["school_year"] == "2018-19" and row["assessment"] == "G3-READ":
            row["pct_at_standard"] = None
    found = run(rows)
    assert status_of(found, "000001") == "not_identified"


def test_absent_rows_are_not_below():
    year: list[Value] = [40.0, 45.0, 30.0, None, None, None]
    found = run(history("000001", {"2017-18": year, "2018-19": year}))
    assert status_of(found, "000001") == "not_identified"


def test_other_groups_and_assessments_do_not_count():
    rows = history("000001", {"2017-18": THREE_BELOW, "2018-19": THREE_BELOW})
    for year in ("2017-18", "2018-19"):
        rows.append(result("000001", year, "G6-READ", 10.0, group="ell"))
        rows.append(result("000001", year, "G9-MATH", 10.0))
    found = run(rows)
    assert status_of(found, "000001") == "not_identified"


def test_schools_without_any_policy_result_are_left_out():
    secondary = [result("900001", y, "G9-MATH", 20.0) for y in ("2017-18", "2018-19")]
    found = run(secondary + history("000001", {"2017-18": ABOVE, "2018-19": ABOVE}))
    assert [s.school_number for s in found.schools] == ["000001"]


def test_a_school_with_only_nr_rows_in_the_window_is_listed_as_insufficient():
    all_nr = ["nr"] * 6
    found = run(history("000001", {"2017-18": all_nr, "2018-19": all_nr}))
    school = one(found, "000001")
    assert school.status == "insufficient_data"
    assert school.missing == ("2017-18", "2018-19")


# --------------------------------------------------------------------------- missing data


def test_a_gap_year_gives_insufficient_data_naming_the_year():
    # No tests in 2019-20: a school that met the rule in 2018-19 cannot be judged.
    rows = history("000001", {"2018-19": BELOW}) + history("000002", {"2018-19": ABOVE})
    found = run(rows, year="2019-20")
    school = one(found, "000001")
    assert school.status == "insufficient_data"
    assert school.missing == ("2019-20",)
    assert school.years_meeting == ("2018-19",)
    # A year with data that fails decides the matter: the gap does not help.
    assert status_of(found, "000002") == "not_identified"


def test_the_rule_never_bridges_the_covid_gap():
    # Under the rule in 2021-22 the window is 2020-21 and 2021-22; 2020-21 had no
    # tests, so even a school below in 2018-19 and 2021-22 is insufficient data.
    rows = history("000001", {"2017-18": BELOW, "2018-19": BELOW, "2021-22": BELOW})
    rows += history("000002", {"2018-19": BELOW, "2021-22": ABOVE})
    found = run(rows, year="2021-22")
    assert found.window == ("2020-21", "2021-22")
    school = one(found, "000001")
    assert school.status == "insufficient_data"
    assert school.missing == ("2020-21",)
    assert found.identified == ()
    assert status_of(found, "000002") == "not_identified"
    assert found.to_json()["insufficient_data"] == [
        {
            "school_number": "000001",
            "school_name": "School 000001",
            "board_number": "B1",
            "missing": ["2020-21"],
        }
    ]


def test_a_school_whose_every_result_in_a_window_year_is_nr_is_insufficient():
    found = run(
        history("000001", {"2017-18": ["nr", "nr", "nd", "sp", "nr", "nr"], "2018-19": BELOW})
    )
    school = one(found, "000001")
    assert school.status == "insufficient_data"
    assert school.missing == ("2017-18",)
    assert school.years_meeting == ("2018-19",)


def test_min_participating_excludes_small_results():
    policy = small_schools_policy(min_participating=10)
    rows = []
    # 000001: one of its four below results has 5 students, so only three count.
    for year in ("2017-18", "2018-19"):
        rows += school_year(
            "000001",
            year,
            BELOW[1:],
            assessments=("G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH"),
        )
        rows.append(result("000001", year, "G3-READ", 10.0, participating=5))
    # 000002: every result in 2017-18 is from a tiny cohort: a gap year.
    rows += history("000002", {"2018-19": BELOW})
    rows += school_year("000002", "2017-18", BELOW, participating=3)
    # 000003: participation unknown is not usable once a minimum is set.
    rows += history("000003", {"2018-19": BELOW})
    rows += school_year("000003", "2017-18", BELOW, participating=None)
    # 000004: exactly the minimum counts.
    rows += history("000004", {"2017-18": BELOW, "2018-19": BELOW}, participating=10)
    found = run(rows, policy)
    assert status_of(found, "000001") == "not_identified"
    assert one(found, "000002").status == "insufficient_data"
    assert one(found, "000002").missing == ("2017-18",)
    assert one(found, "000003").missing == ("2017-18",)
    assert status_of(found, "000004") == "identified"
    # Without the minimum, the same data identifies 000001 and 000002.
    plain = run(rows, ofip())
    assert [s.school_number for s in plain.identified] == ["000001", "000002", "000003", "000004"]


# --------------------------------------------------------------------------- reading-2008: 2 of the last 3


def reading_year(g3: object, g6: object) -> list:
    return [g3, g6]


def reading_history(school: str, years: dict[str, list]) -> list[dict]:
    return history(school, years, assessments=("G3-READ", "G6-READ"))


LOW, HIGH = [25.0, 60.0], [60.0, 70.0]  # one of two under 34 meets reading-2008; none does not


@pytest.mark.parametrize(
    ("years", "expected", "missing"),
    [
        pytest.param(
            {"2016-17": LOW, "2017-18": LOW, "2018-19": HIGH},
            "identified",
            (),
            id="2 meeting + 1 not",
        ),
        pytest.param(
            {"2016-17": LOW, "2018-19": LOW}, "identified", ("2017-18",), id="2 meeting + 1 missing"
        ),
        pytest.param(
            {"2016-17": LOW, "2017-18": ["nr", "nr"], "2018-19": HIGH},
            "insufficient_data",
            ("2017-18",),
            id="1 meeting + 1 missing + 1 not",
        ),
        pytest.param(
            {"2016-17": HIGH, "2017-18": LOW, "2018-19": HIGH},
            "not_identified",
            (),
            id="1 meeting + 2 not",
        ),
        pytest.param(
            {"2018-19": LOW},
            "insufficient_data",
            ("2016-17", "2017-18"),
            id="1 meeting + 2 missing",
        ),
        pytest.param(
            {"2016-17": HIGH, "2018-19": HIGH},
            "not_identified",
            ("2017-18",),
            id="0 meeting + 1 missing",
        ),
    ],
)
def test_reading_2008_two_of_the_last_three_years(years, expected, missing):
    found = run(reading_history("000001", years), reading())
    school = one(found, "000001")
    assert found.window == ("2016-17", "2017-18", "2018-19")
    assert school.status == expected
    assert school.missing == missing


def test_categories_under_reading_2008():
    found = run(
        reading_history(
            "000001", {"2017-18": LOW, "2018-19": [15.0, 30.0]}
        )  # lowest latest 15: intensive
        + reading_history(
            "000002", {"2017-18": [10.0, 10.0], "2018-19": [25.0, 30.0]}
        )  # 25: targeted
        + reading_history(
            "000003", {"2017-18": LOW, "2018-19": [20.0, 50.0]}
        )  # exactly 20 is not under 20
        + reading_history(
            "000004", {"2017-18": LOW, "2018-19": HIGH}
        ),  # not identified: no category
        reading(),
    )
    categories = {s.school_number: s.category for s in found.schools}
    assert categories == {
        "000001": "intensive",
        "000002": "targeted",
        "000003": "targeted",
        "000004": None,
    }
    counts = found.counts()
    assert counts["category:intensive"] == 1
    assert counts["category:targeted"] == 2
    assert found.to_json()["identified"][0]["category"] == "intensive"


def test_an_identified_school_without_a_latest_result_has_no_category():
    # 2 of 3 met in earlier years, the latest year missing: identified, but there
    # is no latest result to place it in a category.
    found = run(reading_history("000001", {"2016-17": LOW, "2017-18": LOW}), reading())
    school = one(found, "000001")
    assert school.status == "identified"
    assert school.category is None


def test_a_custom_policy_without_a_matching_category_leaves_it_null():
    policy = parse_policy(
        """
        name = "custom"
        [rule]
        assessments = ["G3-READ"]
        threshold = 40
        min_assessments_below = 1
        years = 1
        [[categories]]
        name = "deep"
        below = 10
        """
    )
    rows = [
        result("000001", "2018-19", "G3-READ", 5.0),
        result("000002", "2018-19", "G3-READ", 30.0),
    ]
    found = run(rows, policy)
    assert [(s.school_number, s.category) for s in found.identified] == [
        ("000001", "deep"),
        ("000002", None),
    ]


# --------------------------------------------------------------------------- both policies, reasons, output


def test_both_shipped_policies_on_the_same_data():
    both = [20.0, 45.0, 30.0, 30.0, 70.0, 80.0]  # four under 50, reading under 34
    rows = history("000001", {"2016-17": both, "2017-18": both, "2018-19": both})
    # 000002's reading is 40/48: under 50 but not under 34. OFIP only.
    rows += history("000002", {"2017-18": BELOW, "2018-19": BELOW})
    rows += history(
        "000003", {"2016-17": [20, 60, 60, 20, 60, 60], "2018-19": [20, 60, 60, 20, 60, 60]}
    )
    # 000003 has reading under 34 in two of three years but only two assessments under 50: reading only.
    results = load(frame(rows))
    under_ofip = identify(results, ofip(), "2018-19")
    under_reading = identify(results, reading(), "2018-19")
    assert [s.school_number for s in under_ofip.identified] == ["000001", "000002"]
    assert [s.school_number for s in under_reading.identified] == ["000001", "000003"]
    assert one(under_ofip, "000003").status == "not_identified"
    assert one(under_reading, "000003").missing == ("2017-18",)


def test_reasons_carry_the_values():
    rows = history("000001", {"2017-18": BELOW, "2018-19": [12.5, 60.0, 33.0, 49.9, 48.0, 90.0]})
    rows.append(result("000001", "2016-17", "G3-READ", 1.0))  # outside the window: never a reason
    for row in rows:
        if row["school_year"] == "2018-19" and row["assessment"] == "G6-READ":
            row["participating"] = None
    found = run(rows)
    school = one(found, "000001")
    assert school.status == "identified"
    assert school.reasons == (
        Reason("2017-18", "G3-READ", 40.0, 40),
        Reason("2017-18", "G3-WRITE", 45.0, 40),
        Reason("2017-18", "G3-MATH", 30.0, 40),
        Reason("2017-18", "G6-READ", 48.0, 40),
        Reason("2018-19", "G3-READ", 12.5, 40),
        Reason("2018-19", "G3-MATH", 33.0, 40),
        Reason("2018-19", "G6-READ", 49.9, None),
        Reason("2018-19", "G6-WRITE", 48.0, 40),
    )


def test_reasons_come_only_from_years_that_met_the_rule():
    found = run(history("000001", {"2017-18": THREE_BELOW, "2018-19": BELOW}))
    school = one(found, "000001")
    assert school.status == "not_identified"
    assert {r.school_year for r in school.reasons} == {"2018-19"}
    assert len(school.reasons) == 4


def test_names_come_from_the_latest_row():
    rows = history(
        "000001", {"2017-18": BELOW}, school_name="Old name", board="B1", board_name="Old board"
    )
    rows += history(
        "000001", {"2018-19": BELOW}, school_name="New name", board="B2", board_name="New board"
    )
    school = one(run(rows), "000001")
    assert (school.school_name, school.board_number, school.board_name) == (
        "New name",
        "B2",
        "New board",
    )


def test_to_json_has_exactly_the_contract_keys():
    rows = history("000001", {"2017-18": BELOW, "2018-19": BELOW})
    rows += history("000002", {"2018-19": BELOW})
    rows += history("000003", {"2017-18": ABOVE, "2018-19": ABOVE})
    data = run(rows).to_json()
    assert list(data) == ["policy", "year", "window", "identified", "insufficient_data", "counts"]
    # Issue 13 added the options explained in words, and each school's history fields.
    assert set(data["policy"]) == {"name", "version", "title", "options"}
    assert [o["key"] for o in data["policy"]["options"]] == ["count", "window", "min_participating"]
    assert data["year"] == "2018-19"
    assert data["window"] == ["2017-18", "2018-19"]
    assert set(data["identified"][0]) == {
        "school_number",
        "school_name",
        "board_number",
        "board_name",
        "category",
        "reasons",
        "status",
        "entry_status",
        "held",
        "clear_years",
        "left_in",
        "sustaining_years_left",
        "trend",
        "previous_year",
        "previous_status",
        "changes",
    }
    assert set(data["identified"][0]["reasons"][0]) == {
        "school_year",
        "assessment",
        "pct_at_standard",
        "participating",
    }
    assert set(data["insufficient_data"][0]) == {
        "school_number",
        "school_name",
        "board_number",
        "missing",
    }
    assert data["counts"] == {
        "schools": 3,
        "identified": 1,
        "not_identified": 1,
        "insufficient_data": 1,
    }


def test_counts_name_every_category_even_when_empty():
    counts = run(
        history("000001", {"2018-19": HIGH}, assessments=("G3-READ", "G6-READ")), reading()
    ).counts()
    assert counts == {
        "schools": 1,
        "identified": 0,
        "not_identified": 0,
        "insufficient_data": 1,
        "category:intensive": 0,
        "category:targeted": 0,
    }


def test_identification_table_has_one_typed_row_per_school():
    rows = history("000001", {"2017-18": BELOW, "2018-19": BELOW}) + history(
        "000002", {"2018-19": ABOVE}
    )
    table = identification_table(load(frame(rows)), ofip(), "2018-19")
    assert tuple(table.columns) == TABLE_COLUMNS
    schema = table.schema()
    assert schema["years_meeting"].is_integer() and schema["years_missing"].is_integer()
    assert schema["lowest_latest"].is_floating() and schema["category"].is_string()
    assert table_rows(table) == [
        {
            "school_number": "000001",
            "school_name": "School 000001",
            "board_number": "B1",
            "board_name": "Board B1",
            "status": "identified",
            "years_meeting": 2,
            "years_missing": 0,
            "lowest_latest": 30.0,
            "category": None,
        },
        {
            "school_number": "000002",
            "school_name": "School 000002",
            "board_number": "B1",
            "board_name": "Board B1",
            "status": "not_identified",
            "years_meeting": 0,
            "years_missing": 1,
            "lowest_latest": 55.0,
            "category": None,
        },
    ]


def test_an_empty_window_gives_no_schools():
    found = run(history("000001", {"2010-11": BELOW}))
    assert found.schools == ()
    assert found.counts() == {
        "schools": 0,
        "identified": 0,
        "not_identified": 0,
        "insufficient_data": 0,
    }


def test_a_null_status_counts_as_reported():
    # Some CSV readers turn the empty status into null; the number still counts.
    rows = history("000001", {"2017-18": BELOW, "2018-19": BELOW})
    for row in rows:
        row["status"] = None
    assert status_of(run(rows), "000001") == "identified"


def test_the_worked_example_in_the_docs():
    # docs/identification.md, "Missing data: a worked example".
    rows = history("A", {"2017-18": BELOW, "2018-19": BELOW, "2021-22": BELOW, "2022-23": BELOW})
    rows += history(
        "B", {"2017-18": BELOW, "2018-19": BELOW, "2021-22": [40.0, 60, 60, 60, 60, 60]}
    )
    rows += history("C", {"2017-18": ["nr"] * 6, "2018-19": BELOW, "2021-22": BELOW})
    results = load(frame(rows))

    def statuses(year):
        found = identify(results, ofip(), year)
        return {s.school_number: (s.status, s.missing) for s in found.schools}

    assert statuses("2018-19") == {
        "A": ("identified", ()),
        "B": ("identified", ()),
        "C": ("insufficient_data", ("2017-18",)),
    }
    assert statuses("2019-20") == dict.fromkeys("ABC", ("insufficient_data", ("2019-20",)))
    assert statuses("2021-22") == {
        "A": ("insufficient_data", ("2020-21",)),
        "B": ("not_identified", ("2020-21",)),
        "C": ("insufficient_data", ("2020-21",)),
    }
    assert statuses("2022-23")["A"] == ("identified", ())


def test_the_policy_example_in_the_docs_parses():
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "identification.md").read_text(
        encoding="utf-8"
    )
    example = re.search(r"```toml\n(.*?)```", text, re.S)
    assert example is not None
    policy = parse_policy(example.group(1))
    assert (policy.years, policy.min_years, policy.consecutive, policy.min_participating) == (
        4,
        3,
        False,
        15,
    )


# --------------------------------------------------------------------------- over time


COVID_YEARS = {"2015-16": BELOW, "2016-17": BELOW, "2017-18": BELOW, "2018-19": BELOW}


def test_a_school_that_improves_after_the_covid_gap_exits_in_2021_22():
    # 000001 was identified 2016-17..2018-19, then improved. There were no tests
    # in 2019-20 and 2020-21, so the years evaluated (those with data) skip them.
    rows = history("000001", {**COVID_YEARS, "2021-22": ABOVE, "2022-23": ABOVE})
    # 000002 stayed below: the gap gives insufficient data in 2021-22, not an exit.
    rows += history("000002", {**COVID_YEARS, "2021-22": BELOW, "2022-23": BELOW})
    over = identification_over_time(load(frame(rows)), ofip())
    assert over.years == ["2015-16", "2016-17", "2017-18", "2018-19", "2021-22", "2022-23"]
    assert [over.counts[y]["identified"] for y in over.years] == [0, 2, 2, 2, 0, 1]
    assert over.exits["2021-22"] == ["000001"]
    assert over.exits_to_insufficient["2021-22"] == ["000002"]
    assert over.entries_from_insufficient["2022-23"] == ["000002"]
    # 2015-16 is the first year with data, so it is insufficient (2014-15 is
    # missing) and 2016-17's identifications come from insufficient data.
    assert over.counts["2015-16"]["insufficient_data"] == 2
    assert over.entries_from_insufficient["2016-17"] == ["000001", "000002"]
    assert all(over.entries[y] == [] for y in over.years)
    assert over.durations == {"000002": 1}  # an insufficient year ends a run


def test_evaluating_the_covid_years_shows_them_as_insufficient_not_exits():
    rows = history("000001", {**COVID_YEARS, "2021-22": ABOVE})
    years = ["2018-19", "2019-20", "2020-21", "2021-22"]
    over = identification_over_time(load(frame(rows)), ofip(), years)
    # 2019-20: 2018-19 met, 2019-20 missing. 2020-21: no result at all in the
    # window (2019-20, 2020-21), so the school is not evaluated that year.
    assert [over.counts[y]["insufficient_data"] for y in years] == [0, 1, 0, 0]
    assert [over.counts[y]["schools"] for y in years] == [1, 1, 0, 1]
    assert over.exits_to_insufficient["2019-20"] == ["000001"]
    # The previous evaluated year had no decision, so 2021-22 is no exit.
    assert all(over.exits[y] == [] for y in years)
    assert over.counts["2021-22"]["not_identified"] == 1


def test_entries_and_exits_on_a_small_synthetic_history():
    years = ["2013-14", "2014-15", "2015-16", "2016-17", "2017-18"]
    pattern = {
        "000001": "BBBBB",  # identified 2014-15 onward
        "000002": "BBAAB",  # identified 2014-15, exits 2015-16
        "000003": "ABBAB",  # enters 2015-16, exits 2016-17
        "000004": "AABBB",  # enters 2016-17
        "000005": "AAAAA",  # never
        "000006": "BB-BB",  # 2015-16 missing: insufficient 2015-16 and 2016-17, identified 2017-18
    }
    rows = []
    for school, marks in pattern.items():
        for year, mark in zip(years, marks, strict=True):
            if mark != "-":
                rows += history(
                    school,
                    {year: BELOW if mark == "B" else ABOVE},
                    board="B1" if school < "000004" else "B2",
                )
    # 2013-14 is the first year of data (everyone insufficient): start a year later.
    evaluated = years[1:]
    over = identification_over_time(load(frame(rows)), ofip(), evaluated)
    assert over.years == evaluated
    assert over.entries == {
        "2014-15": [],
        "2015-16": ["000003"],
        "2016-17": ["000004"],
        "2017-18": [],
    }
    assert over.exits == {
        "2014-15": [],
        "2015-16": ["000002"],
        "2016-17": ["000003"],
        "2017-18": [],
    }
    assert over.exits_to_insufficient["2015-16"] == ["000006"]
    assert over.entries_from_insufficient["2017-18"] == ["000006"]
    assert [over.counts[y]["identified"] for y in evaluated] == [3, 2, 2, 3]
    assert over.durations == {"000001": 4, "000004": 2, "000006": 1}
    assert over.duration_histogram() == {1: 1, 2: 1, 4: 1}
    for year in evaluated:
        boards = over.by_board[year].values()
        for key in ("schools", "identified", "not_identified", "insufficient_data"):
            assert sum(b[key] for b in boards) == over.counts[year][key]
    assert over.by_board["2017-18"]["B2"]["identified"] == 2
    assert over.boards == {"B1": "Board B1", "B2": "Board B2"}
    assert over.schools["000004"] == {"school_name": "School 000004", "board_number": "B2"}


def test_a_school_that_disappears_while_identified_is_listed_separately():
    # 000001 closes after 2017-18; the next year with data is 2021-22.
    rows = history("000001", {"2016-17": BELOW, "2017-18": BELOW})
    rows += history("000002", {"2016-17": ABOVE, "2017-18": ABOVE, "2021-22": ABOVE})
    over = identification_over_time(load(frame(rows)), ofip())
    assert over.years == ["2016-17", "2017-18", "2021-22"]
    assert over.exits_without_data["2021-22"] == ["000001"]
    assert all(over.exits[y] == [] and over.exits_to_insufficient[y] == [] for y in over.years)


def test_over_time_to_json_is_plain_data():
    import json

    rows = history("000001", {"2016-17": BELOW, "2017-18": BELOW, "2018-19": ABOVE})
    data = identification_over_time(load(frame(rows)), ofip()).to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["exits"]["2018-19"] == ["000001"]
    assert data["policy"]["name"] == "ofip-2016"


def test_over_time_with_no_data_is_empty():
    over = identification_over_time(load(frame([])), ofip())
    assert over.years == [] and over.durations == {}


# --------------------------------------------------------------------------- simulation


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_raising_the_threshold_from_50_to_60_only_adds_schools(seed):
    results = load(random_results(seed, schools=200))
    current = ofip()
    sim = simulate(results, current, current.with_threshold(60), "2018-19")
    assert sim.leaving == []
    assert sim.entering, "60% should catch more schools on this data"
    assert sim.counts["proposed"] == sim.counts["current"] + sim.counts["entering"]
    assert sim.counts["current"] == len(identify(results, current, "2018-19").identified)


def test_simulation_per_board_counts_add_up():
    results = load(random_results(7, schools=250))
    sim = simulate(results, ofip(), reading(), "2018-19")
    assert sim.entering and sim.leaving
    for key in ("current", "proposed", "entering", "leaving"):
        assert sum(board[key] for board in sim.by_board.values()) == sim.counts[key]
    for board in sim.by_board.values():
        assert board["proposed"] - board["current"] == board["entering"] - board["leaving"]
    under_reading = {s.school_number for s in identify(results, reading(), "2018-19").identified}
    under_ofip = {s.school_number for s in identify(results, ofip(), "2018-19").identified}
    assert [s["school_number"] for s in sim.entering] == sorted(under_reading - under_ofip)
    assert [s["school_number"] for s in sim.leaving] == sorted(under_ofip - under_reading)


def test_simulation_names_the_schools_and_their_statuses():
    rows = history(
        "000001", {"2017-18": [55.0] * 4 + [70.0, 70.0], "2018-19": [55.0] * 4 + [70.0, 70.0]}
    )
    rows += history("000002", {"2018-19": [55.0] * 6})
    sim = simulate(load(frame(rows)), ofip(), ofip().with_threshold(60), "2018-19")
    assert sim.entering == [
        {
            "school_number": "000001",
            "school_name": "School 000001",
            "board_number": "B1",
            "board_name": "Board B1",
            "current_status": "not_identified",
            "proposed_status": "identified",
        }
    ]
    data = sim.to_json()
    assert set(data) == {"current", "proposed", "year", "entering", "leaving", "counts", "by_board"}
    assert data["by_board"] == {
        "B1": {"board_name": "Board B1", "current": 0, "proposed": 1, "entering": 1, "leaving": 0}
    }


def test_a_policy_change_does_not_touch_the_policy_it_came_from():
    policy = ofip()
    assert replace(policy, threshold=60.0) == policy.with_threshold(60)
    assert policy.threshold == 50.0
