"""Plans, support requests, schools, boards and the audit log sort and page the same way.

Each list is read as a ministry officer: the default order, every sort key both ways,
a key the list does not offer (the default order instead), a page past the end (the
last page), and the same number of queries whatever the order or page. The audit
log's person and date filters, and their errors, are tested here too.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from capacity.audit.models import Action, AuditEntry
from capacity.audit.selectors import AUDIT_LIST
from capacity.audit.services import audit_record
from capacity.directory.models import Role
from capacity.directory.selectors import BOARD_LIST, SCHOOL_LIST
from capacity.listing import ListSpec
from capacity.planning import services
from capacity.planning.selectors import PLAN_LIST, REQUEST_LIST
from tests.factories import MembershipFactory, SchoolFactory, UserFactory


def _plans(world) -> None:
    principal_b1 = world.personas["principal_b1"]
    services.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )
    services.plan_create(user=principal_b1, school=world.school_b1, school_year="2019-20")


def _requests(world) -> None:
    for persona, school in (("principal_a1", world.school_a1), ("principal_b1", world.school_b1)):
        services.support_request_create(
            user=world.personas[persona], school=school, tried="Math talks", needs=["people"]
        )


def _audit(world) -> None:
    for label in ("zoe", "adam"):
        audit_record(actor_label=label, action=Action.USER_CREATED, target=f"Made by {label}")


@dataclass(frozen=True)
class ListCase:
    path: str
    spec: ListSpec
    add: Callable[[object], None]
    first: str  # shown before `second` in the default order
    second: str
    flip: str  # the sort that shows `second` first


CASES = {
    "plans": ListCase(
        "/plans/", PLAN_LIST, _plans, "Birch Catholic School", "Aspen Public School", "year"
    ),
    "support requests": ListCase(
        "/support/", REQUEST_LIST, _requests, "Birch Catholic", "Aspen Public", "asked"
    ),
    "schools": ListCase(
        "/schools/", SCHOOL_LIST, lambda w: None, "Alder Secondary", "Birch Catholic", "-name"
    ),
    "boards": ListCase(
        "/boards/", BOARD_LIST, lambda w: None, "Alpha District", "Beta Catholic", "-name"
    ),
    "audit log": ListCase("/audit/", AUDIT_LIST, _audit, "Made by adam", "Made by zoe", "when"),
}


def shown_in_order(text: str, first: str, second: str) -> bool:
    assert first in text and second in text, f"{first!r} or {second!r} is not on the page"
    return text.index(first) < text.index(second)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_it_sorts_by_a_column_and_marks_it(client, world, case) -> None:
    case.add(world)
    client.force_login(world.personas["ministry"])
    text = client.get(case.path).content.decode()
    assert shown_in_order(text, case.first, case.second)
    assert text.count("aria-sort=") == 1
    flipped = client.get(case.path, {"sort": case.flip}).content.decode()
    assert shown_in_order(flipped, case.second, case.first)
    key = case.flip.removeprefix("-")
    assert f'aria-sort="{"descending" if case.flip.startswith("-") else "ascending"}"' in flipped
    assert f'href="?sort={"" if case.flip.startswith("-") else "-"}{key}"' in flipped


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_it_falls_back_to_the_default_order_for_an_unknown_key(client, world, case) -> None:
    case.add(world)
    client.force_login(world.personas["ministry"])
    for asked in ("password", "-id", "actor__password", "1;--"):
        response = client.get(case.path, {"sort": asked})
        assert response.status_code == 200
        assert shown_in_order(response.content.decode(), case.first, case.second), asked


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_page_past_the_end_shows_the_last_page(client, world, case, settings) -> None:
    case.add(world)
    settings.CAPACITY_PAGE_SIZE = 1
    client.force_login(world.personas["ministry"])
    response = client.get(case.path, {"page": "99", "sort": case.flip})
    assert response.status_code == 200
    text = response.content.decode()
    last = re.search(r"Page (\d+) of (\d+)", text)
    assert last is not None and last.group(1) == last.group(2) != "1"
    assert case.second not in text  # the flipped order shows it first
    assert 'rel="prev"' in text and 'rel="next"' not in text


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_every_order_and_page_costs_the_same_queries(client, world, case, settings) -> None:
    case.add(world)
    settings.CAPACITY_PAGE_SIZE = 1
    client.force_login(world.personas["ministry"])
    client.get(case.path)  # warm the session, the scope and any cached figures
    counts = {}
    for key in case.spec.keys:
        for query in ({"sort": key}, {"sort": f"-{key}", "page": "2"}):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(case.path, query).status_code == 200
            counts[str(query)] = len(captured)
    assert len(set(counts.values())) == 1, counts


def test_the_pager_keeps_the_filters_and_the_order(client, world, settings) -> None:
    settings.CAPACITY_PAGE_SIZE = 1
    client.force_login(world.personas["ministry"])
    text = client.get("/schools/", {"level": "elementary", "sort": "-name"}).content.decode()
    assert 'href="?level=elementary&amp;sort=-name&amp;page=2" rel="next"' in text
    assert "Page 1 of 2" in text


# --- the audit log's filters ------------------------------------------------------------


@pytest.fixture
def entries(world) -> None:
    """Three entries: Alice's on 1 and 10 March 2024, Bob's on 20 March."""
    for label, day in (("alice", 1), ("alice", 10), ("bob", 20)):
        entry = audit_record(actor_label=label, action=Action.USER_CREATED, target=f"{label}-{day}")
        at = timezone.make_aware(datetime.datetime(2024, 3, day, 12))
        AuditEntry.objects.filter(pk=entry.pk).update(at=at)


def targets(response) -> list[str]:
    """The planted entries on the page, in the order shown."""
    text = response.content.decode()
    found = [t for t in ("alice-1", "alice-10", "bob-20") if f">{t}<" in text]
    return sorted(found, key=lambda t: text.index(f">{t}<"))


def test_the_audit_log_filters_by_person_and_dates(client, world, entries) -> None:
    client.force_login(world.personas["ministry"])
    assert targets(client.get("/audit/", {"person": "ALI"})) == ["alice-10", "alice-1"]
    assert targets(client.get("/audit/", {"date_from": "2024-03-10"})) == ["bob-20", "alice-10"]
    assert targets(client.get("/audit/", {"date_from": "2024-03-02", "date_to": "2024-03-10"})) == [
        "alice-10"
    ]
    both = client.get("/audit/", {"person": "alice", "date_to": "2024-03-05", "sort": "by"})
    assert targets(both) == ["alice-1"]


def test_the_audit_log_shows_an_error_for_a_bad_date_and_keeps_the_other_filters(
    client, world, entries
) -> None:
    client.force_login(world.personas["ministry"])
    response = client.get("/audit/", {"person": "bob", "date_from": "2024-13-45"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="error-summary" role="alert"' in text
    assert 'class="field-error">Enter a valid date.' in text
    assert 'aria-invalid="true"' in text
    assert targets(response) == ["bob-20"]  # the person filter still applies


def test_the_audit_log_refuses_a_range_that_ends_before_it_starts(client, world, entries) -> None:
    client.force_login(world.personas["ministry"])
    response = client.get("/audit/", {"date_from": "2024-03-20", "date_to": "2024-03-01"})
    assert "The end date is before the start date." in response.content.decode()
    assert targets(response) == ["bob-20"]  # the start date still applies


def test_the_audit_log_is_still_only_for_ministry_officers(client, world) -> None:
    client.force_login(world.personas["board_a"])
    assert client.get("/audit/", {"person": "a", "sort": "by"}).status_code == 403


def test_a_board_leader_pages_through_only_their_boards_schools(client, world, settings) -> None:
    settings.CAPACITY_PAGE_SIZE = 5
    for number in range(6):
        SchoolFactory(board=world.board_a, name=f"Zed School {number}")
    leader = UserFactory(username="leader_paging")
    MembershipFactory(user=leader, role=Role.BOARD_LEADER, board=world.board_a)
    client.force_login(leader)
    pages = [client.get("/schools/", {"page": n}).content.decode() for n in (1, 2)]
    assert "8 schools found" in pages[0] and "Page 2 of 2" in pages[1]
    assert all("Birch Catholic" not in page for page in pages)
