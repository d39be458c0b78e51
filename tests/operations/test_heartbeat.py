"""The worker's heartbeat: one row per worker, beating in a thread, old rows pruned, read in one query."""

from __future__ import annotations

import datetime
import os

import pytest
from django.utils import timezone

from capacity.operations.heartbeat import KEEP_STOPPED, Heartbeat, worker_status
from capacity.operations.models import WorkerBeat
from tests.processes import wait_for

pytestmark = pytest.mark.django_db


def test_a_worker_keeps_one_row_and_moves_its_beat_forward() -> None:
    heart = Heartbeat()
    heart.start(thread=False)
    row = WorkerBeat.objects.get()
    assert (row.worker, row.pid, row.started_at) == (heart.worker, os.getpid(), heart.started_at)
    first = row.beat_at
    heart.beat()
    row.refresh_from_db()
    assert WorkerBeat.objects.count() == 1 and row.beat_at >= first


def test_two_workers_beat_on_their_own_rows() -> None:
    Heartbeat().start(thread=False)
    Heartbeat().start(thread=False)
    assert WorkerBeat.objects.count() == 2
    assert worker_status().alive == 2


def test_a_starting_worker_deletes_the_rows_of_workers_stopped_more_than_a_day_ago() -> None:
    now = timezone.now()
    for name, age in (
        ("old", KEEP_STOPPED + datetime.timedelta(minutes=1)),
        ("recent", KEEP_STOPPED / 2),
    ):
        WorkerBeat.objects.create(
            worker=name, host="h", pid=1, started_at=now - age, beat_at=now - age
        )
    Heartbeat().start(thread=False)
    assert WorkerBeat.objects.count() == 2  # the new worker's and the recent one
    assert not WorkerBeat.objects.filter(worker="old").exists()
    assert WorkerBeat.objects.filter(worker="recent").exists()


@pytest.mark.django_db(transaction=True)
def test_the_thread_beats_every_interval_until_stopped() -> None:
    heart = Heartbeat(interval=0.05)
    heart.start()
    first = WorkerBeat.objects.get(worker=heart.worker).beat_at
    try:
        wait_for(lambda: WorkerBeat.objects.get(worker=heart.worker).beat_at > first, 10)
    finally:
        heart.stop()
    last = WorkerBeat.objects.get(worker=heart.worker).beat_at
    assert not heart._thread.is_alive()
    assert WorkerBeat.objects.get(worker=heart.worker).beat_at == last


def test_the_status_names_each_state(settings) -> None:
    now = timezone.now()
    assert worker_status(now=now).state == "missing"
    WorkerBeat.objects.create(worker="w", host="h", pid=1, started_at=now, beat_at=now)
    assert worker_status(now=now + datetime.timedelta(seconds=90)).state == "ok"
    late = worker_status(now=now + datetime.timedelta(seconds=91))
    assert (late.state, late.ok, late.alive, late.seconds_since) == ("stale", False, 0, 91.0)
    settings.CAPACITY_EXPECT_WORKER = False
    assert worker_status(now=now + datetime.timedelta(seconds=91)).state == "not expected"
    assert worker_status(now=now + datetime.timedelta(seconds=91)).ok


def test_the_status_reads_every_worker_in_one_query(django_assert_num_queries) -> None:
    for _ in range(3):
        Heartbeat().start(thread=False)
    with django_assert_num_queries(1):
        assert worker_status().alive == 3
