"""Helpers for the home page tests: read a person's home page as text, and a plan at each step."""

from __future__ import annotations

import html
import re

import pytest

from capacity.planning import services
from tests.evidence.conftest import evidence_world  # noqa: F401  (A1 identified, for these tests)


def home_text(client, user, language: str = "en") -> str:
    """The person's home page, as the words a reader sees (tags dropped, entities read)."""
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def section_text(client, user, heading_id: str, language: str = "en") -> str:
    """The text of one home page section (by its heading id), empty when the page has none."""
    client.force_login(user)
    client.cookies["django_language"] = language
    body = client.get("/").content.decode()
    found = re.search(
        rf'<section class="home-section" aria-labelledby="{heading_id}">(.*?)</section>', body, re.S
    )
    if found is None:
        return ""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


@pytest.fixture
def submitted_plan(world):
    """A1's plan for 2018-19 with one goal, submitted by its principal."""
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement="Every student writes every day"
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    return plan
