"""The plan pages through Django's test client: forms, the cycle's buttons, conflicts, dashboards, support."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from capacity.evidence.models import Assessment
from capacity.evidence.services import assessments_ensure
from capacity.planning import selectors, services
from capacity.planning.models import Plan, Review, Stage, SupportRequest, Timeline


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def principal(world) -> Client:
    return client_for(world.personas["principal_a1"])


def open_plan(world, principal: Client) -> Plan:
    response = principal.post(
        "/plans/new/", {"school": world.school_a1.number, "school_year": "2018-19"}
    )
    assert response.status_code == 302
    return Plan.objects.get(school=world.school_a1, school_year="2018-19")


def test_a_principal_builds_a_plan_with_the_forms(world, principal) -> None:
    assessments_ensure()
    plan = open_plan(world, principal)
    response = principal.post(
        f"/plans/{plan.pk}/goals/new/",
        {
            "version": plan.version,
            "statement": "Grade 6 students explain their reasoning in mathematics",
            "area": "mathematics",
            "focus": "all",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    goal = plan.goals.get()
    plan.refresh_from_db()
    g6_math = Assessment.objects.get(code="G6-MATH")
    response = principal.post(
        f"/plans/{plan.pk}/goals/{goal.pk}/targets/new/",
        {
            "version": plan.version,
            "measure": "assessment",
            "assessment": g6_math.pk,
            "group": "all",
            "baseline_year": "2017-18",
            "baseline_value": "41",
            "target_value": "55",
            "target_year": "2019-20",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    response = principal.post(
        f"/plans/{plan.pk}/goals/{goal.pk}/strategies/new/",
        {
            "version": plan.version,
            "action": "Number talks three times a week",
            "responsible": "Junior division",
            "drivers": ["pedagogy", "collaborative_work"],
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    response = principal.post(
        f"/plans/{plan.pk}/checkpoints/new/",
        {"version": plan.version, "due": "2019-01-31", "title": "Look at student work together"},
    )
    assert response.status_code == 302
    page = principal.get(f"/plans/{plan.pk}/").content.decode()
    for text in (
        "Grade 6 students explain their reasoning",
        "Grade 6 mathematics",
        "Number talks three times a week",
        "Look at student work together",
        "Submit for review",
    ):
        assert text in page
    assert goal.targets.get().target_value == 55
    assert goal.strategies.get().drivers == ["pedagogy", "collaborative_work"]


def test_a_bad_field_is_reported_and_nothing_is_saved(world, principal) -> None:
    plan = open_plan(world, principal)
    response = principal.post(
        f"/plans/{plan.pk}/goals/new/",
        {
            "version": plan.version,
            "statement": "Readers",
            "area": "literacy",
            "focus": "marker",
            "marker_codes": "Sarah",
        },
    )
    assert response.status_code == 200
    assert "is not a marker code" in response.content.decode()
    assert not plan.goals.exists()


def test_a_stale_form_shows_the_conflict_and_keeps_the_persons_text(world, principal) -> None:
    plan = open_plan(world, principal)
    seen = plan.version
    services.plan_update(
        plan=plan, user=world.personas["principal_a1"], seen=seen, title="Their title"
    )
    response = principal.post(
        f"/plans/{plan.pk}/edit/",
        {"version": seen, "title": "My title", "overall_impact": "", "next_steps": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this plan" in page
    assert 'value="My title"' in page  # the person's text is kept
    assert "Their title" in page  # and they see what the other person did
    plan.refresh_from_db()
    assert plan.title == "Their title"
    # Saving again, now knowingly, goes through.
    response = principal.post(
        f"/plans/{plan.pk}/edit/",
        {"version": plan.version, "title": "My title", "overall_impact": "", "next_steps": ""},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "My title"


def test_submit_return_and_resubmit_through_the_buttons(world, principal) -> None:
    plan = open_plan(world, principal)
    services.goal_add(
        plan=plan, user=world.personas["principal_a1"], seen=plan.version, statement="Writing"
    )
    principal.post(f"/plans/{plan.pk}/action/", {"action": "submit", "version": plan.version})
    plan.refresh_from_db()
    assert plan.review == Review.SUBMITTED
    ministry = client_for(world.personas["ministry"])
    page = ministry.get(f"/plans/{plan.pk}/").content.decode()
    assert "Return it to the team" in page
    ministry.post(
        f"/plans/{plan.pk}/action/",
        {
            "action": "coreflect",
            "themes": "Writing is everywhere in the plan",
            "keep": "Shared rubrics",
            "consider": "Oral language first",
        },
    )
    ministry.post(
        f"/plans/{plan.pk}/action/",
        {
            "action": "return",
            "comments": "Name a target for writing",
            "submission": 1,
            "version": plan.version,
        },
    )
    plan.refresh_from_db()
    assert plan.review == Review.RETURNED
    entry = plan.coreflections.get()
    principal.post(
        f"/plans/{plan.pk}/action/",
        {"action": "reply", "coreflection": entry.pk, "text": "We will start with oral language"},
    )
    assert entry.replies.get().text == "We will start with oral language"
    # The button to start acting shows only on an accepted plan; a forced move is explained, not applied.
    assert "Move to Act" not in principal.get(f"/plans/{plan.pk}/").content.decode()
    response = principal.post(
        f"/plans/{plan.pk}/action/",
        {"action": "move", "to": "act", "version": plan.version},
        follow=True,
    )
    assert "must be submitted and accepted" in response.content.decode()
    principal.post(f"/plans/{plan.pk}/action/", {"action": "submit", "version": plan.version})
    plan.refresh_from_db()
    ministry.post(
        f"/plans/{plan.pk}/action/",
        {"action": "accept", "comments": "", "submission": 2, "version": plan.version},
    )
    principal.post(
        f"/plans/{plan.pk}/action/", {"action": "move", "to": "act", "version": plan.version + 1}
    )
    plan.refresh_from_db()
    assert (plan.review, plan.stage) == (Review.ACCEPTED, Stage.ACT)
    history = principal.get(f"/plans/{plan.pk}/history/").content.decode()
    assert "Name a target for writing" in history and "Moved to another stage" in history
    assert "stage_moved" not in history  # the history reads in words, not the stored codes


def test_the_teacher_reads_but_cannot_change_the_plan(world, principal) -> None:
    plan = open_plan(world, principal)
    teacher = client_for(world.personas["teacher_a1"])
    assert teacher.get(f"/plans/{plan.pk}/").status_code == 200
    assert teacher.get(f"/plans/{plan.pk}/edit/").status_code == 403
    assert (
        teacher.post(
            f"/plans/{plan.pk}/action/", {"action": "submit", "version": plan.version}
        ).status_code
        == 403
    )
    assert client_for(world.personas["principal_b1"]).get(f"/plans/{plan.pk}/").status_code == 403


def test_the_dashboard_shows_every_plan_in_scope_with_filters(world, principal) -> None:
    plan = open_plan(world, principal)
    board_plan = services.plan_create(
        user=world.personas["board_a"], board=world.board_a, school_year="2018-19"
    )
    Timeline.objects.create(
        board=world.board_a,
        school_year="2018-19",
        kind="school",
        submit_by="2018-10-31",
        act_by="2018-11-30",
        observe_by="2019-02-28",
        reflect_by="2019-06-15",
    )
    ministry = client_for(world.personas["ministry"])
    page = ministry.get("/plans/").content.decode()
    assert world.school_a1.name in page and world.board_a.name in page
    assert "overdue (due October 31, 2018)" in page
    page = ministry.get("/plans/", {"stage": "act"}).content.decode()
    assert world.school_a1.name not in page
    page = client_for(world.personas["principal_b1"]).get("/plans/").content.decode()
    assert f"/plans/{plan.pk}/" not in page and f"/plans/{board_plan.pk}/" not in page


def test_a_support_request_is_asked_and_answered_on_the_pages(world, principal) -> None:
    response = principal.post(
        "/support/new/",
        {
            "place": f"school:{world.school_a1.number}",
            "tried": "Guided reading in small groups",
            "needs": ["knowledge"],
            "detail": "",
            "needed_by": "2018-12-01",
        },
    )
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    assert (
        client_for(world.personas["principal_b1"]).get(f"/support/{request.pk}/").status_code == 403
    )
    board = client_for(world.personas["board_a"])
    board.post(
        f"/support/{request.pk}/",
        {"answer": "A reading coach two mornings a week", "provided": ["people"]},
    )
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.ANSWERED and request.provided == ["people"]
    assert "A reading coach" in principal.get(f"/support/{request.pk}/").content.decode()


def test_a_custom_measure_takes_dated_values_with_an_evidence_file(
    world, principal, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    plan = open_plan(world, principal)
    user = world.personas["principal_a1"]
    goal = services.goal_add(
        plan=plan,
        user=user,
        seen=plan.version,
        statement="Students explain their thinking",
        area="mathematics",
    )
    target = services.target_add(
        goal=goal,
        user=user,
        seen=plan.version,
        measure="custom",
        description="Students who justify an answer in writing",
        baseline_year="2017-18",
        baseline_value=20,
        target_value=60,
        target_year="2018-19",
    )
    refused = principal.post(
        f"/plans/{plan.pk}/targets/{target.pk}/entries/new/",
        {
            "version": plan.version,
            "on": "2018-11-15",
            "value": "35",
            "note": "",
            "evidence": SimpleUploadedFile(
                "run.exe", b"MZ", content_type="application/octet-stream"
            ),
        },
    )
    assert refused.status_code == 200 and "not accepted as evidence" in refused.content.decode()
    assert not target.entries.exists()
    sample = SimpleUploadedFile(
        "work-samples.pdf", b"%PDF-1.4 sample", content_type="application/pdf"
    )
    response = principal.post(
        f"/plans/{plan.pk}/targets/{target.pk}/entries/new/",
        {
            "version": plan.version,
            "on": "2018-11-15",
            "value": "35",
            "note": "Grade 6, two classes",
            "evidence": sample,
        },
    )
    assert response.status_code == 302
    entry = target.entries.get()
    assert entry.value == 35 and entry.recorded_by == user
    teacher = client_for(world.personas["teacher_a1"])
    page = teacher.get(f"/plans/{plan.pk}/").content.decode()
    assert "Students who justify an answer in writing" in page and "work-samples" in page
    download = teacher.get(f"/plans/{plan.pk}/entries/{entry.pk}/file")
    assert (
        download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 sample"
    )
    assert (
        client_for(world.personas["principal_b1"])
        .get(f"/plans/{plan.pk}/entries/{entry.pk}/file")
        .status_code
        == 403
    )
    assert teacher.get(f"/plans/{plan.pk}/targets/{target.pk}/entries/new/").status_code == 403


def test_reciprocity_sets_what_was_demanded_against_what_was_provided(world, principal) -> None:
    plan = open_plan(world, principal)
    Plan.objects.filter(pk=plan.pk).update(focused_intervention=True)
    user = world.personas["principal_a1"]
    first = services.support_request_create(
        user=user, school=world.school_a1, tried="Reading groups", needs=["people"]
    )
    services.support_request_create(
        user=user, school=world.school_a1, tried="Math talks", needs=["knowledge"]
    )
    services.support_request_answer(
        request=first, user=world.personas["board_a"], answer="A coach", provided=["people"]
    )
    # The plans are 2018-19's: the requests counted beside them are those asked in 2018-19.
    asked = timezone.make_aware(datetime.datetime(2018, 10, 15))
    SupportRequest.objects.update(requested_at=asked)
    SupportRequest.objects.filter(pk=first.pk).update(
        answered_at=asked + datetime.timedelta(days=3)
    )
    later = services.support_request_create(
        user=user, school=world.school_a1, tried="Writing", needs=["knowledge"]
    )
    SupportRequest.objects.filter(pk=later.pk).update(
        requested_at=timezone.make_aware(datetime.datetime(2019, 9, 1))
    )
    rows = {r.label: r for r in selectors.reciprocity(world.personas["ministry"], "2018-19")}
    board = rows[world.board_a.name]
    assert (board.identified, board.requests, board.answered, board.open) == (1, 2, 1, 1)
    assert board.median_days_to_answer == 3.0
    assert rows["The province"].requests == 2
    assert {r.school_year for r in rows.values()} == {"2018-19"}
    following = {r.label: r for r in selectors.reciprocity(world.personas["ministry"], "2019-20")}
    assert (following[world.board_a.name].requests, following[world.board_a.name].identified) == (
        1,
        0,
    )
    assert "The province" not in {
        r.label for r in selectors.reciprocity(world.personas["board_a"], "2018-19")
    }


def test_a_service_refusal_naming_a_field_the_form_lacks_is_shown_not_a_500() -> None:
    from django import forms as django_forms
    from django.core.exceptions import ValidationError

    from capacity.planning.views import _form_errors

    class Form(django_forms.Form):
        tried = django_forms.CharField()

    form = Form({"tried": "Guided reading"})
    assert form.is_valid()
    _form_errors(
        form, ValidationError({"tried": ["Say more."], "requested_by": ["Who asked is missing."]})
    )
    assert form.errors["tried"] == ["Say more."]
    assert form.non_field_errors() == ["Who asked is missing."]
    _form_errors(form, ValidationError("The year is closed."))
    assert "The year is closed." in form.non_field_errors()
