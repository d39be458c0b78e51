"""The ledger's pages: what each reader sees, recording capacity given, "did it help?" with its
version check, sending a request on, and the exports."""

from __future__ import annotations

import csv
import io

from django.test import Client

from capacity.planning.models import CapacityGift, SupportRequest
from tests.planning.ledger_kit import ask, focused_plan, give


def signed_in(world, who: str) -> Client:
    client = Client()
    client.force_login(world.personas[who])
    return client


def test_the_board_page_sets_demands_beside_capacity(world) -> None:
    focused_plan(world, targets=2)
    request = ask(world, day="2025-10-01")
    give(world, request=request, kind="coaching_hours", amount="12.5", day="2025-10-08")
    page = signed_in(world, "board_a").get(
        f"/plans/ledger/boards/{world.board_a.number}/?year=2025-26"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Aspen Public School" in text and "12.5" in text and "School by school" in text
    trustee = signed_in(world, "trustee_a").get(
        f"/plans/ledger/boards/{world.board_a.number}/?year=2025-26"
    )
    assert "School by school" not in trustee.content.decode() and "12.5" in trustee.content.decode()


def test_the_province_page_lists_boards_for_the_ministry(world) -> None:
    give(
        world,
        by="ministry",
        school=world.school_b1,
        kind="funding",
        amount="1500",
        day="2025-10-02",
    )
    text = signed_in(world, "ministry").get("/plans/ledger/?year=2025-26").content.decode()
    assert (
        world.board_a.name in text
        and world.board_b.name in text
        and "The province, 2025-26" in text
    )
    assert "1,500" in text


def test_a_school_sees_its_entries_and_how_soon(world) -> None:
    request = ask(world, day="2025-10-01")
    give(world, request=request, kind="visits", amount="1", day="2025-10-11")
    text = (
        signed_in(world, "teacher_a1")
        .get(f"/plans/ledger/schools/{world.school_a1.number}/?year=2025-26")
        .content.decode()
    )
    assert "1 visit" in text and "No answer yet" in text and ">10<" in text
    assert "Record capacity given" not in text  # a teacher does not give capacity
    index = signed_in(world, "teacher_a1").get("/plans/ledger/?year=2025-26").content.decode()
    assert "Aspen Public School" in index


def test_a_board_leader_records_capacity_against_a_request(world) -> None:
    request = ask(world)
    client = signed_in(world, "board_a")
    form = client.get(f"/plans/ledger/give/?school={world.school_a1.number}&request={request.pk}")
    assert f'value="{request.pk}" selected' in form.content.decode()
    response = client.post(
        f"/plans/ledger/give/?school={world.school_a1.number}",
        {
            "kind": "release_days",
            "amount": "3",
            "given_on": "2025-10-15",
            "request": str(request.pk),
            "note": "",
        },
    )
    assert response.status_code == 302
    gift = CapacityGift.objects.get()
    assert gift.request == request and gift.given_by == "board"


def test_the_form_shows_field_errors(world) -> None:
    response = signed_in(world, "board_a").post(
        f"/plans/ledger/give/?school={world.school_a1.number}",
        {"kind": "visits", "amount": "-1", "given_on": "2999-01-01"},
    )
    assert response.status_code == 200 and not CapacityGift.objects.exists()
    assert response.context["form"].errors["amount"]
    response = signed_in(world, "board_a").post(
        f"/plans/ledger/give/?school={world.school_a1.number}",
        {"kind": "visits", "amount": "1", "given_on": "2999-01-01"},
    )
    assert "given_on" in response.context["form"].errors


def test_a_stale_answer_shows_the_newer_one(world) -> None:
    gift = give(world)
    signed_in(world, "team_a1").post(
        f"/plans/ledger/given/{gift.pk}/", {"helped": "helped", "version": "1"}
    )
    response = signed_in(world, "principal_a1").post(
        f"/plans/ledger/given/{gift.pk}/", {"helped": "not_yet", "comment": "", "version": "1"}
    )
    assert response.status_code == 409
    assert "Someone else answered" in response.content.decode()
    gift.refresh_from_db()
    assert gift.helped == "helped" and response.context["form"].initial["version"] == 2


def test_a_board_leader_sends_a_request_on_and_the_request_shows_it(world) -> None:
    request = ask(world)
    client = signed_in(world, "board_a")
    detail = client.get(f"/support/{request.pk}/").content.decode()
    assert f"/support/{request.pk}/escalate/" in detail
    empty = client.post(f"/support/{request.pk}/escalate/", {"reason": ""})
    assert empty.status_code == 200 and empty.context["form"].errors["reason"]
    response = client.post(
        f"/support/{request.pk}/escalate/", {"reason": "No coach is free this term."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.to_ministry and request.escalation_reason == "No coach is free this term."
    school_view = signed_in(world, "principal_a1").get(f"/support/{request.pk}/").content.decode()
    assert "Sent on to the ministry" in school_view and "No coach is free this term." in school_view
    ministry_view = signed_in(world, "ministry").get(f"/support/{request.pk}/").content.decode()
    assert "Record capacity given for this request" in ministry_view
    assert SupportRequest.objects.get().escalated_by == world.personas["board_a"]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_exports_hold_the_page_figures(world) -> None:
    focused_plan(world, targets=2)
    request = ask(world, day="2025-10-01")
    give(
        world,
        request=request,
        kind="coaching_hours",
        amount="12.5",
        day="2025-10-08",
        note="=HYPERLINK(1)",
    )
    rows = _csv(signed_in(world, "ministry").get("/plans/ledger/export.csv?year=2025-26"))
    header, board_a = rows[0], rows[1]
    assert header[0] == "Board" and board_a[0] == world.board_a.name
    assert board_a[header.index("Focused-intervention plans")] == "1"
    assert board_a[header.index("Targets set")] == "2"
    assert board_a[header.index("Coaching hours")] == "12.5"
    assert board_a[header.index("Median days from request to first capacity")] == "7"
    entries = _csv(
        signed_in(world, "principal_a1").get(
            f"/plans/ledger/export.csv?school={world.school_a1.number}&year=2025-26"
        )
    )
    assert entries[1][entries[0].index("Note")] == "'=HYPERLINK(1)"  # neutralised
    trustee = _csv(
        signed_in(world, "trustee_a").get(
            f"/plans/ledger/export.csv?board={world.board_a.number}&year=2025-26"
        )
    )
    assert [r[0] for r in trustee[1:]] == [world.board_a.name]  # totals only
    leader = _csv(
        signed_in(world, "board_a").get(
            f"/plans/ledger/export.csv?board={world.board_a.number}&year=2025-26"
        )
    )
    assert [r[0] for r in leader[1:]] == [
        world.school_a1.name,
        f"{world.board_a.name} (the board itself)",
    ]


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_ledger_pages_read_a_fixed_number_of_queries(world) -> None:
    client = signed_in(world, "ministry")
    board = f"/plans/ledger/boards/{world.board_a.number}/?year=2025-26"
    school = f"/plans/ledger/schools/{world.school_a1.number}/?year=2025-26"
    give(world, day="2025-10-04")
    ask(world, day="2025-10-01")
    before = (
        _queries(client, "/plans/ledger/?year=2025-26"),
        _queries(client, board),
        _queries(client, school),
    )
    focused_plan(world, targets=3)
    for day in ("2025-11-01", "2025-12-01"):
        request = ask(world, day=day)
        give(world, request=request, day="2026-01-05")
    give(world, by="ministry", school=world.school_a2, day="2025-10-04")
    give(world, by="ministry", school=world.school_b1, day="2025-10-04")
    after = (
        _queries(client, "/plans/ledger/?year=2025-26"),
        _queries(client, board),
        _queries(client, school),
    )
    assert after == before


def test_an_older_year_stays_chosen(world) -> None:
    page = signed_in(world, "ministry").get("/plans/ledger/?year=2012-13")
    assert '<option value="2012-13" selected>' in page.content.decode()
    assert page.context["year"] == "2012-13"
    assert (
        signed_in(world, "ministry").get("/plans/ledger/?year=nonsense").context["year"]
        != "nonsense"
    )
