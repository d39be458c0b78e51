"""The student-level results page: upload, the report after the redirect, refusals, nothing kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from capacity.evidence.models import Result
from capacity.evidence.views_students import InMemoryOnly

DATA = Path(__file__).resolve().parent.parent / "data" / "students"
URL = "/evidence/imports/students/"

pytestmark = pytest.mark.django_db


def ministry(world) -> Client:
    client = Client()
    client.force_login(world.personas["ministry"])
    return client


def upload(client: Client, name: str, data: bytes, **extra: str):
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **extra}, follow=True)


def test_the_page_counts_a_file_and_shows_the_report(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    response = upload(ministry(world), "students.csv", (DATA / "students.csv").read_bytes())
    assert response.redirect_chain == [(URL, 302)]
    page = response.content.decode()
    assert "8 student results counted" in page
    assert "1 student was not assessed" in page
    assert Result.objects.filter(group="female").exists()
    assert "ON-0001" not in page
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
    # The report is shown once.
    assert "student results counted" not in ministry(world).get(URL).content.decode()


def test_an_edfi_file_is_told_apart_by_its_content(world):
    response = upload(ministry(world), "students.json", (DATA / "students.json").read_bytes())
    assert "3 student results counted" in response.content.decode()


def test_a_refused_file_lists_its_problems_without_the_students(world):
    bad = (DATA / "students.csv").read_bytes().replace(b"ON-0002,4", b"ON-0001,4")
    page = upload(ministry(world), "students.csv", bad).content.decode()
    assert "1 problem was found. Nothing was imported." in page
    assert "already counted" in page
    assert "ON-0001" not in page
    assert Result.objects.count() == 0


def test_form_errors_are_shown_by_their_field(world):
    client = ministry(world)
    page = upload(client, "students.xlsx", b"x").content.decode()
    assert "Choose a .csv or .json file." in page
    page = upload(client, "students.csv", b"x", school_year="2018").content.decode()
    assert "field-error" in page
    assert Result.objects.count() == 0


def test_a_file_over_the_cap_is_refused_before_it_is_read(world, settings):
    settings.CAPACITY_STUDENT_UPLOAD_MAX_MB = 0
    page = upload(ministry(world), "students.csv", (DATA / "students.csv").read_bytes())
    assert "larger than 0 MB" in page.content.decode()
    assert Result.objects.count() == 0


def test_the_upload_stays_in_memory():
    handler = InMemoryOnly()
    handler.handle_raw_input(None, {}, 10**12, "boundary")
    assert handler.activated


def test_people_who_may_not_import_are_refused(world):
    client = Client()
    client.force_login(world.personas["principal_a1"])
    assert client.get(URL).status_code == 403
    response = client.post(
        URL, {"file": SimpleUploadedFile("s.csv", (DATA / "students.csv").read_bytes())}
    )
    assert response.status_code == 403
    assert Result.objects.count() == 0
