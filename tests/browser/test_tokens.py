"""API tokens and the API's documentation in a real browser, under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from capacity.directory.models import ApiToken
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_principal_makes_and_revokes_a_token_and_reads_the_api_docs(
    page, live_server, world, axe_check
):
    sign_in(page, live_server, "principal_a1")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    page.get_by_label("What it is for").fill("nightly export")
    page.get_by_role("button", name="Make the token").click()
    key = page.locator("code.token-key").inner_text()
    assert key.startswith(ApiToken.objects.get().prefix)
    axe_check(page)

    page.get_by_role("button", name="Revoke nightly export").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    assert not ApiToken.objects.exists()

    page.goto(f"{live_server.url}/api/docs")
    expect(
        page.get_by_text("/api/plans/{plan_id}").first
    ).to_be_visible()  # Swagger UI ran under the CSP
