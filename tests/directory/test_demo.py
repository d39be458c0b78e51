"""The demo province: Ontario's shape, deterministic, with a sign-in for every role."""

from __future__ import annotations

from collections import Counter

import pytest

from capacity.directory.demo import DemoOptions, build_demo
from capacity.directory.models import Board, Membership, Network, Role, School, SchoolContext, User


def snapshot() -> list[tuple]:
    return list(
        School.objects.order_by("number").values_list(
            "number", "name", "board__number", "enrolment"
        )
    )


@pytest.mark.django_db
def test_the_full_demo_has_ontarios_72_boards_in_ontarios_mix() -> None:
    result = build_demo(DemoOptions(years=1))
    assert result.boards == 72
    mix = Counter(Board.objects.values_list("language", "board_type"))
    # Ontario: 31 English public, 29 English Catholic, 4 French public, 8 French Catholic boards.
    assert mix == {
        ("en", "public"): 31,
        ("en", "catholic"): 29,
        ("fr", "public"): 4,
        ("fr", "catholic"): 8,
    }
    levels = Counter(School.objects.values_list("level", flat=True))
    assert levels["elementary"] + levels["secondary"] == 4870
    assert 3850 <= levels["elementary"] <= 4150 and 750 <= levels["secondary"] <= 1000
    assert not School.objects.exclude(language=models_language_of_board()).exists()


def models_language_of_board():
    from django.db.models import F

    return F("board__language")


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_province() -> None:
    build_demo(DemoOptions(seed=7, boards=5, schools=80, years=2))
    first = snapshot()
    for model in (User, Network, School, Board):
        model.objects.all().delete()
    build_demo(DemoOptions(seed=7, boards=5, schools=80, years=2))
    assert snapshot() == first
    for model in (User, Network, School, Board):
        model.objects.all().delete()
    build_demo(DemoOptions(seed=8, boards=5, schools=80, years=2))
    assert snapshot() != first


@pytest.mark.django_db
def test_a_small_demo_has_a_sign_in_for_every_role() -> None:
    result = build_demo(DemoOptions(boards=4, schools=40, years=3))
    roles = {
        Role(m.role)
        for m in Membership.objects.filter(user__username__in=[a.username for a in result.accounts])
    }
    assert roles == set(Role)
    assert SchoolContext.objects.count() == 40 * 3
    assert set(SchoolContext.objects.values_list("school_year", flat=True)) == {
        "2021-22",
        "2022-23",
        "2023-24",
    }
    principal = User.objects.get(username="principal")
    assert principal.check_password("capacity-demo")
    other = Membership.objects.get(user__username="principal.other").school
    assert other.board != principal.memberships.get().school.board


@pytest.mark.django_db
def test_demo_context_looks_like_published_shares() -> None:
    build_demo(DemoOptions(boards=10, schools=400, years=1))
    shares = [
        v for v in SchoolContext.objects.values_list("pct_low_income", flat=True) if v is not None
    ]
    assert all(0 <= v <= 100 and v % 5 == 0 for v in shares)  # published rounded to 5
    shares.sort()
    median = shares[len(shares) // 2]
    assert 5 <= median <= 25 and shares[-1] >= 30  # most schools low, a long tail


@pytest.mark.django_db
def test_the_demo_refuses_a_database_that_already_has_boards(world) -> None:
    with pytest.raises(ValueError, match="empty"):
        build_demo(DemoOptions(boards=2, schools=4))


@pytest.mark.django_db
def test_each_demo_sign_in_sees_exactly_their_part_of_the_province(client) -> None:
    from capacity.directory.access import boards_for, networks_for, schools_for

    build_demo(DemoOptions(boards=6, schools=90, years=1))
    principal_school = Membership.objects.get(user__username="principal").school
    first_board = principal_school.board
    other_school = Membership.objects.get(user__username="principal.other").school
    network = Membership.objects.get(user__username="facilitator").network

    def scope(username: str) -> tuple[int, int, int]:
        user = User.objects.get(username=username)
        return boards_for(user).count(), schools_for(user).count(), networks_for(user).count()

    assert scope("ministry") == (6, 90, Network.objects.count())
    board_schools = first_board.schools.count()
    board_networks = Network.objects.filter(schools__board=first_board).distinct().count()
    for username in ("director", "superintendent", "trustee"):
        assert scope(username) == (1, board_schools, board_networks)
    for username in ("principal", "team", "teacher"):
        assert scope(username)[:2] == (0, 1)
    assert scope("principal.other")[:2] == (0, 1)
    assert other_school.board != first_board
    assert scope("facilitator") == (0, 0, 1)
    assert network.schools.filter(pk=principal_school.pk).exists()

    for username in (
        "ministry",
        "director",
        "trustee",
        "principal",
        "team",
        "teacher",
        "principal.other",
        "facilitator",
    ):
        signed_in = client.post(
            "/accounts/login/", {"username": username, "password": "capacity-demo"}
        )
        assert signed_in.status_code == 302, username
        assert client.get("/").status_code == 200
        denied = client.get(f"/schools/{principal_school.number}/").status_code
        assert denied == (403 if username in ("principal.other", "facilitator") else 200), username
        client.logout()


@pytest.mark.django_db
def test_every_school_is_in_a_town_and_region_of_its_board() -> None:
    from capacity.directory.demo import board_area

    build_demo(DemoOptions(years=1))
    boards = {b.pk: b for b in Board.objects.all()}
    areas = {pk: board_area(b) for pk, b in boards.items()}
    assert all(areas.values()), [b.name for pk, b in boards.items() if areas[pk] is None]
    for pk, board in boards.items():
        assert board.region == areas[pk].region, board.name
    for board_id, city, postal in School.objects.values_list("board", "city", "postal_code"):
        area = areas[board_id]
        assert city in area.cities, (boards[board_id].name, city)
        if area.region == "Ottawa":
            assert postal.startswith("K"), (city, postal)
        if area.region in ("North Bay/Sudbury", "Thunder Bay"):
            assert postal.startswith("P"), (city, postal)
    sudbury = Board.objects.filter(name__startswith="Sudbury").first()
    if sudbury is not None:
        assert sudbury.region == "North Bay/Sudbury"
        assert set(sudbury.schools.values_list("city", flat=True)) == {"Sudbury"}


@pytest.mark.django_db
def test_french_boards_have_french_school_names_and_english_boards_english_ones() -> None:
    build_demo(DemoOptions(boards=24, schools=400, years=1))
    for name, board, language in School.objects.values_list(
        "name", "board__name", "board__language"
    ):
        if language == "fr":
            assert board.startswith("Conseil scolaire ") and name.startswith("École "), name
        else:
            assert board.endswith("District School Board") and not name.startswith("École"), name


@pytest.mark.django_db
def test_the_northern_network_gathers_northern_schools() -> None:
    build_demo(DemoOptions(boards=24, schools=400, years=1))
    regions = set(
        Network.objects.get(name="Northern Schools Network").schools.values_list(
            "board__region", flat=True
        )
    )
    assert regions and regions <= {"North Bay/Sudbury", "Thunder Bay"}
