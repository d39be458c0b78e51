"""After new data, each analysis is computed once, by one process, while readers keep reading.

The soak on PostgreSQL (benchmarks/RESULTS.md) failed because every import made every
kept answer cold and twenty readers computed the same answers at once until the server
killed its workers. `selectors.cached` now computes a missing answer in one process at
a time: the others read the previous version's answer meanwhile, or wait for the new
one when there is none; a request that has already run long reads the previous answer
rather than computing more. What is made from a previous answer is never kept under the
new version. These tests race real threads against the real cache.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

from capacity import fragments
from capacity.evidence import selectors
from capacity.evidence.models import Result
from capacity.filecache import FileCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(evidence_world, settings):
    """The data version held in this process (no query from the threads), and a way to move it."""
    settings.CAPACITY_DATA_VERSION_TTL = 3600
    selectors.forget_data_version()
    selectors.data_version()

    def new_data(value: float) -> str:
        Result.objects.filter(school=evidence_world.school_a1).update(pct_at_standard=value)
        selectors.forget_data_version()
        return selectors.data_version()

    return new_data


def _in_thread(target) -> tuple[threading.Thread, list]:
    answers: list = []
    thread = threading.Thread(target=lambda: answers.append(target()), daemon=True)
    thread.start()
    return thread, answers


def _computing(key: str, answer: str) -> tuple[threading.Thread, list, threading.Event]:
    """A thread computing `key` (slowly: until released), its answers, and the release."""
    computing, release = threading.Event(), threading.Event()

    def slow() -> str:
        computing.set()
        release.wait(20)
        return answer

    thread, answers = _in_thread(lambda: selectors.cached(key, slow))
    assert computing.wait(20)
    return thread, answers, release


def test_a_missing_answer_is_computed_once_while_the_others_wait_for_it(versions) -> None:
    calls: list[int] = []
    start = threading.Barrier(4)

    def compute() -> str:
        calls.append(1)
        time.sleep(0.4)
        return "answer"

    def read() -> str:
        start.wait()
        return selectors.cached("one analysis", compute)

    threads = [_in_thread(read) for _ in range(4)]
    for thread, _answers in threads:
        thread.join(20)

    assert [answers for _thread, answers in threads] == [["answer"]] * 4
    assert len(calls) == 1  # without the lock each of the four computed it


@pytest.mark.parametrize("elsewhere", [False, True], ids=["this process", "another process"])
def test_while_one_computes_after_new_data_the_others_read_the_previous_answer(
    versions, elsewhere: bool
) -> None:
    assert selectors.cached("one analysis", lambda: "before") == "before"
    versions(12.5)
    if elsewhere:
        # The previous answer was computed by another process: only the shared cache has it.
        selectors.forget_cached()
    thread, answers, release = _computing("one analysis", "after")
    not_called: list[int] = []

    meanwhile = selectors.cached("one analysis", lambda: not_called.append(1) or "again")
    # A part of a page made from it is handed out but not kept under the new version.
    part = fragments.kept(
        "a-part", ["v"], lambda: "part of " + selectors.cached("one analysis", lambda: "x")
    )
    release.set()
    thread.join(20)

    assert meanwhile == "before" and not not_called
    assert part == "part of before"
    assert answers == ["after"]
    assert selectors.cached("one analysis", lambda: "again") == "after"
    assert fragments.kept("a-part", ["v"], lambda: "part made afresh") == "part made afresh"


def test_an_answer_computed_from_a_previous_answer_is_not_kept(versions) -> None:
    assert selectors.cached("inner", lambda: "old inner") == "old inner"
    versions(13.5)
    thread, _answers, release = _computing("inner", "new inner")
    outer = selectors.cached("outer", lambda: "outer of " + selectors.cached("inner", str))
    release.set()
    thread.join(20)

    assert outer == "outer of old inner"
    assert selectors.cached("outer", lambda: "outer of " + selectors.cached("inner", str)) == (
        "outer of new inner"
    )


def test_a_request_that_has_run_long_reads_the_previous_answer_instead_of_computing(
    versions, settings
) -> None:
    settings.CAPACITY_STALE_AFTER = 0
    assert selectors.cached("kept before", lambda: "before") == "before"
    versions(14.5)
    request_started.send(sender=None)
    try:
        # Kept before: the previous answer, not computed. Never kept: computed all the same.
        assert selectors.cached("kept before", lambda: "computed") == "before"
        assert selectors.cached("never kept", lambda: "computed") == "computed"
    finally:
        request_finished.send(sender=None)
    # Outside a request (the worker, a command) everything is computed.
    assert selectors.cached("kept before", lambda: "computed") == "computed"


def test_a_page_after_an_import_shows_the_new_figures(client, evidence_world) -> None:
    """Nobody else computing: the request computes the new answer itself (as it always did)."""
    client.force_login(evidence_world.personas["ministry"])
    page = "/evidence/?year=2018-19"
    before = client.get(page).content.decode()
    Result.objects.filter(school=evidence_world.school_a1, school_year="2018-19").update(
        pct_at_standard=99.0
    )
    selectors.forget_data_version()

    after = client.get(page).content.decode()

    assert before != after


def test_the_file_cache_adds_a_key_for_one_caller_only(tmp_path: Path) -> None:
    files = FileCache(str(tmp_path / "cache"), {})
    start = threading.Barrier(8)
    won: list[bool] = []

    def add() -> None:
        start.wait()
        won.append(files.add("lock", "mine", 60))

    threads = [threading.Thread(target=add) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert sorted(won) == [False] * 7 + [True]
    assert files.get("lock") == "mine"
    assert not files.add("lock", "again", 60)
    files.set("expired", "old", 0.01)
    time.sleep(0.05)
    assert files.add("expired", "new", 60) and files.get("expired") == "new"
    assert not [path for path in (tmp_path / "cache").iterdir() if "djcache" not in path.name]
