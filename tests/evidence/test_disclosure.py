"""The disclosure gate: small groups, their complements, totals that would pin them, and every level above.

The property test plays an attacker who knows every count (the worst case) and
everything a board leader may read: each school's shown figures and the board's
rolled-up figures with their student totals. For every hidden school figure it
solves the linear programme "lowest and highest value consistent with what is
shown" and requires that range to be wider than twice the rule's margin, so the
figure cannot be worked out to within 5 percentage points.
"""

from __future__ import annotations

import ibis
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from capacity.evidence import privacy
from capacity.evidence.analytics import trends
from capacity.evidence.analytics.suppression import gate_results
from capacity.evidence.models import Result
from capacity.evidence.selectors import board_rollup, similar_schools_for
from capacity.evidence.services import assessments_ensure
from tests.evidence.conftest import results_for
from tests.factories import SchoolContextFactory, SchoolFactory

MARGIN = 5.0


def cell(
    school: str,
    group: str,
    n: int | None,
    pct: float | None,
    *,
    year: str = "2018-19",
    assessment: str = "G3-READ",
) -> dict:
    return {
        "school_number": school,
        "school_year": year,
        "assessment": assessment,
        "group": group,
        "participating": n,
        "pct_at_standard": pct,
        "status": "",
    }


def gated(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["school_number"], r["group"]): r for r in privacy.suppress(rows)}


# --- one school ------------------------------------------------------------------------


def test_it_hides_a_group_under_ten_and_its_complement(db) -> None:
    out = gated(
        [
            cell("1", "all", 40, 50.0),
            cell("1", "female", 6, 40.0),
            cell("1", "male", 34, 51.8),
            cell("1", "ell", 12, 30.0),
        ]
    )
    assert (out["1", "female"]["suppression_reason"], out["1", "male"]["suppression_reason"]) == (
        "small",
        "complementary",
    )
    assert (
        out["1", "female"]["pct_at_standard"] is None
        and out["1", "male"]["pct_at_standard"] is None
    )
    assert out["1", "all"]["pct_at_standard"] == 50.0 and out["1", "ell"]["pct_at_standard"] == 30.0


def test_it_hides_the_total_when_it_would_pin_the_hidden_groups(db) -> None:
    """15 students at 97%: girls (6) and boys (9) are both hidden, yet the total puts girls in [92.5, 100]."""
    out = gated(
        [cell("1", "all", 15, 97.0), cell("1", "female", 6, 100.0), cell("1", "male", 9, 95.0)]
    )
    assert (
        out["1", "all"]["suppressed"] and out["1", "all"]["suppression_reason"] == "complementary"
    )
    out = gated(
        [cell("1", "all", 15, 60.0), cell("1", "female", 6, 50.0), cell("1", "male", 9, 66.7)]
    )
    assert not out["1", "all"]["suppressed"]


def test_it_keeps_a_figure_whose_count_is_unknown(db) -> None:
    """Ontario's tables carry no counts: the publisher already hid what it had to."""
    out = gated([cell("1", "all", None, 73.0), cell("1", "female", None, 75.0)])
    assert (
        out["1", "all"]["pct_at_standard"] == 73.0 and out["1", "female"]["pct_at_standard"] == 75.0
    )


def test_the_rule_is_read_from_policy_data(db, settings, tmp_path) -> None:
    rows = [cell("1", "all", 40, 50.0), cell("1", "ell", 12, 30.0)]
    assert not gated(rows)["1", "ell"]["suppressed"]
    rule = tmp_path / "rule.toml"
    rule.write_text(
        'version = 2\nminimum_group = 15\nmargin_points = 5.0\ntotal_group = "all"\n'
        'partitions = [["female", "male"]]\n',
        encoding="utf-8",
    )
    settings.CAPACITY_DISCLOSURE_RULE = str(rule)
    assert privacy.rule().minimum_group == 15
    assert gated(rows)["1", "ell"]["suppression_reason"] == "small"


def test_a_rule_file_without_its_fields_is_refused(tmp_path) -> None:
    with pytest.raises(privacy.DisclosureRuleError, match="minimum_group"):
        privacy.parse_rule("version = 1\n", source="rule.toml")
    with pytest.raises(privacy.DisclosureRuleError, match="partition"):
        privacy.parse_rule(
            'version = 1\nminimum_group = 10\nmargin_points = 5\ntotal_group = "all"\n'
            'partitions = [["all", "male"]]\n',
            source="rule.toml",
        )


def test_the_shipped_rule_is_ten_students_and_five_points() -> None:
    shipped = privacy.parse_rule(
        privacy.DEFAULT_RULE_FILE.read_text(encoding="utf-8"), source="shipped"
    )
    assert (shipped.minimum_group, shipped.margin_points, shipped.partitions) == (
        10,
        5.0,
        (("female", "male"),),
    )


# --- across levels: the attacker's linear programme ------------------------------------------


def board_view(rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a board leader reads: the gated school rows and the board's rollup of every group."""
    con = ibis.duckdb.connect()
    table = ibis.memtable(pd.DataFrame(rows).astype({"participating": "Int64"}))
    table = table.mutate(
        board_number=ibis.literal("B1"),
        board_name=ibis.literal("Board"),
        school_name=table.school_number,
    )
    shown = gate_results(table, margin=MARGIN)
    schools = con.execute(shown)
    rolled = con.execute(trends.rollup(shown.drop("suppressed", "suppression_reason"), group=None))
    return schools, rolled


def hidden_ranges(
    rows: list[dict], schools: pd.DataFrame, rolled: pd.DataFrame
) -> dict[tuple[str, str], float]:
    """For each hidden figure, the width of the values consistent with everything shown (counts known)."""
    truth = {(r["school_number"], r["group"]): r for r in rows}
    hidden = [
        (s, g)
        for s, g, h in zip(schools.school_number, schools.group, schools.suppressed, strict=True)
        if h
    ]
    index = {key: i for i, key in enumerate(hidden)}
    shown = {
        (s, g): p
        for s, g, p, h in zip(
            schools.school_number,
            schools.group,
            schools.pct_at_standard,
            schools.suppressed,
            strict=True,
        )
        if not h
    }
    equations: list[tuple[dict[int, float], float]] = []
    # A school: all-students total = its girls and boys (the counts add up in the generated data).
    for school in {s for s, _ in truth}:
        members = [(school, g) for g in ("female", "male")]
        if (school, "all") in shown and all(m in truth for m in members):
            coefficients, rhs = {}, truth[school, "all"]["participating"] * shown[school, "all"]
            for m in members:
                n = truth[m]["participating"]
                if m in index:
                    coefficients[index[m]] = n
                else:
                    rhs -= n * shown[m]
            if coefficients:
                equations.append((coefficients, rhs))
    # The board, per group: its students say which schools' figures it holds (shown ones, or every one).
    for row in rolled.itertuples():
        cells = [(s, row.group) for s in sorted({s for s, _ in truth}) if (s, row.group) in truth]
        shown_students = sum(truth[c]["participating"] for c in cells if c in shown)
        members = [c for c in cells if c in shown] if row.students == shown_students else cells
        coefficients, rhs = {}, row.students * row.pct_at_standard
        for c in members:
            if c in index:
                coefficients[index[c]] = truth[c]["participating"]
            else:
                rhs -= truth[c]["participating"] * shown[c]
        if coefficients:
            equations.append((coefficients, rhs))
    widths = {}
    for key, i in index.items():
        if not any(i in coefficients for coefficients, _ in equations):
            widths[key] = 100.0
            continue
        a_eq = [
            [coefficients.get(j, 0.0) for j in range(len(hidden))] for coefficients, _ in equations
        ]
        b_eq = [rhs for _, rhs in equations]
        bounds = [(0.0, 100.0)] * len(hidden)
        objective = [0.0] * len(hidden)
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        objective[i] = -1.0
        high = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert low.status == 0 and high.status == 0, "the published figures must be consistent"
        widths[key] = -high.fun - low.fun
    return widths


@st.composite
def boards(draw) -> list[dict]:
    """A board of 2 to 6 schools; each has girls and boys (1 to 40 students each) and its total."""
    rows = []
    for number in range(draw(st.integers(2, 6))):
        school = f"70000{number}"
        girls, boys = draw(st.integers(1, 40)), draw(st.integers(1, 40))
        met_girls, met_boys = draw(st.integers(0, girls)), draw(st.integers(0, boys))
        total = girls + boys
        rows.append(cell(school, "female", girls, round(100 * met_girls / girls, 6)))
        rows.append(cell(school, "male", boys, round(100 * met_boys / boys, 6)))
        rows.append(cell(school, "all", total, round(100 * (met_girls + met_boys) / total, 6)))
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boards())
@pytest.mark.slow
def test_no_hidden_figure_can_be_worked_out_within_five_points(rows) -> None:
    schools, rolled = board_view(rows)
    widths = hidden_ranges(rows, schools, rolled)
    pinned = {key: round(width, 2) for key, width in widths.items() if width <= 2 * MARGIN + 1e-6}
    assert not pinned, f"hidden figures pinned to within {MARGIN} points: {pinned}"


def test_the_attacker_finds_a_figure_that_a_rollup_of_every_school_gives_away() -> None:
    """The property can fail: a board figure over hidden schools gives one away exactly (today's bug)."""
    rows = [
        cell("700001", "all", 6, 83.3),
        cell("700002", "all", 40, 50.0),
        cell("700003", "all", 30, 60.0),
    ]
    con = ibis.duckdb.connect()
    table = ibis.memtable(pd.DataFrame(rows).astype({"participating": "Int64"})).mutate(
        board_number=ibis.literal("B1"),
        board_name=ibis.literal("Board"),
        school_name=ibis.literal("x"),
    )
    schools = con.execute(gate_results(table))
    leaky = con.execute(
        trends.rollup(table, group=None)
    )  # rolled up from every school, hidden or not
    assert hidden_ranges(rows, schools, leaky)[("700001", "all")] < 0.01
    assert hidden_ranges(rows, *board_view(rows))[("700001", "all")] == 100.0


# --- the pages' readers --------------------------------------------------------------------


def test_a_boards_figure_leaves_out_a_hidden_school(world) -> None:
    results_for(world.school_a1, "2018-19", [83.3] * 6, participating=6)
    results_for(world.school_a2, "2018-19", [50.0] * 6, participating=40)
    rows = [r for r in board_rollup(board=world.board_a) if r["assessment"] == "G3-READ"]
    assert [(r["pct_at_standard"], r["schools"], r["students"]) for r in rows] == [(50.0, 1, 40)]


def test_similar_schools_show_no_figure_of_a_small_school(world) -> None:
    assessments_ensure()
    for school in (world.school_a1, world.school_a2, world.school_b1):
        SchoolContextFactory(school=school, school_year="2018-19")
    small = SchoolFactory(board=world.board_a, number="700010", name="Tiny Public School")
    SchoolContextFactory(school=small, school_year="2018-19")
    results_for(small, "2018-19", [83.3] * 6, participating=6)
    results_for(world.school_b1, "2018-19", [61.0] * 6, participating=40)
    similar = {
        s["school_number"]: s["results"]
        for s in similar_schools_for(school=world.school_a1, year="2018-19", within="*")
    }
    assert similar["700010"] and set(similar["700010"].values()) == {None}
    assert set(similar["700003"].values()) == {61.0}
    assert Result.objects.filter(school=small).count() == 6


def test_identification_keeps_its_decision_and_hides_a_small_schools_figures(client, world) -> None:
    from capacity.evidence.selectors import get_policy, province_identification

    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [37.7, 37.7, 37.7, 37.7, 37.7, 37.7], participating=8)
        results_for(world.school_b1, year, [41.3, 41.3, 41.3, 41.3, 41.3, 41.3], participating=40)
    found = province_identification(get_policy(), "2018-19")
    small, large = found.school("700001"), found.school("700003")
    assert small.status == large.status == "identified"
    assert small.reasons and {r.pct_at_standard for r in small.reasons} == {None}
    assert {r.pct_at_standard for r in large.reasons} == {41.3}
    client.force_login(world.personas["ministry"])
    for url in (
        "/evidence/?year=2018-19",
        "/boards/B66001/evidence/?year=2018-19",
        "/schools/700001/evidence/?year=2018-19",
        "/api/identification?year=2018-19",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "37.7" not in answer.content.decode() and "37,7" not in answer.content.decode(), url
    assert "41.3" in client.get("/evidence/?year=2018-19").content.decode()


@pytest.mark.django_db(transaction=True)
def test_capacity_identify_from_the_database_hides_a_small_schools_figures(world) -> None:
    from typer.testing import CliRunner

    from capacity.cli import app

    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [37.7] * 6, participating=8)
    for output in ("json", "csv", "table"):
        result = CliRunner().invoke(app, ["identify", "--year", "2018-19", "--format", output])
        assert result.exit_code == 0, result.output
        assert "700001" in result.stdout and "37.7" not in result.stdout, output
