"""The demo's marker-student log and documentation: written through the services for the demo
principal's open school plan (entries by its goals' marker codes, one text file with "no student
can be identified"), never for a closed year, and a second build adds nothing."""

from __future__ import annotations

from capacity.directory.models import Role
from capacity.planning import demo_yearclose
from capacity.planning.models import Consent, Documentation, MarkerNote, Plan, Stage
from tests.factories import MembershipFactory, UserFactory
from tests.planning.yearclose_world import reflect_plan


def test_it_writes_log_entries_and_one_document(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = reflect_plan(world)
    demo_principal = UserFactory(username="principal")
    MembershipFactory(user=demo_principal, role=Role.PRINCIPAL, school=world.school_a1)
    counts = demo_yearclose.build(seed=1)
    assert counts == {"marker_log_entries": 6, "documentation_items": 1}
    assert set(MarkerNote.objects.values_list("code", flat=True)) == {"M-07", "M-12"}
    assert set(MarkerNote.objects.values_list("written_by", flat=True)) == {demo_principal.pk}
    document = Documentation.objects.get()
    assert document.plan == plan and document.consent == Consent.NOT_IDENTIFIABLE
    assert b"No student is named" in document.file.read()
    assert demo_yearclose.build(seed=1) == counts


def test_it_leaves_closed_years_and_missing_people_alone(world) -> None:
    plan = reflect_plan(world)
    Plan.objects.filter(pk=plan.pk).update(stage=Stage.CLOSED)
    demo_principal = UserFactory(username="principal")
    MembershipFactory(user=demo_principal, role=Role.PRINCIPAL, school=world.school_a1)
    assert demo_yearclose.build(seed=1) == {"marker_log_entries": 0, "documentation_items": 0}
