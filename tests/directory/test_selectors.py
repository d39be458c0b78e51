"""The directory's reads: lists limited to the reader, and the profiles of boards and schools.

Search and paging of the schools list are tested through the API (test_api.py) and the list
pages (tests/test_list_pages.py); who sees which tokens in test_api_tokens.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from capacity.directory import selectors
from capacity.directory.models import Role, School, SchoolContext
from tests.factories import MembershipFactory, SchoolContextFactory, SchoolFactory, UserFactory

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def test_the_boards_list_counts_each_boards_schools_by_level(world) -> None:
    SchoolFactory(board=world.board_a, level=School.Level.ELEMENTARY)

    boards = selectors.board_list(user=world.personas["ministry"])

    assert [(b.number, b.elementary, b.secondary) for b in boards] == [
        ("B66001", 2, 1),
        ("B66002", 1, 0),
    ]
    assert [b.number for b in selectors.board_list(user=world.personas["trustee_a"])] == ["B66001"]


def test_the_networks_list_counts_schools_once_and_shows_only_the_readers(world) -> None:
    counted = selectors.network_list(user=world.personas["facilitator"])

    assert [(n.name, n.school_count) for n in counted] == [("North Shore Numeracy Network", 2)]
    assert list(selectors.network_list(user=world.personas["teacher_a1"])) == []


def test_a_board_profile_counts_its_schools_students_and_latest_low_income(world) -> None:
    School.objects.filter(pk=world.school_a1.pk).update(enrolment=410)
    School.objects.filter(pk=world.school_a2.pk).update(enrolment=None)
    SchoolContext.objects.filter(school=world.school_a1).update(pct_low_income=12.0)
    SchoolContext.objects.filter(school=world.school_a2).update(pct_low_income=None)
    # An older year's figure takes no part in the latest average.
    SchoolContextFactory(school=world.school_a2, school_year="2018-19", pct_low_income=80.0)

    profile = selectors.board_profile(board=world.board_a)

    assert (profile.elementary, profile.secondary) == (1, 1)
    assert profile.enrolment == 410  # a school without a figure adds nothing, not a guess
    assert profile.low_income_avg == 12.0
    assert [(m.user.username, m.role) for m in profile.leaders] == [
        ("board_a", Role.BOARD_LEADER),
        ("trustee_a", Role.TRUSTEE),
    ]


def test_a_board_without_context_has_no_low_income_figure(world) -> None:
    SchoolContext.objects.filter(school__board=world.board_b).delete()

    assert selectors.board_profile(board=world.board_b).low_income_avg is None


@pytest.mark.parametrize("whose", ["school", "board"])
def test_a_profile_names_only_the_leaders_whose_roles_are_in_force(world, whose) -> None:
    gone = UserFactory(username="former_leader")
    if whose == "school":
        MembershipFactory(user=gone, role=Role.PRINCIPAL, school=world.school_a1, ends=YESTERDAY)
        leaders = selectors.school_leaders(school=world.school_a1)
        expected = ["principal_a1", "team_a1"]
    else:
        MembershipFactory(user=gone, role=Role.BOARD_LEADER, board=world.board_a, ends=YESTERDAY)
        leaders = selectors.board_profile(board=world.board_a).leaders
        expected = ["board_a", "trustee_a"]

    assert [m.user.username for m in leaders] == expected


def test_the_province_summary_is_for_the_ministry_alone(world) -> None:
    assert selectors.province_summary(user=world.personas["ministry"]) == {
        "boards": 2,
        "elementary": 2,
        "secondary": 1,
        "networks": 1,
    }
    assert selectors.province_summary(user=world.personas["board_a"]) == {}


def test_home_responsibilities_carry_each_boards_school_counts(world) -> None:
    leader = world.personas["board_a"]
    MembershipFactory(user=leader, role=Role.TRUSTEE, board=world.board_b)

    held = selectors.home_responsibilities(user=leader)

    counts = {m.board.number: m.school_counts for m in held}
    assert counts["B66001"]["elementary"] == 1 and counts["B66001"]["secondary"] == 1
    assert counts["B66002"]["elementary"] == 1 and counts["B66002"]["secondary"] == 0


def test_role_titles_are_the_titles_of_roles_in_force(world) -> None:
    leader = world.personas["board_a"]
    MembershipFactory(
        user=leader, role=Role.TRUSTEE, board=world.board_b, title="Chair", ends=YESTERDAY
    )

    assert selectors.role_titles(user=leader) == ["Superintendent"]
    assert selectors.role_titles(user=world.personas["principal_a1"]) == []
