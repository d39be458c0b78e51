"""/healthz: the database and the worker's heartbeat, 200 or 503 naming the part that failed."""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from capacity.operations.heartbeat import Heartbeat
from capacity.operations.models import WorkerBeat

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def beat(seconds_ago: float) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(
        worker=f"w{seconds_ago}",
        host="worker-host.internal",
        pid=4242,
        started_at=now - datetime.timedelta(hours=1),
        beat_at=now - datetime.timedelta(seconds=seconds_ago),
    )


def test_it_answers_200_with_a_fresh_beat(client) -> None:
    Heartbeat().start(thread=False)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    report = response.json()
    assert (report["status"], report["failing"]) == ("ok", [])
    assert report["database"]["status"] == "ok"
    assert 0 <= report["database"]["ms"] < 5000
    worker = report["worker"]
    assert (worker["status"], worker["expected"], worker["alive"]) == ("ok", True, 1)
    assert 0 <= worker["seconds_since_last_beat"] < 5
    assert worker["last_beat"].endswith("Z")
    assert (worker["interval_seconds"], worker["stale_after_seconds"]) == (30, 90)


def test_it_answers_503_naming_the_worker_when_its_beat_is_stale(client) -> None:
    beat(seconds_ago=91)
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert (report["status"], report["failing"]) == ("failing", ["worker"])
    assert report["database"]["status"] == "ok"
    assert (report["worker"]["status"], report["worker"]["alive"]) == ("stale", 0)
    assert report["worker"]["seconds_since_last_beat"] >= 91


def test_it_answers_503_when_no_worker_ever_beat(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert response.json()["worker"]["status"] == "missing"
    assert response.json()["worker"]["last_beat"] is None


def test_one_live_worker_among_stopped_ones_is_enough(client) -> None:
    beat(seconds_ago=3000)
    beat(seconds_ago=2)
    worker = client.get("/healthz").json()["worker"]
    assert (worker["status"], worker["alive"]) == ("ok", 1)
    assert worker["seconds_since_last_beat"] < 10


def test_the_stale_limit_is_a_setting(client, settings) -> None:
    settings.CAPACITY_HEARTBEAT_STALE_SECONDS = 600
    beat(seconds_ago=300)
    assert client.get("/healthz").status_code == 200


def test_a_site_configured_without_a_worker_passes_and_says_so(client, settings) -> None:
    settings.CAPACITY_EXPECT_WORKER = False
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["failing"] == []
    assert (report["worker"]["status"], report["worker"]["expected"]) == ("not expected", False)


def test_head_gives_the_status_without_a_body_and_other_methods_are_refused(client) -> None:
    assert client.head("/healthz").status_code == 503
    Heartbeat().start(thread=False)
    head = client.head("/healthz")
    assert (head.status_code, head.content) == (200, b"")
    refused = client.post("/healthz")
    assert refused.status_code == 405
    assert set(refused["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_it_reveals_nothing_about_the_machines_or_the_data(client, world) -> None:
    beat(seconds_ago=1)
    body = client.get("/healthz").content.decode()
    assert set(json.loads(body)) == {"status", "failing", "database", "worker"}
    for secret in ("worker-host.internal", "4242", socket.gethostname(), str(ROOT), "sqlite"):
        assert secret not in body
    assert set(json.loads(body)["worker"]) == {
        "status",
        "expected",
        "last_beat",
        "seconds_since_last_beat",
        "alive",
        "interval_seconds",
        "stale_after_seconds",
    }


def test_it_costs_two_queries_and_no_session_even_for_a_signed_in_person(
    client, world, django_assert_num_queries
) -> None:
    Heartbeat().start(thread=False)
    client.force_login(world.personas["principal_a1"])
    with django_assert_num_queries(2):  # SELECT 1, and the beats
        response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response and "sessionid" not in response.cookies
    # Answered before the language middleware, the session and the page headers.
    assert "Content-Language" not in response and "Vary" not in response
    assert response["Cache-Control"] == "no-store"


def test_it_is_answered_for_any_host_and_over_plain_http_in_production(client, settings) -> None:
    Heartbeat().start(thread=False)
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["capacity.example.org"]
    # A load balancer asks by the machine's address over plain HTTP...
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    # ...which every other address refuses or sends to HTTPS.
    assert client.get("/accounts/login/", HTTP_HOST="10.0.3.7:8000").status_code == 400
    login = client.get("/accounts/login/", HTTP_HOST="capacity.example.org")
    assert (login.status_code, login["Location"]) == (
        301,
        "https://capacity.example.org/accounts/login/",
    )


def test_it_is_not_sent_to_sign_in_nor_given_a_language(client) -> None:
    Heartbeat().start(thread=False)
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"  # machine words, not translated
    assert client.get("/fr/healthz").status_code == 404  # no language prefix exists


def test_an_unreachable_database_is_named_and_its_error_is_not_shown(tmp_path) -> None:
    """A real failure: the database file cannot be opened (its folder does not exist)."""
    missing = tmp_path / "gone" / "capacity.sqlite3"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")} | {
        "CAPACITY_ENV": "local",
        "CAPACITY_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{missing}",
        "DJANGO_SETTINGS_MODULE": "capacity.settings",
    }
    code = (
        "import django\ndjango.setup()\nfrom django.test import Client\n"
        "r = Client().get('/healthz')\nprint(r.status_code)\nprint(r.content.decode())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    status, body = done.stdout.strip().split("\n", 1)
    report = json.loads(body)
    assert status == "503"
    assert report["failing"] == ["database", "worker"]
    assert report["database"] == {"status": "failing"}
    assert report["worker"] == {"status": "unknown"}
    assert str(tmp_path) not in body and "unable to open" not in body
    # The reason is in the log, for the people running the site.
    assert "Health check: the database did not answer" in done.stderr
    assert "unable to open database file" in done.stderr
