"""The API's documentation page (/api/docs): the site's page around Swagger UI.

Swagger UI's own accessibility findings, checked in a real browser, are in
tests/browser/test_api_docs.py and listed in docs/api.md.
"""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def principal(client, world):
    client.force_login(world.personas["principal_a1"])
    return world.personas["principal_a1"]


def test_it_is_a_page_of_the_site_in_english(client, principal) -> None:
    page = client.get("/api/docs").content.decode()
    assert '<html lang="en">' in page
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page
    assert '<a class="brand" href="/">Capacity</a>' in page
    assert re.search(r'<nav aria-label="Main">', page)
    assert '<main id="main"' in page
    assert "<h1>API documentation</h1>" in page
    assert "<title>API documentation · Capacity</title>" in page


def test_it_speaks_french_around_the_english_operations(client, principal) -> None:
    client.post("/i18n/setlang/", {"language": "fr", "next": "/api/docs"})
    page = client.get("/api/docs").content.decode()
    assert '<html lang="fr">' in page
    assert "Passer au contenu principal" in page
    assert "<h1>Documentation de l’API</h1>" in page
    # Swagger UI and the operations' descriptions are English: that part says so.
    assert re.search(r'<div id="swagger-ui"[^>]*\blang="en"', page)


def test_it_starts_swagger_ui_from_the_sites_own_files(client, principal) -> None:
    page = client.get("/api/docs").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in scripts
    assert "/static/capacity/api-docs.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)
    assert 'href="/static/ninja/swagger-ui.css"' in page
    # Nothing is fetched from elsewhere (no CDN): every script, style sheet, icon and image is
    # the site's own. (Not a search for "cdn" in the page: a random CSRF token held those
    # three letters in a CI run on this machine.)
    fetched = re.findall(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]*)"', page)
    assert len(fetched) >= 4, fetched
    assert all(url.startswith("/") and not url.startswith("//") for url in fetched), fetched
    settings = json.loads(
        re.search(
            r'<script type="application/json" id="swagger-settings">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert settings["url"] == "/api/openapi.json"
    # A session is one of the API's authentications, so "Try it out" sends the CSRF token.
    assert re.search(r'<div id="swagger-ui"[^>]*data-csrf-token="[^"]+"', page)


def test_it_still_sends_a_person_without_credentials_to_sign_in(client, world) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
