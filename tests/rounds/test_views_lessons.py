"""The lesson study pages as people use them: the list, starting a study (a school to choose, a
network's study, the plan goal only for those who read the plan), a study's page, changing it
from two tabs, a cycle's page through its steps, and sharing the findings."""

from __future__ import annotations

import pytest
from django.utils import timezone

from capacity.learning.models import Item
from capacity.planning.models import Goal, Plan
from capacity.rounds import services_lessons as services
from capacity.rounds.models import CycleStep, LessonStudy
from tests.rounds.kit_lessons import RECORDS, current, finished, record, shared, start, walk

pytestmark = pytest.mark.django_db


def signed_in(client, world, persona: str):
    client.force_login(world.personas[persona])
    return client


def study_form(world, **kw) -> dict:
    return {
        "title": "Fractions on a number line",
        "overarching_goal": "Students reason about quantities.",
        "research_question": "Does a number line help students order fractions?",
        "grade": "5",
        "subject": "mathematics",
        "team": [world.personas["teacher_a1"].pk],
        **kw,
    }


# --- the list ----------------------------------------------------------------------------


def test_the_list_shows_studies_in_progress_and_finished(
    client, world, django_assert_max_num_queries
) -> None:
    walk(world, start(world), CycleStep.CRITIQUE)
    finished(world)
    signed_in(client, world, "teacher_a1")
    with django_assert_max_num_queries(12):
        response = client.get("/rounds/lessons/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Comparing fractions" in page and "cycle 1" in page and "Critique" in page
    assert "Finished fractions study" in page and "1 cycle" in page
    assert "Start a lesson study" not in page  # a teacher plans no rounds


def test_the_list_of_one_school(client, world) -> None:
    start(world)
    signed_in(client, world, "board_a")
    page = client.get(f"/rounds/lessons/?school={world.school_a2.number}").content.decode()
    assert "Lesson studies at Alder Secondary School" in page
    assert "Comparing fractions" not in page
    assert f"/rounds/lessons/new/?school={world.school_a2.number}" in page
    assert client.get("/rounds/lessons/?school=000000").status_code == 404


def test_someone_outside_sees_no_study(client, world) -> None:
    start(world)
    for persona in ("principal_b1", "trustee_a", "facilitator"):
        page = signed_in(client, world, persona).get("/rounds/lessons/").content.decode()
        assert "Comparing fractions" not in page, persona


# --- starting a study --------------------------------------------------------------------


def test_a_board_leader_chooses_the_school_first(client, world) -> None:
    signed_in(client, world, "board_a")
    page = client.get("/rounds/lessons/new/").content.decode()
    assert 'name="school"' in page and "Aspen Public School" in page and "Alder" in page
    page = client.get(f"/rounds/lessons/new/?school={world.school_a1.number}").content.decode()
    assert "At Aspen Public School." in page and "Teacher A1 — Teacher" in page


def test_a_principal_starts_a_study_and_lands_on_cycle_1(client, world) -> None:
    goal = Goal.objects.create(
        plan=Plan.objects.create(
            kind="school", school=world.school_a1, board=world.board_a, school_year="2026-27"
        ),
        statement="More Grade 6 students at level 3 in mathematics",
    )
    signed_in(client, world, "principal_a1")
    page = client.get("/rounds/lessons/new/").content.decode()
    assert "More Grade 6 students" in page  # the principal reads the school's plan
    assert 'name="network"' not in page
    response = client.post(
        f"/rounds/lessons/new/?school={world.school_a1.number}",
        study_form(world, goal=str(goal.pk)),
    )
    study = LessonStudy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/rounds/lessons/{study.pk}/cycles/1/"
    assert study.goal == goal and study.created_by == world.personas["principal_a1"]


def test_a_refused_study_shows_each_problem_by_its_field(client, world) -> None:
    signed_in(client, world, "principal_a1")
    response = client.post(
        f"/rounds/lessons/new/?school={world.school_a1.number}",
        study_form(world, title="", team=[world.personas["principal_b1"].pk]),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "Select a valid choice." in page
    assert not LessonStudy.objects.exists()


def test_a_facilitator_starts_a_networks_study_without_seeing_the_plan(client, world) -> None:
    Goal.objects.create(
        plan=Plan.objects.create(
            kind="school", school=world.school_b1, board=world.board_b, school_year="2026-27"
        ),
        statement="Birch's own goal",
    )
    signed_in(client, world, "facilitator")
    page = client.get("/rounds/lessons/new/").content.decode()
    assert "Birch Catholic School" in page and "Aspen" not in page
    page = client.get(f"/rounds/lessons/new/?school={world.school_b1.number}").content.decode()
    assert "Birch's own goal" not in page and 'name="goal"' not in page
    assert "North Shore Numeracy Network" in page
    assert client.get(f"/rounds/lessons/new/?school={world.school_a1.number}").status_code == 403
    response = client.post(
        f"/rounds/lessons/new/?school={world.school_b1.number}",
        study_form(world, team=[world.personas["principal_b1"].pk], network=str(world.network.pk)),
    )
    assert response.status_code == 302
    assert LessonStudy.objects.get().network == world.network


def test_nobody_without_a_place_starts_a_study(client, world) -> None:
    for persona in ("teacher_a1", "trustee_a"):
        assert signed_in(client, world, persona).get("/rounds/lessons/new/").status_code == 403


# --- a study's page and changing it -----------------------------------------------------------


def test_a_studys_page_shows_its_question_cycles_and_team(client, world) -> None:
    study = walk(world, start(world), services.AGAIN)
    page = signed_in(client, world, "teacher_a1").get(f"/rounds/lessons/{study.pk}/").content
    text = page.decode()
    assert "How do fraction strips help" in text
    assert "Cycle 2: Plan the lesson" in text and "Cycle 1" in text and "finished" in text
    assert "Team A1" in text and "Teacher A1" in text
    assert f"/rounds/lessons/{study.pk}/edit/" in text


def test_a_finished_study_offers_sharing_to_the_boards_leaders_only(client, world) -> None:
    study = finished(world)
    page = signed_in(client, world, "board_a").get(f"/rounds/lessons/{study.pk}/").content.decode()
    assert f'action="/rounds/lessons/{study.pk}/share/"' in page
    assert "/edit/" not in page
    page = signed_in(client, world, "principal_a1").get(f"/rounds/lessons/{study.pk}/").content
    text = page.decode()
    assert "/share/" not in text
    assert "Who can share it" in text and "Board A" in text


def test_sharing_leads_to_the_draft_and_never_makes_two(client, world) -> None:
    study = finished(world)
    signed_in(client, world, "board_a")
    first = client.post(f"/rounds/lessons/{study.pk}/share/")
    item = Item.objects.get()
    assert first["Location"] == f"/learning/{item.slug}/draft/"
    second = client.post(f"/rounds/lessons/{study.pk}/share/")
    assert second["Location"] == first["Location"]
    assert Item.objects.count() == 1
    page = client.get(f"/rounds/lessons/{study.pk}/").content.decode()
    assert "Edit the draft case study" in page


def test_sharing_a_study_in_progress_says_why_not(client, world) -> None:
    study = start(world)
    response = signed_in(client, world, "board_a").post(
        f"/rounds/lessons/{study.pk}/share/", follow=True
    )
    assert "once it is finished" in response.content.decode()
    assert not Item.objects.exists()


def test_a_shared_studys_page_says_so_to_its_team(client, world) -> None:
    study = shared(world)
    page = signed_in(client, world, "teacher_a1").get(f"/rounds/lessons/{study.pk}/").content
    assert "are writing it" in page.decode()


def test_two_tabs_changing_a_study_lose_nothing(client, world) -> None:
    study = start(world)
    signed_in(client, world, "teacher_a1")
    form = client.get(f"/rounds/lessons/{study.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in form
    data = study_form(world, team=[world.personas["teacher_a1"].pk], version="1")
    assert client.post(f"/rounds/lessons/{study.pk}/edit/", data).status_code == 302
    stale = client.post(
        f"/rounds/lessons/{study.pk}/edit/",
        {**data, "title": "My own title from the old tab"},
    )
    page = stale.content.decode()
    assert "after you opened it" in page
    assert "The study as it was saved" in page and "Fractions on a number line" in page
    assert 'value="My own title from the old tab"' in page and 'name="version" value="2"' in page
    study.refresh_from_db()
    assert study.title == "Fractions on a number line"


def test_a_finished_study_is_not_changed(client, world) -> None:
    study = finished(world)
    assert (
        signed_in(client, world, "teacher_a1").get(f"/rounds/lessons/{study.pk}/edit/").status_code
        == 403
    )


# --- a cycle's page --------------------------------------------------------------------------


def cycle_url(study, number: int = 1) -> str:
    return f"/rounds/lessons/{study.pk}/cycles/{number}/"


def test_the_team_walks_a_cycle_through_its_steps(client, world) -> None:
    study = start(world)
    signed_in(client, world, "teacher_a1")
    page = client.get(cycle_url(study)).content.decode()
    assert 'aria-current="step"' in page and "Now: Plan the lesson" in page
    assert 'value="teach"' in page and 'value="critique"' not in page
    version = current(study).version
    response = client.post(
        cycle_url(study),
        {**RECORDS[CycleStep.PLAN], "version": version, "move": "teach"},
        follow=True,
    )
    assert "next, teach it and observe it" in response.content.decode()
    cycle = current(study)
    assert cycle.step == CycleStep.TEACH
    page = client.get(cycle_url(study)).content.decode()
    assert "A bigger denominator" in page  # the plan's records, read-only now
    assert 'name="lesson_plan"' not in page and 'name="observations"' in page


def test_moving_on_with_a_record_missing_saves_and_says_what_is_missing(client, world) -> None:
    study = start(world)
    signed_in(client, world, "teacher_a1")
    response = client.post(
        cycle_url(study),
        {"lesson_plan": "Strips first.", "misconceptions": "", "version": 1, "move": "teach"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Saved, but not moved on" in page
    assert "Write the misconceptions the team anticipates" in page
    cycle = current(study)
    assert (cycle.step, cycle.lesson_plan) == (CycleStep.PLAN, "Strips first.")
    assert f'name="version" value="{cycle.version}"' in page


def test_judging_words_are_suggestions_beside_the_observations(client, world) -> None:
    study = walk(world, start(world), CycleStep.TEACH)
    record(world, study, taught_on=timezone.localdate(), observations="An excellent lesson.")
    page = signed_in(client, world, "teacher_a1").get(cycle_url(study)).content.decode()
    assert "Describe rather than judge" in page and "“excellent”" in page
    assert "Write what the students said" in page


def test_a_finished_cycle_is_read_only(client, world) -> None:
    study = walk(world, start(world), services.AGAIN)
    signed_in(client, world, "teacher_a1")
    page = client.get(cycle_url(study, 1)).content.decode()
    assert "This cycle is finished" in page and '<form method="post" class' not in page
    assert "Eleven of 24 students" in page and "Give 8 minutes" in page
    assert client.post(cycle_url(study, 1), {"revisions": "Later", "version": 9}).status_code == 403
    page = client.get(cycle_url(study, 2)).content.decode()
    assert "What we changed after cycle 1:" in page  # the revised lesson to start from
    assert client.get(cycle_url(study, 3)).status_code == 404


def test_finishing_from_the_page(client, world) -> None:
    study = walk(world, start(world), CycleStep.REVISE)
    signed_in(client, world, "team_a1")
    cycle = current(study)
    response = client.post(
        cycle_url(study),
        {
            "revisions": "Nothing more",
            "findings": "Strips help once aligned.",
            "version": cycle.version,
            "move": "finish",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The study is finished" in page
    study.refresh_from_db()
    assert study.findings == "Strips help once aligned."


def test_a_cycle_page_names_nobody_who_observed(client, world) -> None:
    study = walk(world, start(world), CycleStep.CRITIQUE)
    page = signed_in(client, world, "board_a").get(cycle_url(study)).content.decode()
    assert "Eleven of 24 students" in page
    assert "Teacher A1" not in page and "Team A1" not in page


def test_a_reader_who_does_not_write_sees_no_form(client, world) -> None:
    study = start(world, team=("team_a1",))
    page = signed_in(client, world, "teacher_a1").get(cycle_url(study)).content.decode()
    assert 'name="version"' not in page and "The team is at this step" in page
    assert client.post(cycle_url(study), {"version": 1}).status_code == 403


def test_two_tabs_on_a_cycle(client, world) -> None:
    study = start(world)
    signed_in(client, world, "teacher_a1")
    client.post(cycle_url(study), {"lesson_plan": "First tab", "misconceptions": "", "version": 1})
    response = client.post(
        cycle_url(study), {"lesson_plan": "Second tab", "misconceptions": "", "version": 1}
    )
    page = response.content.decode()
    assert "after you opened it" in page and "Second tab" in page
    assert current(study).lesson_plan == "First tab"


def test_the_pages_in_french(client, world) -> None:
    study = walk(world, start(world), CycleStep.TEACH)
    signed_in(client, world, "teacher_a1")
    client.cookies["django_language"] = "fr"
    page = client.get(cycle_url(study), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Enseigner et observer" in page
    assert "Cycle 1" in page


def test_a_cycle_that_moved_on_meanwhile_keeps_what_was_written(client, world) -> None:
    study = start(world)
    walk(world, study, CycleStep.TEACH, by="team_a1")  # another tab planned it and moved on
    signed_in(client, world, "teacher_a1")
    response = client.post(
        cycle_url(study),
        {
            "lesson_plan": "My plan from the old tab",
            "misconceptions": "Mine",
            "version": 1,
            "step": "plan",
        },
    )
    page = response.content.decode()
    assert "after you opened it" in page
    assert "What you wrote, not saved" in page and "My plan from the old tab" in page
    assert 'name="observations"' in page and 'name="lesson_plan"' not in page
    assert current(study).lesson_plan == RECORDS[CycleStep.PLAN]["lesson_plan"]


def test_a_cycle_finished_meanwhile_shows_no_form(client, world) -> None:
    study = walk(world, start(world), CycleStep.REVISE)
    version = current(study).version
    walk(world, study, services.AGAIN, by="team_a1")
    signed_in(client, world, "teacher_a1")
    response = client.post(cycle_url(study), {"revisions": "Late", "version": version})
    assert response.status_code == 403  # the cycle is finished: nothing to write any more
    page = client.get(cycle_url(study, 2)).content.decode()
    assert "Now: Plan the lesson" in page


def test_teaching_again_from_the_page_lands_on_the_next_cycle(client, world) -> None:
    study = walk(world, start(world), CycleStep.REVISE)
    signed_in(client, world, "teacher_a1")
    page = client.get(cycle_url(study)).content.decode()
    assert 'value="again"' in page and 'value="finish"' in page and 'name="findings"' in page
    response = client.post(
        cycle_url(study),
        {"revisions": "Start with halves.", "version": current(study).version, "move": "again"},
    )
    assert response["Location"] == cycle_url(study, 2)
    page = client.get(cycle_url(study, 2)).content.decode()
    assert "Cycle 2 starts from the revised lesson" in page
    assert "Start with halves." in page and 'aria-current="page"' in page


def test_a_skipped_step_is_refused_with_its_reason_on_the_page(client, world) -> None:
    study = start(world)
    signed_in(client, world, "teacher_a1")
    response = client.post(
        cycle_url(study), {**RECORDS[CycleStep.PLAN], "version": 1, "move": "critique"}
    )
    page = response.content.decode()
    assert "next comes “Teach and observe”" in page
    assert current(study).step == CycleStep.PLAN


def test_checking_the_wording_saves_nothing(client, world) -> None:
    study = walk(world, start(world), CycleStep.TEACH)
    signed_in(client, world, "teacher_a1")
    version = current(study).version
    data = {"observations": "A great task.", "version": version, "check": "1"}
    partial = client.post(cycle_url(study), data, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "“great”" in partial
    clean = client.post(
        cycle_url(study), {**data, "observations": "Pairs lined up strips."}, HTTP_HX_REQUEST="true"
    )
    assert "No judging word found" in clean.content.decode()
    page = client.post(cycle_url(study), data).content.decode()  # without htmx: the whole page
    assert "“great”" in page and 'value="A great task."' not in page and "A great task." in page
    assert current(study).version == version and current(study).observations == ""
