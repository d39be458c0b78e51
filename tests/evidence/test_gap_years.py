"""Years after a gap: Ontario gave no tests in 2019-20 and 2020-21.

The three-year change compares with the nearest year that has results and says which;
the province page says which year each year's entries and exits are compared with.
"""

from __future__ import annotations

import pytest

from capacity.evidence.analytics import engines, trends
from tests.evidence import ontario_tables
from tests.evidence.conftest import results_for


def get(client, world, persona, path):
    client.force_login(world.personas[persona])
    return client.get(path)


@pytest.mark.parametrize(
    ("latest", "available", "expected"),
    [
        ("2018-19", ["2015-16", "2016-17", "2017-18", "2018-19"], "2015-16"),
        ("2021-22", ["2017-18", "2018-19", "2021-22"], "2018-19"),
        ("2022-23", ["2018-19", "2021-22", "2022-23"], "2018-19"),  # 2019-20 had none
        ("2023-24", ["2017-18", "2018-19", "2021-22", "2023-24"], "2021-22"),  # 2020-21 had none
        ("2023-24", ["2023-24"], None),
    ],
)
def test_the_base_year_is_three_years_back_or_the_nearest_year_with_results(
    latest, available, expected
) -> None:
    assert trends.base_year_for(latest, available) == expected


def test_the_change_to_2023_24_on_ontarios_tables_is_measured_from_2021_22() -> None:
    con = engines.connect("duckdb")
    results = engines.load_table(con, "results", ontario_tables.canonical())
    base = trends.base_year_for("2023-24", list(ontario_tables.FILES))
    assert base == "2021-22"
    frame = trends.school_trends(results, latest="2023-24", base=base).to_pandas()
    assert set(frame["base_year"]) == {"2021-22"} and set(frame["latest_year"]) == {"2023-24"}
    # The change, recomputed with pandas from the two published tables.
    then, now = ontario_tables.by_hand("2021-22"), ontario_tables.by_hand("2023-24")
    expected = (now - then.reindex(now.index)).stack().dropna()
    got = frame.dropna(subset=["change"]).set_index(["school_number", "assessment"])["change"]
    got = got[got.index.get_level_values(1).isin(list(ontario_tables.HEADS))]
    assert len(got) == len(expected) > 10_000
    assert (got.sort_index() - expected.sort_index()).abs().max() < 1e-9
    # Without a base, the calendar's three years back (2020-21) has nothing to compare with.
    plain = trends.school_trends(results, latest="2023-24").to_pandas()
    assert plain["change"].notna().sum() == 0


def test_the_board_page_names_the_year_its_change_is_measured_from(client, world) -> None:
    for year in ("2018-19", "2021-22", "2023-24"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
    response = get(client, world, "board_a", "/boards/B66001/evidence/?year=2023-24")
    assert response.status_code == 200
    content = response.content.decode()
    assert "from 2021-22 to 2023-24" in content
    assert "2020-21 has no results, so the change is measured from 2021-22" in content
    assert "Change by school and assessment, 2021-22 to 2023-24" in content
    rows = response.context["trend_rows"]
    assert [r["school_number"] for r in rows] == [world.school_a1.number]
    assert rows[0]["cells"] == [0.0] * 6

    # With the year three back present, no note.
    response = get(client, world, "board_a", "/boards/B66001/evidence/?year=2021-22")
    content = response.content.decode()
    assert "from 2018-19 to 2021-22" in content and "has no results, so" not in content


def test_the_province_page_says_which_year_a_year_after_the_gap_is_compared_with(
    client, world
) -> None:
    for year in ("2017-18", "2018-19", "2021-22"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
        results_for(world.school_b1, year, [80, 75, 70, 85, 82, 60])
    response = get(client, world, "ministry", "/evidence/?year=2021-22")
    content = response.content.decode()
    assert "(no results in 2019-20, 2020-21)" in content
    assert (
        "2021-22 is compared with 2018-19, the nearest earlier year with results: "
        "there were none in 2019-20, 2020-21." in content
    )
    movement = {m.year: m for m in response.context["movement"]}
    # A1 was identified in 2018-19 and, the rule never bridging 2020-21, has insufficient data.
    assert (movement["2021-22"].before, movement["2021-22"].exits_to_insufficient) == (1, 1)
    assert movement["2021-22"].identified == 0 and movement["2021-22"].reconciles
