"""The demo's board profile: the board `director` leads has a closed self-assessment with figures
(the instruments' demo rounds), so its profile and home page show what to read next."""

from __future__ import annotations

import pytest

from capacity.directory import access
from capacity.directory.demo import DemoOptions, build_demo
from capacity.directory.models import User
from capacity.instruments.demo import build_demo_rounds
from capacity.learning import home_profiles, recommend
from capacity.learning.demo import build_demo_library

pytestmark = pytest.mark.django_db


def test_the_directors_board_has_recommendations_from_last_years_self_assessment() -> None:
    build_demo(DemoOptions(seed=11, boards=3, schools=12, years=2))
    build_demo_rounds(seed=11)
    build_demo_library(seed=11)
    director = User.objects.get(username="director")
    board = access.led_boards_for(director).get()
    assessment, weakest, found = recommend.for_board(board)
    assert assessment is not None and assessment.shown and assessment.respondents == 9
    # The demo leans low on evidence use: the profile leads with it.
    assert weakest[0].characteristic == "evidence"
    assert found and found[0].item.slug == "using-evidence"
    [section] = home_profiles.sections(director)
    assert section.items and section.items[0].url == "/learning/using-evidence/"
