"""No French implementation page shows an English catalogue sentence, a status code or a repr
(the check of tests/test_no_raw_codes.py on this part's pages, with reviews to show)."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.planning.authz_implementation import READS, review_with_file
from tests.planning.implementation_world import reviewed, school_plan
from tests.test_no_raw_codes import NOT_PAGES, forbidden_codes, problems_in, untranslated_msgids


@pytest.mark.parametrize("persona", ["ministry", "board_a", "principal_a1", "trustee_a"])
def test_no_french_implementation_page_shows_english_or_a_code(client, world, persona) -> None:
    plan = school_plan(world)
    reviewed(world, plan, status="in_place")
    review_with_file(world)
    client.force_login(world.personas[persona])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    msgids, codes = untranslated_msgids(), forbidden_codes()
    pages = [
        (label, build(world))
        for name, label, build, statuses in READS
        if statuses.get(persona) == 200
        and not name.startswith(NOT_PAGES)
        and "export" not in name
        and "file" not in name
    ]
    pages.append(("the plan page", f"/plans/{plan.pk}/"))
    failures = []
    for label, path in pages:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert 'lang="fr"' in html
        failures += [f"{label} ({path}): {p}" for p in problems_in(html, msgids, codes)]
    assert not failures, "\n".join(failures)
