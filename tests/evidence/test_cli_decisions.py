"""`capacity identify --propose`: the command line makes the proposal a ministry officer decides."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from capacity.cli import app
from capacity.evidence.models import IdentificationProposal
from tests.evidence import decisions_world as dw

runner = CliRunner()


@pytest.mark.django_db(transaction=True)
def test_identify_propose_makes_a_proposal(world) -> None:
    dw.results(world)
    result = runner.invoke(app, ["identify", "--propose", "--format", "csv"])
    assert result.exit_code == 0, result.output
    proposal = IdentificationProposal.objects.get()
    assert (proposal.source, proposal.school_year) == ("command", "2018-19")
    assert f"Proposal {proposal.pk} for 2018-19: 3 change(s) wait" in result.stderr


def test_identify_propose_refuses_files() -> None:
    result = runner.invoke(app, ["identify", "--propose", "--results", "x.csv"])
    assert result.exit_code == 2 and "leave out --results" in result.stderr
