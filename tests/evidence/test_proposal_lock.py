"""An identification proposal computes the province's identification before it opens the
transaction that writes it.

Found by benchmarks/soak.py: after an import, making the proposal held SQLite's one write
lock (a transaction there takes it at its start) while the whole province was identified,
so a plan saved meanwhile waited for the busy timeout and answered 500, "database is locked".
"""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection

from capacity.evidence import selectors, services_decisions
from capacity.evidence.models import IdentificationProposal
from tests.evidence import decisions_world


@pytest.mark.django_db(transaction=True)
def test_no_write_waits_while_a_proposal_identifies_the_province(world, monkeypatch) -> None:
    decisions_world.results(world)
    inside_a_transaction: list[bool] = []
    identify = selectors.province_identification

    def watched(*args, **kwargs):
        inside_a_transaction.append(connection.in_atomic_block)
        if connection.vendor == "sqlite":
            # Another process (the web app saving a plan) takes the write lock at once.
            other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.1)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.rollback()
            finally:
                other.close()
        return identify(*args, **kwargs)

    monkeypatch.setattr(selectors, "province_identification", watched)
    proposal = services_decisions.proposal_from_results()
    assert inside_a_transaction and not any(inside_a_transaction)
    assert proposal is not None and proposal.state == IdentificationProposal.State.OPEN
    assert proposal.changes.count() == 3  # A1 and B1 enter, A2 leaves
