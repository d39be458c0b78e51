"""The decisions' pages: the list, a proposal grouped by change, deciding (htmx and plain), the CSV."""

from __future__ import annotations

from capacity.evidence.models import IdentificationDecision, IdentificationProposal
from capacity.planning.models import Plan
from capacity.reports.csv import restore
from tests.evidence import decisions_world as dw


def _as(client, world, persona):
    client.force_login(world.personas[persona])
    return client


def test_the_list_offers_the_ministry_a_proposal_and_shows_waiting_counts(client, world) -> None:
    dw.proposal(world)
    page = _as(client, world, "ministry").get("/evidence/decisions/").content.decode()
    assert "Propose from the evidence" in page and "2018-19" in page


def test_the_list_shows_others_no_propose_form(client, world) -> None:
    dw.proposal(world)
    page = _as(client, world, "board_a").get("/evidence/decisions/").content.decode()
    assert "Propose from the evidence" not in page and "2018-19" in page


def test_proposing_makes_a_proposal_and_shows_it(client, world) -> None:
    dw.results(world)
    response = _as(client, world, "ministry").post(
        "/evidence/decisions/propose/", {"year": "2018-19", "policy": "ofip-2016"}
    )
    proposal = IdentificationProposal.objects.get()
    assert response["Location"] == f"/evidence/decisions/{proposal.pk}/"
    assert proposal.source == "officer"


def test_proposing_for_a_year_without_results_is_refused(client, world) -> None:
    dw.results(world)
    response = _as(client, world, "ministry").post(
        "/evidence/decisions/propose/", {"year": "1999-00"}
    )
    assert response.status_code == 302 and not IdentificationProposal.objects.exists()


def test_the_proposal_groups_schools_by_change_with_reasons_in_words(client, world) -> None:
    proposal = dw.proposal(world)
    page = (
        _as(client, world, "ministry").get(f"/evidence/decisions/{proposal.pk}/").content.decode()
    )
    assert "Schools proposed to enter focused intervention (2)" in page
    assert "Schools proposed to leave focused intervention (1)" in page
    assert "Grade 3 reading in 2018-19: 40% at or above the standard" in page
    assert "Confirm for Aspen Public School" in page and "Confirm all 2 waiting changes" in page


def test_a_board_leader_reads_only_the_boards_rows_and_cannot_decide(client, world) -> None:
    proposal = dw.proposal(world)
    page = _as(client, world, "board_a").get(f"/evidence/decisions/{proposal.pk}/").content.decode()
    assert "Aspen Public School" in page and "Birch Catholic School" not in page
    assert "Confirm for" not in page


def test_confirming_through_htmx_returns_the_row(client, world) -> None:
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    response = _as(client, world, "ministry").post(
        f"/evidence/decisions/change/{item.pk}/",
        {"outcome": "confirmed", "seen": item.version},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<li id="change-')
    assert "Confirmed" in body and "Confirm for" not in body
    assert Plan.objects.filter(school=world.school_a1, focused_intervention=True).exists()


def test_setting_aside_without_a_reason_shows_the_field_error(client, world) -> None:
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    response = _as(client, world, "ministry").post(
        f"/evidence/decisions/change/{item.pk}/",
        {"outcome": "set_aside", "seen": item.version, "reason": ""},
    )
    assert response.status_code == 400
    assert "Say why the change is set aside." in response.content.decode()
    assert not IdentificationDecision.objects.exists()


def test_a_stale_decision_says_who_decided_first(client, world) -> None:
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    seen = item.version
    dw.a1_confirmed(world)
    response = _as(client, world, "ministry").post(
        f"/evidence/decisions/change/{item.pk}/",
        {"outcome": "set_aside", "seen": seen, "reason": "Too late"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps only 2xx: the row shows the refusal
    assert "already decided" in response.content.decode()
    assert IdentificationDecision.objects.count() == 1


def test_confirm_all_confirms_the_listed_changes(client, world) -> None:
    proposal = dw.proposal(world)
    pending = proposal.changes.filter(change="enters")
    response = _as(client, world, "ministry").post(
        f"/evidence/decisions/{proposal.pk}/confirm-all/",
        {"change": [f"{c.pk}:{c.version}" for c in pending]},
    )
    assert response.status_code == 302
    assert Plan.objects.filter(focused_intervention=True).count() == 2


def test_the_csv_has_a_row_per_school_in_words(client, world) -> None:
    proposal = dw.a1_confirmed(world)
    response = _as(client, world, "ministry").get(f"/evidence/decisions/{proposal.pk}/export.csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("school_number,school_name,board_name,change")
    assert len(lines) == 4
    aspen = next(line for line in lines if line.startswith("700001"))
    assert "Enters focused intervention" in aspen and "Confirmed" in aspen
    assert restore("'=1") == "=1"


def test_a_schools_page_shows_its_decisions_to_its_staff(client, world) -> None:
    dw.a1_confirmed(world)
    page = _as(client, world, "teacher_a1").get("/schools/700001/evidence/").content.decode()
    assert "Identification decisions" in page and "Enters focused intervention, Confirmed" in page


def test_a_trustee_sees_no_set_aside_decision(client, world) -> None:
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    from capacity.evidence import services_decisions

    services_decisions.decision_record(
        item=item, user=world.personas["ministry"], outcome="set_aside", seen=1, reason="Not yet"
    )
    page = _as(client, world, "trustee_a").get("/schools/700001/evidence/").content.decode()
    assert "No decision on this school" in page and "Not yet" not in page


def test_a_later_proposal_shows_the_earlier_decision(client, world) -> None:
    from capacity.evidence import selectors, services_decisions
    from capacity.evidence.models import Result

    old = dw.a1_confirmed(world)
    Result.objects.filter(school=world.school_b1, school_year="2016-17").delete()  # new evidence
    new = services_decisions.proposal_make(
        policy=selectors.get_policy(),
        school_year="2018-19",
        source="officer",
        user=world.personas["ministry"],
    )
    assert new != old
    page = _as(client, world, "ministry").get(f"/evidence/decisions/{new.pk}/").content.decode()
    assert "Earlier for this year: Confirmed (Enters focused intervention) by Ministry" in page
    replaced = client.get(f"/evidence/decisions/{old.pk}/").content.decode()
    assert "Replaced by a newer proposal" in replaced and "Confirm for" not in replaced


def test_a_proposals_policy_is_named_in_french_on_french_pages(client, world) -> None:
    from django.conf import settings

    proposal = dw.proposal(world)
    client = _as(client, world, "ministry")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    for path in ("/evidence/decisions/", f"/evidence/decisions/{proposal.pk}/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "PIFO 2016" in page and "OFIP 2016" not in page, path
