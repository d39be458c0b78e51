"""The student-level results page in a real browser: a ministry officer uploads a file and reads
the counts, then a refused file's problems; axe finds nothing; on a phone nothing scrolls sideways;
French is complete."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from capacity.evidence.models import Result
from tests.browser.phone import fits
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parent.parent / "data" / "students"


@pytest.mark.parametrize(
    ("language", "width", "counted", "refused"),
    [
        ("en", 1280, "8 student results counted", "1 problem was found"),
        ("fr", 390, "8 résultats d’élèves comptés", "1 problème"),
    ],
)
def test_a_ministry_officer_imports_student_results(
    browser, live_server, world, axe_check, tmp_path, language, width, counted, refused
):
    context = browser.new_context(locale="en-CA", viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill("ministry")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")

        page.goto(f"{live_server.url}/evidence/imports/")
        page.locator("a[href='/evidence/imports/students/']").click()
        page.wait_for_url(f"{live_server.url}/evidence/imports/students/")
        axe_check(page)
        if width < 400:
            fits(page)

        page.locator("input[name=file]").set_input_files(str(DATA / "students.csv"))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert counted in page.locator("main").inner_text()
        assert Result.objects.filter(group="ell").exists()
        axe_check(page)

        bad = tmp_path / "bad.csv"
        bad.write_bytes((DATA / "students.csv").read_bytes().replace(b"ON-0002,4", b"ON-0001,4"))
        page.locator("input[name=file]").set_input_files(str(bad))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        text = page.locator("main").inner_text()
        assert refused in text
        assert "ON-0001" not in text
        axe_check(page)
        if width < 400:
            fits(page)
    finally:
        context.close()
