"""The student-level results API: the body counted by the one service, refusals with every problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from capacity.evidence.models import Result

DATA = Path(__file__).resolve().parent.parent / "data" / "students"
URL = "/api/student-results"

pytestmark = pytest.mark.django_db


def client_for(world, persona: str = "ministry") -> Client:
    client = Client()
    client.force_login(world.personas[persona])
    return client


def test_an_edfi_body_is_counted(world):
    body = (DATA / "students.json").read_bytes()
    response = client_for(world).post(URL, body, content_type="application/json")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["applied"], answer["students"], answer["problems"]) == (True, 3, [])
    assert Result.objects.filter(group="ell").exists()


def test_a_csv_body_with_the_year_given(world):
    text = (DATA / "students.csv").read_text().replace(",2018-19,", ",,")
    response = client_for(world).post(
        f"{URL}?school_year=2019-20&name=spring.csv", text, content_type="text/csv"
    )
    assert response.status_code == 200, response.content
    assert Result.objects.filter(school_year="2019-20").count() == response.json()["created"]


def test_a_dry_run_writes_nothing(world):
    body = (DATA / "students.json").read_bytes()
    response = client_for(world).post(f"{URL}?dry_run=true", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["created"] > 0
    assert Result.objects.count() == 0


def test_a_refused_body_answers_400_with_every_problem_and_no_student(world):
    document = json.loads((DATA / "students.json").read_text())
    document["studentAssessments"][1]["studentReference"]["studentUniqueId"] = "ON-0001"
    response = client_for(world).post(URL, document, content_type="application/json")
    assert response.status_code == 400
    answer = response.json()
    assert answer["problems"] == [
        {
            "row": None,
            "column": "studentAssessments[1].studentReference.studentUniqueId",
            "reason": answer["problems"][0]["reason"],
        }
    ]
    assert "ON-0001" not in response.content.decode()
    assert Result.objects.count() == 0


def test_a_bad_year_and_a_body_too_large(world, settings):
    client = client_for(world)
    assert client.post(f"{URL}?school_year=2019", "x", content_type="text/csv").status_code == 400
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    body = (DATA / "students.json").read_bytes()
    assert client.post(URL, body, content_type="application/json").status_code == 413


def test_only_ministry_officers(world):
    body = (DATA / "students.json").read_bytes()
    for persona in ("board_a", "principal_a1"):
        response = client_for(world, persona).post(URL, body, content_type="application/json")
        assert response.status_code == 403
    assert Client().post(URL, body, content_type="application/json").status_code == 401
    assert Result.objects.count() == 0
