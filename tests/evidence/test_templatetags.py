"""The evidence pages' template filters: policies and their categories in the viewer's language.

A policy reaches a template parsed or as a stored row (its TOML text); both speak the
viewer's language, and a stored text that no longer parses still shows its stored title.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from capacity.evidence.analytics.policy import POLICY_DIR, parse_policy
from capacity.evidence.models import Policy
from capacity.evidence.templatetags import evidence_tags

READING = POLICY_DIR / "reading-2008.toml"


def render(text: str, **context: object) -> str:
    return Template("{% load evidence_tags %}" + text).render(Context(context))


@pytest.fixture
def stored(db) -> Policy:
    definition = READING.read_text(encoding="utf-8")
    return Policy.objects.create(
        name="reading-2008", version=7, title="As stored", definition=definition
    )


@pytest.mark.parametrize(
    ("language", "title", "category"),
    [
        ("en", "Illustration only (not the 2008 criteria)", "Targeted support"),
        ("fr", "Illustration seulement (pas les critères de 2008)", "Soutien ciblé"),
    ],
)
def test_a_stored_policy_and_its_categories_speak_the_viewers_language(
    stored, language, title, category
) -> None:
    with translation.override(language):
        shown = render(
            "{{ p|policy_title }}|{{ p|policy_description }}|{{ 'targeted'|category_title:p }}",
            p=stored,
        )

    shown_title, description, shown_category = shown.split("|")
    assert shown_title.startswith(title) and shown_category == category
    parsed = parse_policy(stored.definition, source="test")
    assert description == parsed.description_in(language).replace("'", "&#x27;")


def test_a_parsed_policy_is_read_the_same_as_its_stored_row(stored) -> None:
    parsed = parse_policy(stored.definition, source="test")

    with translation.override("fr"):
        assert evidence_tags.policy_title(parsed) == evidence_tags.policy_title(stored)


def test_a_stored_text_that_no_longer_parses_shows_its_stored_title(db) -> None:
    broken = Policy.objects.create(
        name="broken", version=1, title="Kept title", definition="[rule\nthreshold = "
    )

    assert evidence_tags.policy_title(broken) == "Kept title"
    assert evidence_tags.policy_description(broken) == ""
    assert evidence_tags.category_title("intensive", broken) == "intensive"
    assert evidence_tags.category_title(None, "not a policy") == ""


def test_an_unknown_category_is_shown_by_its_name(stored) -> None:
    assert evidence_tags.category_title("universal", stored) == "universal"


def test_get_item_and_absolute_leave_what_they_cannot_read() -> None:
    assert render("{{ m|get_item:'G3-READ' }}", m={"G3-READ": 61.5}) == "61.5"
    assert evidence_tags.get_item(["G3-READ"], "G3-READ") is None
    assert evidence_tags.absolute(-4.5) == 4.5 and evidence_tags.absolute("n/a") == "n/a"
