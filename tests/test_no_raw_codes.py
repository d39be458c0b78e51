"""No page in French shows an English sentence from the catalogue or a code people do not speak.

Every HTML page the authorisation table lists is opened, in French, as a ministry
officer and as a principal, over a world with results (by student group), a plan
with a target for a group, a support request and audit entries that carry codes.
A page fails when one of its text nodes (or an accessible name: aria-label, title,
alt) is

* an English msgid of the catalogue whose French differs (a string someone forgot
  to mark, or marked but rendered outside the language), at least 12 characters so
  that words shared by both languages ("Total", "Code") do not count; or
* a code from the list of codes that must never reach a page: the values of every
  choice list in Capacity that people would not say ("board_leader",
  "special_education", "sign_in"), the assessment codes ("G3-READ"), and Python
  reprs of lists or dicts ("['", "{'").
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.evidence.labels import StudentGroup
from capacity.evidence.services import STANDARD_ASSESSMENTS, assessments_ensure
from capacity.planning.models import Goal, Plan, SupportRequest, Target
from tests.evidence.conftest import results_for
from tests.test_authorization import TABLE

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
ACCESSIBLE_NAMES = ("aria-label", "title", "alt", "placeholder")
PERSONAS = ("ministry", "principal_a1")
# Pages that are not HTML Capacity renders (files, the API and its third-party docs, the admin).
NOT_PAGES = ("api:", "admin:", "plan_pdf", "plan_export", "result_import_problems", "entry_file")


def untranslated_msgids() -> set[str]:
    """English sentences the catalogue translates differently, without placeholders."""
    found = set()
    for entry in polib.pofile(str(CATALOGUE)):
        text = entry.msgid
        if entry.msgid_plural or not entry.msgstr or entry.msgstr == text or len(text) < 12:
            continue
        if "%" in text or "{" in text or "<" in text:
            continue
        found.add(text)
    return found


def forbidden_codes() -> set[str]:
    """Codes of Capacity's choice lists that are not words, plus the assessment and group codes."""
    codes: set[str] = {code for code, *_rest in STANDARD_ASSESSMENTS}
    codes |= {value for value in StudentGroup.values if "_" in value} | {"ell"}
    codes |= {value for value in Action.values if "_" in value}
    for model in apps.get_models():
        if not model.__module__.startswith("capacity."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and "_" in value:
                    codes.add(value)
    return codes


REPRS = ("['", "{'", '["', '{"', "[<", "<QuerySet")


class _Text(HTMLParser):
    """The text nodes and accessible names of a page, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ACCESSIBLE_NAMES and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def texts_of(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.texts


def problems_in(html: str, msgids: set[str], codes: set[str]) -> list[str]:
    """What a French page shows that it should not: English catalogue sentences, codes, reprs."""
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(codes))) + r")(?![\w-])")
    found = []
    for text in texts_of(html):
        if text in msgids:
            found.append(f"English: {text!r}")
        match = pattern.search(text)
        if match:
            found.append(f"code {match.group(1)!r} in {text[:120]!r}")
        if any(r in text for r in REPRS):
            found.append(f"a Python repr in {text[:120]!r}")
    return found


@pytest.fixture
def lived_in_world(world):
    """The authorisation world with what pages show codes from: results, groups, a plan, audit."""
    assessments_ensure()
    for year in ("2016-17", "2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
        results_for(world.school_b1, year, [80, 75, 70, 85, 82, 60])
        results_for(world.school_a1, year, [35, 38, 28, 40, 44, 62], group="ell", participating=20)
        results_for(world.school_a1, year, [20, 22, 18, 25, 28, 40], group="special_education")
    plan = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2018-19"
    )
    goal = Goal.objects.create(plan=plan, statement="Readers", focus="group", group="ell")
    Target.objects.create(
        goal=goal,
        assessment_id=assessments_ensure()["G3-READ"],
        group="ell",
        target_value=60,
        target_year="2019-20",
    )
    SupportRequest.objects.create(
        board=world.board_a,
        school=world.school_a1,
        tried="Reading groups",
        needs=["people"],
        requested_by=world.personas["principal_a1"],
    )
    audit_record(
        action=Action.MEMBERSHIP_GRANTED,
        actor_label="capacity",
        target="principal_a1",
        detail={"role": "board_leader", "organisation": "Aspen", "staff": False},
    )
    audit_record(
        action=Action.TIMELINE_SET,
        actor_label="capacity",
        target="2018-19",
        detail={
            "kind": "school",
            "dates": {"submit_by": datetime.date(2018, 10, 31).isoformat()},
            "files": ["a.csv", "b.csv"],
        },
    )
    return world


def html_pages(world, persona: str) -> list[tuple[str, str]]:
    pages = []
    for name, label, build, statuses in TABLE:
        if statuses.get(persona) != 200 or name.startswith(NOT_PAGES):
            continue
        pages.append((label, build(world)))
    return pages


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_french_page_shows_english_from_the_catalogue_or_a_raw_code(
    client, lived_in_world, persona
) -> None:
    client.force_login(lived_in_world.personas[persona])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    msgids, codes = untranslated_msgids(), forbidden_codes()
    failures = []
    pages = html_pages(lived_in_world, persona)
    assert len(pages) > 10
    for label, path in pages:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, path
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert 'lang="fr"' in html, f"{path} is not in French"
        failures += [f"{label} ({path}): {p}" for p in problems_in(html, msgids, codes)]
    assert not failures, "\n".join(failures)


def test_the_check_finds_a_raw_code_an_english_sentence_and_a_list_repr() -> None:
    """The page check can fail: each kind of leak on a made-up page is reported."""
    msgids, codes = untranslated_msgids(), forbidden_codes()
    english = next(iter(sorted(msgids)))
    page = (
        f"<main><p>Rôle : board_leader</p><td>G3-READ</td><p>{english}</p>"
        "<p>['people', 'time']</p><span aria-label='special_education'></span></main>"
    )
    found = problems_in(page, msgids, codes)
    assert any("'board_leader'" in p for p in found)
    assert any("'G3-READ'" in p for p in found)
    assert any(p.startswith("English:") for p in found)
    assert any("repr" in p for p in found)
    assert any("'special_education'" in p for p in found)
    # A code inside a link or a form value is not shown, and a word that contains one is not it.
    quiet = '<a href="/x?group=special_education">Élèves</a><p>elle, Grade-3-READING</p>'
    assert problems_in(quiet, msgids, codes) == []


@pytest.mark.parametrize("model", [Plan, Goal, Target])
def test_the_code_list_covers_planning_choices(model: type[models.Model]) -> None:
    codes = forbidden_codes()
    for field in model._meta.get_fields():
        for value, _label in getattr(field, "flatchoices", None) or []:
            if isinstance(value, str) and "_" in value:
                assert value in codes
