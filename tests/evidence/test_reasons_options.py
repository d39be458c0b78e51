"""The pages and the command line explain issue 13's options on every school's reasons.

Aspen (A1) is under 50% on five of six in 2017-18 and 2018-19 (identified), then at 60% or
more in 2019-20 and 2020-21: clear of the exit threshold (55%) twice, so under
capacity-ofip-2026 it leaves in 2020-21 and is sustaining. Alder (A2) is under 50% on three of
six every year (half, under two thirds: never identified), with a flat mean of 48.2%: static.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation
from typer.testing import CliRunner

from capacity.cli import app
from tests.evidence.conftest import results_for

PROPOSAL = "policy=capacity-ofip-2026"
CLEAR = [60, 62, 70, 65, 66, 70]
FLAT = [45, 52, 52, 55, 40, 45]


@pytest.fixture
def options_world(world):
    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
    for year in ("2019-20", "2020-21"):
        results_for(world.school_a1, year, CLEAR)
    for year in ("2017-18", "2018-19", "2019-20", "2020-21"):
        results_for(world.school_a2, year, FLAT)
        results_for(world.school_b1, year, [80, 75, 70, 85, 82, 60])
    return world


def page(client, world, persona: str, path: str, language: str = "en") -> str:
    client.force_login(world.personas[persona])
    response = client.get(path, headers={"accept-language": language})
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_sustaining_school_says_when_it_left_and_what_moved_above(client, options_world) -> None:
    html = page(
        client, options_world, "principal_a1", f"/schools/700001/evidence/?{PROPOSAL}&year=2020-21"
    )
    assert "Sustaining" in html
    assert "the school left identification in 2020-21, clear of the threshold raised to 55%" in html
    assert "It stays sustaining for 1 more year with results." in html
    assert "What moved to or above the threshold between 2018-19 and 2020-21:" in html
    assert "Grade 3 reading: 40% → 60% (above the exit threshold, 55%)" in html
    assert "How this policy decides" in html
    assert "usable results on the 6 assessments are under 50%" in html


def test_a_school_not_yet_clear_twice_stays_identified_and_says_why(client, options_world) -> None:
    html = page(
        client, options_world, "principal_a1", f"/schools/700001/evidence/?{PROPOSAL}&year=2019-20"
    )
    assert "Identified for focused intervention" in html
    assert "stays identified until it has been clear of the threshold raised to 55%" in html
    assert "Clear so far: 2019-20." in html


def test_a_static_school_shows_its_trend(client, options_world) -> None:
    html = page(
        client, options_world, "board_a", f"/schools/700002/evidence/?{PROPOSAL}&year=2019-20"
    )
    assert "Static" in html
    assert "48.2% in 2017-18, 48.2% in 2019-20, under 50%" in html


def test_the_board_page_names_sustaining_and_static_schools(client, options_world) -> None:
    html = page(
        client, options_world, "board_a", f"/boards/B66001/evidence/?{PROPOSAL}&year=2020-21"
    )
    assert "left identification in 2020-21" in html and "Sustaining" in html
    assert "Static" in html and "mean 48.2% in 2018-19, 48.2% in 2020-21" in html
    assert "Insufficient data" not in html


def test_the_province_page_counts_them_and_says_why_schools_left(client, options_world) -> None:
    html = page(client, options_world, "ministry", f"/evidence/?{PROPOSAL}&year=2020-21")
    assert "<dt>Sustaining</dt><dd>1</dd>" in html and "<dt>Static</dt>" in html
    assert "Why 1 school entered or left in 2020-21" in html
    assert "Aspen Public School</strong> (left identification)" in html


def test_the_older_policy_pages_show_no_new_status(client, options_world) -> None:
    html = page(client, options_world, "ministry", "/evidence/?policy=ofip-2016&year=2020-21")
    assert "<dt>Sustaining</dt>" not in html and "<dt>Static</dt>" not in html
    assert "at least 4 of the 6 assessments are under 50%" in html


def test_the_reasons_speak_french(client, options_world) -> None:
    with translation.override("fr"):
        html = page(
            client,
            options_world,
            "principal_a1",
            f"/schools/700001/evidence/?{PROPOSAL}&year=2020-21",
            "fr",
        )
    assert "En maintien" in html
    assert "Comment cette politique décide" in html
    assert "l'école est sortie de la désignation en 2020-21" in html


def test_the_command_line_explains_the_policy_and_lists_sustaining_and_static(
    options_world,
) -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["identify", "--policy", "capacity-ofip-2026", "--year", "2020-21"])
    assert table.exit_code == 0, table.output
    assert "How this policy decides:" in table.stdout
    assert "1 school(s) sustaining: 700001 (left identification in 2020-21" in table.stdout
    assert "sustaining: 1" in table.stdout and "static: 1" in table.stdout
    listed = runner.invoke(
        app,
        ["identify", "--policy", "capacity-ofip-2026", "--year", "2020-21", "--format", "csv"],
    )
    rows = {r["school_number"]: r for r in csv.DictReader(io.StringIO(listed.stdout))}
    assert rows["700001"]["status"] == "sustaining"
    assert rows["700002"]["status"] == "static"
    assert rows["700002"]["reasons"] == "mean 48.2% in 2018-19, 48.2% in 2020-21 (+0 points)"


def test_the_api_scopes_sustaining_and_static_schools_like_the_others(
    client, options_world
) -> None:
    from tests.evidence.test_api import bearer

    path = "/api/identification?policy=capacity-ofip-2026&year=2020-21"
    outside = client.get(path, headers=bearer(options_world.personas["principal_b1"])).json()
    assert outside["sustaining"] == [] and outside["static"] == []
    assert outside["counts"] == {
        "identified": 0,
        "insufficient_data": 0,
        "sustaining": 0,
        "static": 0,
        "scope": "yours",
    }
    ministry = client.get(path, headers=bearer(options_world.personas["ministry"])).json()
    assert [s["school_number"] for s in ministry["sustaining"]] == ["700001"]
    assert [s["school_number"] for s in ministry["static"]] == ["700002"]
    assert ministry["sustaining"][0]["changes"][0]["now_pct"] == 60.0


def test_what_moved_passes_the_disclosure_gate(client, world) -> None:
    """A result of fewer students than the gate's minimum keeps its place in a change but not
    its figure, on the school's reasons and in the province's movement, as reasons do."""
    from capacity.evidence import selectors
    from capacity.evidence.analytics.policy import load_policy

    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
    for year in ("2019-20", "2020-21"):
        results_for(world.school_a1, year, CLEAR, participating=4)
    results_for(world.school_b1, "2020-21", [80, 75, 70, 85, 82, 60])
    policy = load_policy("capacity-ofip-2026")
    status = selectors.province_identification(policy, "2020-21").school("700001")
    assert status is not None and status.status == "sustaining" and status.changes
    assert all(c.now_pct is None and c.before_pct is not None for c in status.changes)
    assert status.trend is None  # its means would mix hidden figures
    over = selectors.province_over_time(policy)
    assert all(c["now_pct"] is None for c in over.changes["2020-21"]["700001"])
