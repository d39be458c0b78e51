"""Every evidence table states its school year; "schools evaluated" says why it is fewer than
all elementary schools; a colour that marks a status always comes with the status in words."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from capacity.planning.models import Kind, Plan
from tests.evidence.conftest import results_for
from tests.factories import SchoolFactory

YEAR = re.compile(r"\b\d{4}-\d{2}\b")


class Captions(HTMLParser):
    """The text of every table's caption, and of every element whose class marks a status."""

    def __init__(self) -> None:
        super().__init__()
        self.tables = 0
        self.captions: list[str] = []
        self.statuses: list[str] = []
        self._caption: list[str] | None = None
        self._status: list[str] | None = None
        self._status_tag = ""

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self._caption = []
        if any(c.startswith("status-") for c in classes) and self._status is None:
            self._status, self._status_tag = [], tag

    def handle_data(self, data):
        for part in (self._caption, self._status):
            if part is not None:
                part.append(data)

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.captions.append(" ".join("".join(self._caption).split()))
            self._caption = None
        if tag == self._status_tag and self._status is not None:
            self.statuses.append(" ".join("".join(self._status).split()))
            self._status = None


def parse(response) -> Captions:
    assert response.status_code == 200
    parsed = Captions()
    parsed.feed(response.content.decode())
    return parsed


@pytest.fixture
def evidence(evidence_world):
    """Results with student groups and a similar school, so that every table is drawn."""
    world = evidence_world
    results_for(world.school_a1, "2018-19", [30, 32, 20, 35, 38, 60], group="ell")
    results_for(world.school_a2, "2018-19", [60, 62, 64, 66, 68, 90])
    return world


PAGES = [
    ("ministry", "/evidence/?year=2018-19"),
    ("board_a", "/boards/B66001/evidence/?year=2018-19"),
    ("principal_a1", "/schools/{a1}/evidence/?year=2018-19"),
    ("ministry", "/schools/{a1}/evidence/?year=2018-19"),
    (
        "ministry",
        "/evidence/simulate/?year=2018-19&current=ofip-2016&proposed=ofip-2016&threshold=81",
    ),
]


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_every_evidence_table_caption_names_its_school_year(client, evidence, persona, path):
    client.force_login(evidence.personas[persona])
    parsed = parse(client.get(path.format(a1=evidence.school_a1.number)))
    assert parsed.tables > 0
    assert len(parsed.captions) == parsed.tables  # every table has a caption
    for caption in parsed.captions:
        assert YEAR.search(caption), f"no school year in the caption {caption!r} of {path}"


def test_the_school_status_colour_comes_with_the_status_in_words(client, evidence) -> None:
    words = ("Identified", "Insufficient data", "Not identified")
    client.force_login(evidence.personas["ministry"])
    for school in (evidence.school_a1, evidence.school_b1):
        parsed = parse(client.get(f"/schools/{school.number}/evidence/?year=2018-19"))
        assert parsed.statuses
        for text in parsed.statuses:
            assert text.startswith(words), text


def test_schools_evaluated_says_why_it_is_fewer_than_all_elementary_schools(
    client, evidence
) -> None:
    for number in ("700098", "700099"):  # in the directory, but no Grade 3 or 6 results
        SchoolFactory(board=evidence.board_a, number=number, level="elementary")
    client.force_login(evidence.personas["ministry"])
    response = client.get("/evidence/?year=2018-19")
    content = response.content.decode()
    evaluated = response.context["counts"]["schools"]
    elementary = response.context["elementary_schools"]
    assert evaluated < elementary
    assert (
        f"Schools evaluated: the {evaluated} schools with at least one result this policy reads "
        "in school years 2017-18 to 2018-19." in content
    )
    assert f"The directory lists {elementary} elementary schools." in content
    assert "it teaches neither Grade 3 nor Grade 6" in content
    assert 'aria-describedby="evaluated-note"' in content


def test_the_reciprocity_table_names_its_one_school_year(client, world) -> None:
    Plan.objects.create(
        kind=Kind.SCHOOL,
        school=world.school_a1,
        board=world.board_a,
        school_year="2018-19",
        focused_intervention=True,
    )
    client.force_login(world.personas["ministry"])
    parsed = parse(client.get("/plans/?year=2018-19"))
    reciprocity = [c for c in parsed.captions if "support requests asked for that year" in c]
    assert reciprocity and reciprocity[0].startswith("School year 2018-19 (September to August)")
