"""Personas and shared fixtures, in one place.

The province has two boards, A and B. Board A has schools A1 and A2; board B
has school B1. A learning network joins A2 and B1 (across boards), so its
facilitator sees the network but no school page.

Personas (all with the password PASSWORD):
  ministry     ministry officer of the province
  board_a      board leader (superintendent) of board A
  trustee_a    trustee of board A: reads the board and its schools, changes nothing
  principal_a1 principal of school A1
  teacher_a1   teacher at A1
  team_a1      school team member at A1: acts for the school's team like its principal
  facilitator  facilitator of the network
  principal_b1 principal of school B1, in board B, who must see nothing of board A
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from capacity.directory.models import Board, Network, Role, School, User
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    NetworkFactory,
    ProvinceFactory,
    SchoolContextFactory,
    SchoolFactory,
    UserFactory,
)

PASSWORD = "correct horse battery"

# Fixtures that run the real `capacity` command in child processes (instance).
pytest_plugins = ["tests.processes"]


def _shared_dir() -> Path:
    """../shared beside the checkout (as on developers' machines and in CI), or CAPACITY_SHARED_DIR."""
    if os.environ.get("CAPACITY_SHARED_DIR"):
        return Path(os.environ["CAPACITY_SHARED_DIR"])
    beside = Path(__file__).resolve().parents[1].parent / "shared"
    return beside if beside.exists() else Path("/work/shared")


# Ontario's published school tables, as published (xlsx and latin-1 csv).
ONTARIO_SIF = _shared_dir() / "data" / "ontario-sif"
STRICT = os.environ.get("CAPACITY_TEST_STRICT") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip a test whose outside requirement is missing, or fail under CAPACITY_TEST_STRICT=1."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"CAPACITY_TEST_STRICT=1 and {reason}")
    pytest.skip(reason)


@dataclass
class World:
    province: object
    board_a: Board
    board_b: Board
    school_a1: School
    school_a2: School
    school_b1: School
    network: Network
    personas: dict[str, User | None]


PERSONAS = (
    "anonymous",
    "ministry",
    "board_a",
    "principal_a1",
    "teacher_a1",
    "facilitator",
    "principal_b1",
    "trustee_a",
    "team_a1",
)


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory()
    board_a = BoardFactory(province=province, number="B66001", name="Alpha District School Board")
    board_b = BoardFactory(
        province=province,
        number="B66002",
        name="Beta Catholic District School Board",
        board_type=Board.Type.CATHOLIC,
    )
    school_a1 = SchoolFactory(board=board_a, number="700001", name="Aspen Public School")
    school_a2 = SchoolFactory(
        board=board_a,
        number="700002",
        name="Alder Secondary School",
        level=School.Level.SECONDARY,
        grade_range="9-12",
    )
    school_b1 = SchoolFactory(board=board_b, number="700003", name="Birch Catholic School")
    for school in (school_a1, school_a2, school_b1):
        SchoolContextFactory(school=school)
    network = NetworkFactory(name="North Shore Numeracy Network")
    network.schools.add(school_a2, school_b1)

    def person(username: str, role: str, **org: object) -> User:
        user = UserFactory(username=username, display_name=username.replace("_", " ").title())
        MembershipFactory(user=user, role=role, **org)
        return user

    personas: dict[str, User | None] = {
        "anonymous": None,
        "ministry": person("ministry", Role.MINISTRY_OFFICER, province=province),
        "board_a": person("board_a", Role.BOARD_LEADER, board=board_a, title="Superintendent"),
        "principal_a1": person("principal_a1", Role.PRINCIPAL, school=school_a1),
        "teacher_a1": person("teacher_a1", Role.TEACHER, school=school_a1),
        "facilitator": person("facilitator", Role.NETWORK_FACILITATOR, network=network),
        "principal_b1": person("principal_b1", Role.PRINCIPAL, school=school_b1),
        "trustee_a": person("trustee_a", Role.TRUSTEE, board=board_a),
        "team_a1": person("team_a1", Role.SCHOOL_TEAM, school=school_a1, title="Literacy lead"),
    }
    return World(province, board_a, board_b, school_a1, school_a2, school_b1, network, personas)


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    need(os.path.exists(path), "Debian's chromium is not installed (apt-get install chromium)")
    return path


def pytest_report_header(config) -> list[str]:
    """Say up front what this run can and cannot exercise, so a skip is never a surprise."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    lines = [
        f"capacity: database {engine}"
        + (
            ""
            if engine != "sqlite3"
            else " (set DATABASE_URL=postgres://... to run the suite on PostgreSQL)"
        )
    ]
    chromium = os.path.exists("/usr/bin/chromium")
    lines.append(
        "capacity: browser tests "
        + (
            "run in /usr/bin/chromium"
            if chromium
            else "skipped: apt-get install chromium to run them"
        )
    )
    lines.append(f"capacity: strict mode {'on (a skip fails)' if STRICT else 'off'}")
    return lines


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so no answer computed for another test's data leaks in."""
    from django.core.cache import cache

    from capacity import fragments
    from capacity.evidence.selectors import forget_cached

    cache.clear()
    forget_cached()
    fragments.forget()
    yield
    cache.clear()
    forget_cached()
    fragments.forget()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language. A request in French (LocaleMiddleware activates
    the person's language on the thread, and nothing deactivates it) used to leave French active
    for the next test in the same worker, whose messages then came out in French."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
