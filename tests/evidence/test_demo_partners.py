"""The partners part's demo step (capacity/evidence/demo_partners.py) on a small demo province:
the journey's principal (principal.focus) sees partners for their identified school."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from capacity.directory.demo import DemoOptions, build_demo
from capacity.directory.models import Membership, Role
from capacity.evidence import demo_partners, selectors, selectors_partners
from capacity.evidence.demo import build_demo_results
from capacity.planning import demo
from capacity.planning.demo import province as demo_province

pytestmark = pytest.mark.slow
SEED = 2016


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_province, "SAMPLE_SCHOOLS", 10)
        patch.setattr(demo_province, "SAMPLE_BOARDS", 1)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            build_demo(DemoOptions(seed=SEED, boards=4, schools=300, years=10))
            build_demo_results(seed=SEED, years=10)
            demo.build_demo_plans(seed=SEED)
            selectors.forget_data_version()
            yield demo_partners.build(seed=SEED)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_demo_has_stable_schools_and_the_journey_s_school_has_partners(province, client):
    assert province["schools beating the odds over several years"] > 0
    assert province["identified schools with partner suggestions"] > 0
    focus = Membership.objects.select_related("user", "school").get(
        user__username="principal.focus", role=Role.PRINCIPAL
    )
    shown = selectors_partners.school_partners_for_user(focus.user, focus.school)
    assert shown is not None and shown.partners.partners, shown
    client.force_login(focus.user)
    page = client.get(reverse("school_evidence", args=[focus.school.number]))
    assert page.status_code == 200
    assert shown.partners.partners[0].school.name in page.content.decode()
