"""Computing ahead: after `warm_analyses` (the worker runs it after an import) no evidence page's
first visit runs an analysis, and similar schools found in memory are those the query finds.

The spy wraps the analytics functions the evidence pages call (it counts, then calls the real
function): a first visit that computed anything would show in the counts.
"""

from __future__ import annotations

import collections

import pytest
from django.test import override_settings

from capacity import fragments
from capacity.directory.demo import DemoOptions, build_demo
from capacity.directory.models import Board, School, User
from capacity.evidence import charts as evidence_charts
from capacity.evidence import privacy, selectors
from capacity.evidence.analytics import context_model, engines, identification, neighbours, trends
from capacity.evidence.analytics import gaps as gaps_module
from capacity.evidence.demo import build_demo_results
from capacity.evidence.signals import results_changed
from capacity.evidence.warming import warm_analyses
from tests.evidence.analytics_data import load, random_dataset

YEAR = "2018-19"

SPIED = [
    (identification, "identify"),
    (identification, "identification_over_time"),
    (trends, "rollup"),
    (trends, "school_trends"),
    (gaps_module, "equity_gaps"),
    (context_model, "fit_context_model"),
    (context_model, "beat_the_odds"),
    (neighbours, "standardized"),
    (neighbours, "similar_schools"),
    (neighbours, "nearest"),
    (neighbours, "nearest_all"),
    (evidence_charts, "identified_per_year"),
    (evidence_charts, "board_rollup_chart"),
    (evidence_charts, "school_results_chart"),
    (privacy, "suppress"),
    (fragments, "render_to_string"),  # a page part rendered (the province page's body)
]


@pytest.fixture
def calls(monkeypatch) -> collections.Counter:
    counter: collections.Counter = collections.Counter()
    for module, name in SPIED:
        real = getattr(module, name)

        def spy(*args, real=real, name=name, **kwargs):
            counter[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return counter


@pytest.fixture
def province(db):
    """A small demo province: 4 boards, 60 schools, 3 years of results, a ministry officer."""
    build_demo(DemoOptions(seed=11, boards=4, schools=60, years=3))
    build_demo_results(seed=11, years=3)
    return User.objects.get(username="ministry")


def _pages(school: School, board: Board) -> list[str]:
    return [
        "/evidence/",
        f"/boards/{board.number}/evidence/",
        f"/schools/{school.number}/evidence/",
    ]


@pytest.mark.slow
def test_after_warming_the_first_visits_compute_nothing(client, province, calls):
    client.force_login(province)
    # A school with results (a 7-8 school has no Grade 3 or 6 tests, hence no chart to draw).
    school = (
        School.objects.filter(level=School.Level.ELEMENTARY, results__isnull=False)
        .distinct()
        .order_by("number")
        .first()
    )
    board = school.board

    with override_settings(CAPACITY_WARM_SCHOOL_CHARTS=True):
        warmed = warm_analyses()
    assert calls["identify"] and calls["rollup"] and calls["board_rollup_chart"]  # it did the work
    with_results = School.objects.filter(results__isnull=False).distinct().count()
    assert warmed.schools == with_results > 0
    assert calls["school_results_chart"] == 2 * warmed.schools  # English and French
    # In English and French: the province page, each board's and each school's two parts.
    assert calls["render_to_string"] == 2 * (1 + warmed.boards + 2 * School.objects.count())
    calls.clear()
    fragments.forget()  # as a web process, which did not render them: the shared cache has them

    for language in ("en", "fr"):
        client.cookies["django_language"] = language
        for url in _pages(school, board):
            assert client.get(url).status_code == 200, url
    assert not +calls  # nothing at all was computed


@pytest.mark.slow
def test_without_the_school_charts_a_school_draws_its_own_on_its_first_visit(
    client, province, calls
):
    client.force_login(province)
    school = (
        School.objects.filter(level=School.Level.ELEMENTARY, results__isnull=False)
        .distinct()
        .order_by("number")
        .first()
    )
    with override_settings(CAPACITY_WARM_SCHOOL_CHARTS=False):
        assert warm_analyses().schools == 0
    calls.clear()
    for url in _pages(school, school.board):
        assert client.get(url).status_code == 200, url
    # The chart, and the school page's two parts that hold it (the province's and the board's
    # pages were rendered ahead).
    assert +calls == collections.Counter({"school_results_chart": 1, "render_to_string": 2})


@pytest.mark.slow
def test_without_warming_the_first_visit_computes(client, province, calls):
    """The same visits on a cold cache do compute: the spy above can see work."""
    client.force_login(province)
    school = School.objects.filter(level=School.Level.ELEMENTARY).order_by("number").first()
    for url in _pages(school, school.board):
        assert client.get(url).status_code == 200
    assert calls["identify"] >= 1 and calls["rollup"] >= 1 and calls["standardized"] >= 1


@pytest.mark.slow
def test_an_import_queues_the_warming_when_it_commits(
    province, calls, django_capture_on_commit_callbacks
):
    """`results_changed` queues the task for after the commit; the tests' backend runs it at once.

    (Planning's own receiver identifies schools at once, so the spy watches `standardized`,
    which only the warming computes.)"""
    with override_settings(CAPACITY_WARM_AFTER_IMPORT=True):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            results_changed.send(sender=None, years={"2018-19"})
            assert calls["standardized"] == 0  # not before the commit
        # The warming's own callback; the identification proposal an import makes (issue 13)
        # tells ministry officers after the commit too.
        assert len([c for c in callbacks if "warm" in repr(c)]) == 1
    assert calls["standardized"] >= 1 and calls["board_rollup_chart"] >= 1

    calls.clear()
    with (
        override_settings(CAPACITY_WARM_AFTER_IMPORT=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        results_changed.send(sender=None, years={"2018-19"})
    assert not [c for c in callbacks if "warm" in repr(c)] and not calls["standardized"]


def test_a_province_without_results_warms_nothing(db):
    warmed = warm_analyses()
    assert (warmed.year, warmed.boards) == (None, 0)


# --- similar schools in memory --------------------------------------------------------------


@pytest.fixture(scope="module")
def context_frame():
    return random_dataset()[1]


@pytest.mark.parametrize("backend", ["duckdb", "sqlite"])
@pytest.mark.parametrize("same_level", [True, False])
def test_nearest_in_memory_finds_what_the_query_finds(context_frame, backend, same_level):
    con = engines.connect(backend)
    context = load(con, context_frame, "context")
    scaled = neighbours.standardized(context, year=YEAR).to_pandas()
    numbers = sorted(context_frame[context_frame.school_year == YEAR].school_number.unique())
    assert len(numbers) > 100
    for number in numbers[::12]:
        query = neighbours.similar_schools(
            context, school_number=number, year=YEAR, k=8, same_level=same_level
        ).to_pandas()
        memory = neighbours.nearest(scaled, school_number=number, k=8, same_level=same_level)
        assert list(memory.columns) == list(query.columns)
        assert list(memory.school_number) == list(query.school_number), number
        assert list(memory["rank"]) == list(query["rank"])
        assert list(memory.distance) == pytest.approx(list(query.distance), rel=1e-12)


def test_nearest_for_a_school_without_complete_context_is_empty(context_frame):
    context = load(engines.connect("duckdb"), context_frame, "context")
    scaled = neighbours.standardized(context, year=YEAR).to_pandas()
    found = neighbours.nearest(scaled, school_number="no-such-school", k=5)
    assert found.empty
    assert "distance" in found.columns
    with pytest.raises(ValueError, match="k must be at least 1"):
        neighbours.nearest(scaled, school_number="x", k=0)


@pytest.mark.parametrize("same_level", [True, False])
def test_nearest_for_every_school_at_once_is_nearest_for_each(context_frame, same_level):
    """neighbours.nearest_all, which the worker runs once for the province, gives each school
    exactly what neighbours.nearest gives it: the same schools, order, ranks and distances."""
    context = load(engines.connect("duckdb"), context_frame, "context")
    scaled = neighbours.standardized(context, year=YEAR).to_pandas()
    found = neighbours.nearest_all(scaled, k=8, same_level=same_level)
    assert set(found) == set(scaled.school_number)
    for number in sorted(found)[::4]:
        one = neighbours.nearest(scaled, school_number=number, k=8, same_level=same_level)
        assert found[number] == one.to_dict("records"), number
    # Fewer schools than k: every other school of the level, still nearest first.
    few = scaled.sort_values("school_number").head(5)
    for number, rows in neighbours.nearest_all(few, k=8, same_level=False).items():
        assert len(rows) == 4
        assert rows == neighbours.nearest(few, school_number=number, k=8, same_level=False).to_dict(
            "records"
        )
    with pytest.raises(ValueError, match="k must be at least 1"):
        neighbours.nearest_all(scaled, k=0)


def test_ties_in_distance_go_to_the_lower_school_number():
    import pandas as pd

    scaled = pd.DataFrame(
        {
            "school_number": ["000009", "000005", "000001", "000007"],
            "board_number": ["B1"] * 4,
            "level": ["elementary"] * 4,
            "language": ["en"] * 4,
            "enrolment": [100] * 4,
            "pct_low_income": [10.0, 12.0, 8.0, 12.0],
            "_z0": [0.0, 1.0, -1.0, 1.0],
            "_size": [0.0] * 4,
        }
    )
    found = neighbours.nearest_all(scaled, k=3)
    # From 000009, three schools are 1.0 away: 000001, 000005 and 000007 in number order.
    assert [r["school_number"] for r in found["000009"]] == ["000001", "000005", "000007"]
    assert [r["distance"] for r in found["000009"]] == [1.0, 1.0, 1.0]
    assert [r["school_number"] for r in found["000005"]] == ["000007", "000009", "000001"]
    assert found == {
        number: neighbours.nearest(scaled, school_number=number, k=3).to_dict("records")
        for number in scaled.school_number
    }


@pytest.mark.slow
def test_the_school_page_lists_the_schools_the_query_finds(province):
    """selectors.similar_schools_for (standardized context, cached, then in memory) agrees with
    neighbours.similar_schools run on the app's database, province-wide and within a board."""
    from capacity.evidence.data import app_tables

    year = selectors.result_years()[-1]
    context_year = selectors.context_year_for(year)
    context = app_tables().context
    schools = list(School.objects.order_by("number"))[::7]
    for school in schools:
        for within in ("*", school.board.number):
            shown = selectors.similar_schools_for(school=school, year=year, within=within)
            pool = context if within == "*" else context.filter(context.board_number == within)
            try:
                expected = neighbours.similar_schools(
                    pool, school_number=school.number, year=context_year, k=8
                ).to_pandas()
            except ValueError:
                expected = None
            numbers = [] if expected is None else list(expected.school_number)
            assert [row["school_number"] for row in shown] == numbers, (school.number, within)
