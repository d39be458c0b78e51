"""The partners part's pages (capacity/evidence/views_partners.py): the province and board lists
of schools that beat the odds, their downloads, and an identified school's partners, on the
hand-built province of partners_world.py."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.evidence import partners_world

pytestmark = pytest.mark.django_db


def client_for(world, name: str) -> Client:
    client = Client()
    client.force_login(world.personas[name])
    return client


def test_it_lists_the_province_s_stable_schools_with_context_and_years(world):
    partners_world.build(world)
    page = client_for(world, "ministry").get(reverse("partners_province"))
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("P1 School", "P2 School", "P3 School", "FAR School"):
        assert name in text
    assert "D1 School" not in text and "O1 School" not in text
    assert "4 schools beat the odds over the years to 2022-23" in text
    assert "2021-22 (+9.2 points) and 2022-23 (+9.5 points)" in text  # P2
    assert reverse("school_evidence", args=["810002"]) in text  # the ministry may open it


def test_a_board_list_is_for_the_board_s_people(world):
    partners_world.build(world)
    url = reverse("partners_board", args=[world.board_b.number])
    assert client_for(world, "principal_b1").get(url).status_code == 403
    assert client_for(world, "board_a").get(url).status_code == 403
    text = client_for(world, "ministry").get(url).content.decode()
    assert "P1 School" in text and "FAR School" in text and "P2 School" not in text
    own = client_for(world, "board_a").get(reverse("partners_board", args=[world.board_a.number]))
    assert own.status_code == 200
    assert "No school in this board beats the odds over several years." in own.content.decode()


def test_the_download_has_a_row_per_school_and_an_unknown_year_is_404(world):
    partners_world.build(world)
    client = client_for(world, "ministry")
    answer = client.get(reverse("partners_province_download", args=["csv"]))
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][:5] == ["School number", "School", "Board number", "Board", "Language"]
    assert [r[0] for r in rows[1:]] == ["810001", "810003", "810006", "810002"]
    assert rows[2][4] == "French"
    assert rows[4][-1] == "2021-22 (+9.2 points) and 2022-23 (+9.5 points)"
    assert client.get(reverse("partners_province_download", args=["xlsx"])).status_code == 200
    assert client.get(reverse("partners_province_download", args=["pdf"])).status_code == 404
    assert client.get(reverse("partners_province") + "?year=1999-00").status_code == 404


def test_the_principal_sees_the_partners_names_and_why_on_three_pages(world):
    s = partners_world.build(world)
    client = client_for(world, "principal_a1")
    page = client.get(reverse("partners_school", args=[s["A1"].number])).content.decode()
    for name in ("P1 School", "P2 School", "P3 School"):
        assert name in page
    assert "It teaches in another language." in page
    assert reverse("school_evidence", args=["810001"]) not in page  # not the principal's to open
    evidence = client.get(reverse("school_evidence", args=[s["A1"].number])).content.decode()
    assert "Partner schools" in evidence and "P2 School" in evidence


def test_people_who_may_not_see_partners_get_no_section(world):
    s = partners_world.build(world)
    for name in ("teacher_a1", "trustee_a"):
        client = client_for(world, name)
        evidence = client.get(reverse("school_evidence", args=[s["A1"].number]))
        assert evidence.status_code == 200
        assert "P2 School" not in evidence.content.decode()
        page = client.get(reverse("partners_school", args=[s["A1"].number]))
        assert page.status_code == 403


def test_a_school_that_is_not_identified_says_so(world):
    partners_world.build(world)
    page = client_for(world, "ministry").get(reverse("partners_school", args=["810001"]))
    assert page.status_code == 200
    assert "no partners are suggested" in page.content.decode()


def test_a_focused_intervention_plan_links_to_the_partners(world):
    from capacity.planning import services
    from capacity.planning.models import Plan

    s = partners_world.build(world)
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school_year="2022-23", school=s["A1"])
    client = client_for(world, "principal_a1")
    link = reverse("partners_school", args=[s["A1"].number])
    assert link not in client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    Plan.objects.filter(pk=plan.pk).update(focused_intervention=True)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert link in page and "Partner schools suggested for this school: 3" in page
    # The teacher reads the plan but not the partners.
    teacher = client_for(world, "teacher_a1").get(reverse("plan_detail", args=[plan.pk]))
    assert teacher.status_code == 200 and link not in teacher.content.decode()


def test_the_evidence_pages_link_to_the_lists(world):
    board = client_for(world, "board_a").get(reverse("board_evidence", args=["B66001"]))
    assert reverse("partners_board", args=["B66001"]) in board.content.decode()
    trustee = client_for(world, "trustee_a").get(reverse("board_evidence", args=["B66001"]))
    assert reverse("partners_board", args=["B66001"]) not in trustee.content.decode()
    province = client_for(world, "ministry").get(reverse("province_evidence"))
    assert reverse("partners_province") in province.content.decode()


def test_a_board_leader_sees_the_board_s_identified_schools_with_their_partners(world):
    partners_world.build(world)
    url = reverse("partners_board", args=[world.board_a.number])
    text = client_for(world, "board_a").get(url).content.decode()
    assert "Identified schools and their partners" in text
    assert reverse("partners_school", args=["700001"]) in text
    assert "P2 School" in text and "2021-22 (+9.2 points) and 2022-23 (+9.5 points)" in text
    # The board's trustee compares no schools: neither the list nor the partners.
    assert client_for(world, "trustee_a").get(url).status_code == 403
