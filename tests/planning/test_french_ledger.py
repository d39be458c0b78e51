"""Every ledger page in French shows no English from the catalogue and no raw code (the check of
tests/test_no_raw_codes.py, on the ledger's rows, with answers and an escalation to show)."""

from __future__ import annotations

import pytest
from django.conf import settings

from capacity.planning import services_ledger
from tests.planning import authz_ledger
from tests.planning.ledger_kit import ask, give
from tests.test_no_raw_codes import forbidden_codes, problems_in, untranslated_msgids


@pytest.mark.parametrize("persona", ["ministry", "board_a", "principal_a1", "trustee_a", "team_a1"])
def test_the_ledger_pages_are_all_french(client, world, persona: str) -> None:
    helped = give(world, day="2025-10-04")
    services_ledger.capacity_say_helped(
        user=world.personas["team_a1"],
        gift=helped,
        helped="did_not_help",
        comment="Trop tard",
        seen=1,
    )
    sent = ask(world, day="2025-10-01")
    services_ledger.support_escalate(
        user=world.personas["board_a"], request=sent, reason="Aucun conseiller libre"
    )
    give(world, by="ministry", request=sent, kind="funding", amount="1500", day="2025-10-20")
    client.force_login(world.personas[persona])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    msgids, codes = untranslated_msgids(), forbidden_codes()
    failures = []
    pages = [
        (label, build(world))
        for name, label, build, statuses in authz_ledger.READS
        if statuses.get(persona) == 200
    ]
    pages.append(("the home page", "/"))
    assert len(pages) > 4
    for label, path in pages:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, path
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert 'lang="fr"' in html, path
        failures += [f"{label} ({path}): {p}" for p in problems_in(html, msgids, codes)]
    assert not failures, "\n".join(failures)
