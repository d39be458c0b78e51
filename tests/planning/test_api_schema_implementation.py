"""Implementation's API operations against the OpenAPI document (the whole API's run is
tests/test_api_schema.py; this one runs this part's operations alone, quickly, with reviews to
show): no server error, documented statuses and bodies, invalid data refused."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from capacity.directory.services import api_token_create
from tests.planning.implementation_world import reviewed, school_plan
from tests.test_api_schema import CONFIG, wsgi_app  # noqa: F401 - the fixture

PATHS = ("/indicators", "/implementation", "/reviews")


@pytest.mark.slow
def test_implementations_operations_do_what_the_document_says(wsgi_app, world) -> None:  # noqa: F811
    plan = school_plan(world)
    reviewed(world, plan)
    _, key = api_token_create(user=world.personas["principal_a1"], name="schemathesis")
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/openapi.json", wsgi_app, config=CONFIG, headers=headers
    )
    operations = [
        op
        for result in schema.get_all_operations()
        if any(p in (op := result.ok()).path for p in PATHS)
    ]
    assert len(operations) == 4
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=15,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def check(case) -> None:
                case.call_and_validate(headers=headers)

            try:
                check()
            except Exception as exc:  # noqa: BLE001 - report every operation's failure
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
