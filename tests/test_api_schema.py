"""The API against its own OpenAPI document, with schemathesis.

The schema is fetched as a token holder would fetch it (`/api/openapi.json` with a
bearer token), then every operation gets a bounded number of generated requests,
valid ones and invalid ones, sent through the real WSGI application. Each answer
is checked by schemathesis' checks: no server error, a documented status, a body
that fits the documented schema, invalid data refused, valid data accepted.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from capacity.directory.services import api_token_create
from capacity.planning import services as planning
from tests.evidence.conftest import results_for

EXAMPLES = 20  # per operation and mode: the whole run stays under a minute

# A request can fit the schema and still break a rule the schema cannot state (a plan
# that is not waiting for review cannot be decided on): the API answers 400 with the
# rule's message, and the schema documents that 400. Everything else is schemathesis'
# default.
CONFIG = SchemathesisConfig.from_str("""
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409"]
""")


@pytest.fixture
def wsgi_app():
    """Capacity's WSGI application, keeping the test's database connection open between requests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from capacity.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_holder(world) -> dict[str, str]:
    """A ministry officer's token, over a province with results, a plan and a support request."""
    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
        results_for(world.school_b1, year, [80, 75, 70, 85, 82, 60], participating=8)
    planning.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )
    planning.support_request_create(
        user=world.personas["principal_a1"],
        school=world.school_a1,
        tried="Reading groups",
        needs=["people"],
    )
    _, key = api_token_create(user=world.personas["ministry"], name="schemathesis")
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.slow
def test_the_api_does_what_its_openapi_document_says(wsgi_app, token_holder) -> None:
    schema = schemathesis.openapi.from_wsgi(
        "/api/openapi.json", wsgi_app, config=CONFIG, headers=token_holder
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def check(case) -> None:
                case.call_and_validate(headers=token_holder)

            try:
                check()
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
