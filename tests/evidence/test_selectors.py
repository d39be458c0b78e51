"""The evidence reads: years, policies' default year, a board's statuses, and answers kept no longer than true.

Answers are cached under the data's version; whatever changes what a page shows (results,
policies, or the directory's names and boards through an import) must change that version.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from capacity.directory.importers import import_orgs
from capacity.evidence import selectors
from capacity.evidence.analytics.identification import IDENTIFIED, INSUFFICIENT_DATA
from capacity.evidence.models import Result
from capacity.evidence.services import assessments_ensure
from tests.evidence.conftest import results_for

pytestmark = pytest.mark.django_db


def test_a_school_renamed_by_an_import_is_shown_by_its_new_name_at_once(
    client, evidence_world, tmp_path: Path
) -> None:
    client.force_login(evidence_world.personas["ministry"])
    page = "/evidence/?year=2018-19"
    assert "Aspen Public School" in client.get(page).content.decode()
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "kind,number,name,board_number\nschool,700001,Aspen Renamed School,B66001\n",
        encoding="utf-8",
    )

    report = import_orgs(orgs, actor_label="test")
    shown = client.get(page).content.decode()

    assert report.applied, report.problems
    assert "Aspen Renamed School" in shown and "Aspen Public School" not in shown


def test_years_with_results_and_the_policys_default_year(evidence_world) -> None:
    Result.objects.create(
        school=evidence_world.school_a2,
        school_year="2019-20",
        assessment_id=assessments_ensure()["OSSLT"],
        pct_at_standard=80.0,
    )
    selectors.forget_data_version()

    assert selectors.result_years() == ["2017-18", "2018-19", "2019-20"]
    # The OFIP rule counts Grade 3 and 6: a year with only the OSSLT is not its year.
    assert selectors.default_year(selectors.get_policy()) == "2018-19"


def test_no_results_means_no_years_and_no_default_year(world) -> None:
    assert selectors.result_years() == []
    assert selectors.default_year(selectors.get_policy()) is None


def test_a_boards_statuses_are_its_identified_and_undecided_schools(evidence_world) -> None:
    # A2 has one year of results under 50%: not enough to decide.
    results_for(evidence_world.school_a2, "2018-19", [30, 30, 30, 30, 30, 30])
    selectors.forget_data_version()
    policy = selectors.get_policy()

    board_a = selectors.board_identification(evidence_world.board_a, policy, "2018-19")

    assert sorted((s.school_number, s.status) for s in board_a) == [
        ("700001", IDENTIFIED),
        ("700002", INSUFFICIENT_DATA),
    ]
    assert selectors.board_identification(evidence_world.board_b, policy, "2018-19") == []


def test_the_processes_share_the_data_version_for_its_time_to_live(
    evidence_world, settings, monkeypatch, django_assert_num_queries
) -> None:
    """One process's reading serves the others for the TTL (no query), never longer; a process
    that wrote (forget_data_version) makes every process read afresh."""
    settings.CAPACITY_DATA_VERSION_TTL = 60
    selectors.forget_data_version()
    first = selectors.data_version()

    monkeypatch.setattr(selectors, "_VERSION", (0.0, ""))  # another process, which read nothing
    with django_assert_num_queries(0):
        assert selectors.data_version() == first

    Result.objects.filter(school=evidence_world.school_a1).update(pct_at_standard=12.5)
    selectors.forget_data_version()  # the writer
    monkeypatch.setattr(selectors, "_VERSION", (0.0, ""))
    with django_assert_num_queries(3):
        changed = selectors.data_version()
    assert changed != first

    # A reading older than the TTL is not taken: the next process reads for itself.
    from django.core.cache import cache

    cache.set(selectors._SHARED_VERSION, (time.time() - 61, "stale"), 60)
    monkeypatch.setattr(selectors, "_VERSION", (0.0, ""))
    with django_assert_num_queries(3):
        assert selectors.data_version() == changed


def test_without_a_time_to_live_every_call_reads_the_version(evidence_world) -> None:
    """As in the tests' settings: a change shows at the very next read, shared copy or not."""
    first = selectors.data_version()
    Result.objects.filter(school=evidence_world.school_a1).update(pct_at_standard=12.5)
    assert selectors.data_version() != first
