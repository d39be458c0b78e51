"""Existence proofs over several years and partners on Ontario's published tables (2017-18,
2018-19, 2021-22 and 2023-24), imported as Capacity imports them. Ontario publishes no counts, so
the context model trusts the publisher's own suppression (as the evidence pages do)."""

from __future__ import annotations

import time

import pytest

from capacity.directory.importers import import_sif
from capacity.directory.models import School
from capacity.evidence import selectors, selectors_partners
from capacity.evidence.analytics import existence
from capacity.evidence.importers.results import import_results
from tests.conftest import ONTARIO_SIF, need
from tests.evidence.ontario_tables import FILES

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_the_lists_and_every_identified_school_s_partners_on_ontario_s_tables() -> None:
    paths = [ONTARIO_SIF / name for name in FILES.values()]
    for path in paths:
        need(path.exists(), f"{path} is not there")
        assert import_sif(path).applied
    assert import_results([(year, ONTARIO_SIF / name) for year, name in FILES.items()]).applied

    started = time.perf_counter()
    latest = selectors_partners.province_stable("2023-24")
    assert selectors_partners.years_for("2023-24") == ("2023-24", "2021-22", "2018-19")
    took = time.perf_counter() - started
    assert latest, "some schools beat the odds over 2018-19, 2021-22 and 2023-24"
    for s in latest:
        assert len(s.beat) >= 2 and all(m.residual >= 0 for m in s.measured)
        assert all(b.residual >= b.residual_sd for b in s.beat)

    # Identification under the default policy, in the last year its rule can read (two
    # consecutive years with results: 2017-18 and 2018-19).
    year = "2018-19"
    found = selectors.province_identification(selectors.get_policy(), year)
    partners = selectors_partners.province_partners(year)
    assert found.identified and set(partners) == {s.school_number for s in found.identified}
    reasons = {existence.NO_CONTEXT, existence.NO_STABLE_SCHOOLS, existence.NONE_NEAR}
    levels = dict(School.objects.values_list("number", "level"))
    with_partners = 0
    for number, answer in partners.items():
        if answer.partners:
            with_partners += 1
            assert answer.reason == ""
            assert 1 <= len(answer.partners) <= 3
            assert all(p.school.level == levels[number] for p in answer.partners)
            assert [p.same_language for p in answer.partners] == sorted(
                (p.same_language for p in answer.partners), reverse=True
            )
            assert all(p.distance <= 1.5 for p in answer.partners)
        else:
            assert answer.reason in reasons, number
    stable = selectors_partners.province_stable(year)
    print(
        f"\nOntario: {len(latest)} schools beat the odds stably to 2023-24 ({took:.1f} s); "
        f"{len(stable)} to 2018-19; {len(found.identified)} identified in 2018-19, "
        f"{with_partners} with partners; reasons for the others: "
        f"{sorted({a.reason for a in partners.values() if not a.partners})}"
    )
    assert with_partners >= len(partners) * 0.5
