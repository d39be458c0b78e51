"""The board and school evidence pages keep their costly parts (capacity/evidence/parts.py).

A second visit reads the part back instead of drawing it; any change to what the part
shows (a result, a small group, a name, the disclosure rule, the language) shows at the
next request; what depends on the reader (identification decisions, similar schools,
the link to the schools that beat the odds) is read afresh around the parts.
"""

from __future__ import annotations

import collections

import pytest

from capacity import fragments
from capacity.directory.models import Board, School
from capacity.evidence.models import Result
from tests.evidence.conftest import results_for

SCHOOL = "/schools/700001/evidence/?year=2018-19"
BOARD = "/boards/B66001/evidence/?year=2018-19"


@pytest.fixture
def drawn(monkeypatch) -> collections.Counter:
    """How many templates the kept parts drew (each part is one template)."""
    counter: collections.Counter = collections.Counter()
    real = fragments.render_to_string

    def spy(template, *args, **kwargs):
        counter[template] += 1
        return real(template, *args, **kwargs)

    monkeypatch.setattr(fragments, "render_to_string", spy)
    return counter


def _page(client, world, persona: str, path: str) -> str:
    client.force_login(world.personas[persona])
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _main(page: str) -> str:
    """The page's main content (the header around it holds a CSRF token masked afresh)."""
    return page[page.index("<main") :]


def test_a_second_visit_reads_the_parts_back(client, evidence_world, drawn) -> None:
    first = _page(client, evidence_world, "ministry", SCHOOL)
    assert drawn == {"evidence/_school_head.html": 1, "evidence/_school_results.html": 1}
    fragments.forget()  # another worker process: the shared cache has them
    again = _page(client, evidence_world, "ministry", SCHOOL)
    assert _main(again) == _main(first)
    _page(client, evidence_world, "ministry", BOARD)
    _page(client, evidence_world, "ministry", BOARD)
    assert drawn == {
        "evidence/_school_head.html": 1,
        "evidence/_school_results.html": 1,
        "evidence/_board_body.html": 1,
    }


def test_a_changed_result_shows_at_the_next_request(client, evidence_world) -> None:
    assert "Identified for focused intervention" in _page(
        client, evidence_world, "principal_a1", SCHOOL
    )
    # Changed in place (no new row): the data version's sums see it.
    Result.objects.filter(school__number="700001").update(pct_at_standard=64.5)
    page = _page(client, evidence_world, "principal_a1", SCHOOL)
    assert "Identified for focused intervention" not in page
    assert "64.5%" in page
    board = _page(client, evidence_world, "board_a", BOARD)
    assert "No school in this board is identified" in board


def test_a_group_that_becomes_small_is_hidden_at_the_next_request(client, evidence_world) -> None:
    results_for(evidence_world.school_a1, "2018-19", [55.5] * 6, group="female", participating=20)
    results_for(evidence_world.school_a1, "2018-19", [44.5] * 6, group="male", participating=20)
    assert "55.5%" in _page(client, evidence_world, "principal_a1", SCHOOL)
    Result.objects.filter(group="female").update(participating=8)
    page = _page(client, evidence_world, "principal_a1", SCHOOL)
    assert "55.5%" not in page and "44.5%" not in page  # the small group and its complement
    assert "fewer than 10 students" in page


def test_a_renamed_board_or_school_shows_at_the_next_request(client, evidence_world) -> None:
    _page(client, evidence_world, "board_a", BOARD)
    _page(client, evidence_world, "board_a", SCHOOL)
    Board.objects.filter(number="B66001").update(name="Renamed District School Board")
    School.objects.filter(number="700001").update(name="Renamed Public School")
    board = _page(client, evidence_world, "board_a", BOARD)
    assert "Gaps and cohorts of Renamed District School Board" in board  # inside the kept body
    school = _page(client, evidence_world, "board_a", SCHOOL)
    assert "Gaps and cohorts of Renamed Public School" in school


def test_each_language_has_its_own_parts(client, evidence_world) -> None:
    english = _page(client, evidence_world, "principal_a1", SCHOOL)
    client.cookies["django_language"] = "fr"
    french = _page(client, evidence_world, "principal_a1", SCHOOL)
    assert "Results over time" in english and "Results over time" not in french
    assert "Identified for focused intervention" not in french


def test_what_depends_on_the_reader_stays_outside_the_parts(client, evidence_world) -> None:
    """The same kept parts serve a principal and the ministry; only the ministry's page
    compares the school with similar schools."""
    principal = _page(client, evidence_world, "principal_a1", SCHOOL)
    ministry = _page(client, evidence_world, "ministry", SCHOOL)
    assert "Similar schools" not in principal and "Similar schools" in ministry
