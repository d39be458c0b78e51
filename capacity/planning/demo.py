"""Improvement plans for the demo province, at every stage of the Plan-Act-Observe-Reflect cycle.

Built after the demo's results (capacity.evidence.demo), so that plans read
the evidence the way real ones would:

* every school the default policy identifies in the latest results year gets
  a focused-intervention plan (planning.services.focused_intervention_plans);
* the demo principals' schools, a sample of other schools and some boards get
  plans that stand at every stage: drafts, plans waiting for review, plans
  returned with comments, plans in Act, Observe and Reflect, and closed years
  whose unfinished goals were carried into the next year's plan;
* plans hold goals (now and then more than four, to show the warning),
  targets on the Grade 3 and 6 assessments with baselines from the school's
  own results, custom measures with dated entries, strategies with their
  drivers (a few leaning on accountability or technology), checkpoints (some
  overdue), co-reflections with replies, and support requests open and
  answered (reciprocity).

One sign-in is kept for the whole journey in the browser: `principal.focus`,
the principal of an identified school whose focused-intervention plan is
started but not submitted, reviewed by `superintendent.focus` (or by
`ministry`).

The plans the demo sign-ins act on (the demo principals' own schools and the
demo board leaders' board plans) are written through planning.services, as a
person would in the app. The rest of the province-wide sample is written by a
bulk writer that leaves the same rows, versions and PlanChange history (a
test holds the two to the same result), because a service call per step
takes over a minute on SQLite for a few hundred plans; closing a year still
goes through the service, which carries the unfinished goals forward.
Measure entries and timelines have no service and are created directly, and
the principals on record for sampled schools are bulk-created like the
directory demo's directors.

Texts are demo data, in English, and never name a student: marker students
are codes such as M-07. The same seed gives the same plans.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Count
from django.utils import timezone

from capacity.directory.demo import _FAMILY, _GIVEN, DEMO_PASSWORD, LATEST_YEAR
from capacity.directory.models import Board, Membership, Role, School, User
from capacity.directory.services import membership_grant, user_create
from capacity.evidence.analytics.schema import school_year_label
from capacity.evidence.models import Assessment, Result
from capacity.planning import services
from capacity.planning.cycle import SYSTEM, TASKS_BY_CODE, TEAM, tasks_for
from capacity.planning.models import (
    Checkpoint,
    CoReflection,
    Driver,
    Goal,
    Kind,
    Plan,
    PlanChange,
    Reply,
    Review,
    Stage,
    Strategy,
    Submission,
    SupportRequest,
    Target,
    TargetEntry,
    TaskDone,
    Timeline,
)
from capacity.planning.progress import measured_values

FOCUS_PRINCIPAL = "principal.focus"
FOCUS_SUPERINTENDENT = "superintendent.focus"
ACTOR = "capacity demo"

SAMPLE_SCHOOLS = 180  # schools with a plan besides the identified ones and the demo principals' own
SAMPLE_BOARDS = 14  # boards with a board plan besides the demo board leaders' own
HISTORY_SHARE = 0.3  # share of sampled plans that follow a closed plan from the year before

# What a plan went through, by where it stands now. "closed" closes the year
# and leaves next year's plan as a draft holding the unfinished goals.
DRAFT, SUBMITTED, RETURNED, ACCEPTED = "draft", "submitted", "returned", "accepted"
ACT, OBSERVE, REFLECT, CLOSED = "act", "observe", "reflect", "closed"
SCRIPTS: dict[str, int] = {  # script: weight in the sample
    DRAFT: 14, SUBMITTED: 11, RETURNED: 10, ACCEPTED: 4, ACT: 20, OBSERVE: 16, REFLECT: 12, CLOSED: 13,
}
_ORDER = (DRAFT, SUBMITTED, RETURNED, ACCEPTED, ACT, OBSERVE, REFLECT, CLOSED)


def _year(start: int) -> str:
    return school_year_label(start)


YEAR = _year(LATEST_YEAR)  # the latest results year: the year of the plans that stand at every stage
PREVIOUS = _year(LATEST_YEAR - 1)


# --- texts --------------------------------------------------------------------------------------

_LITERACY_GOALS = (
    "More Grade {grade} students will read for meaning: making inferences and supporting them with evidence "
    "from the text.",
    "Grade {grade} students will write organised, well-developed responses that show their thinking.",
    "Junior students will choose and use comprehension strategies on their own when a text gets hard.",
    "More primary students will read fluently and with understanding by the end of Grade 3.",
    "Students will express their ideas clearly in writing in every subject, using success criteria built "
    "with them.",
    "Every student in Grades {grade_low} to {grade} will talk about what they read and back up their ideas.",
    "Students will build the vocabulary they need to understand and write about texts across the curriculum.",
)
_MATH_GOALS = (
    "More Grade {grade} students will solve multi-step problems and explain their reasoning.",
    "Students will develop number sense and fluency with operations, so that fewer finish the year below "
    "level 3 in mathematics.",
    "Junior students will reason proportionally, moving between models, numbers and words.",
    "Students will stay with rich mathematics tasks when they are hard and communicate how they solved them.",
    "Grade {grade} students will connect fractions, decimals and percents and use them to solve problems.",
    "Students will use spatial reasoning and measurement to model real situations.",
)
_WELL_BEING_GOALS = (
    "Every student will feel they belong at school and will name an adult they can go to.",
    "Students will come to school regularly and take part in the life of the school.",
    "Students will learn to recognise and manage their emotions so they are ready to learn.",
    "Families will feel welcome and take part as partners in their children's learning.",
    "Students will see themselves and their communities in what they learn and read.",
)
_GROUP_GOALS = {
    "ell": "English language learners in Grade {grade} will read and write with growing independence, with "
           "language supports planned into every lesson.",
    "special_education": "Students with special education needs will reach their learning goals in "
                         "{subject}, with the accommodations in their plans used every day.",
    "male": "Boys in Grade {grade} will write more, and with more purpose, about topics that matter to them.",
}
_MARKER_GOALS = (
    "Our marker students ({codes}), who read just below the standard in the fall, will reach level 3 by June; "
    "what works for them will guide the whole division.",
    "The team will follow marker students {codes} closely in mathematics and use their work to decide the next "
    "teaching move each month.",
    "Marker students {codes} will explain their thinking in writing, and their progress will tell us whether "
    "our writing approach is working.",
)
_SECONDARY_GOALS = (
    ("More Grade 9 students will earn all of their credits in their first year.",
     "Grade 9 students on track to earn all eight credits (%)", "other"),
    ("Students writing the literacy test for the first time will succeed on their first attempt.",
     "First-time eligible students successful on the literacy test (%)", "literacy"),
    ("Students in Grade 9 mathematics will succeed in the de-streamed course.",
     "Grade 9 mathematics students earning the credit (%)", "mathematics"),
    ("Every student will have a pathway plan and a caring adult who knows it.",
     "Students with an up-to-date individual pathways plan (%)", "well_being"),
    ("Students will feel safe and connected at school.",
     "Students who report feeling safe and connected on the school climate survey (%)", "well_being"),
)
_CUSTOM_MEASURES = {
    "literacy": (
        "Students reading at or above grade level on running records (%)",
        "Students meeting the success criteria on the common writing task (%)",
        "Students using two or more comprehension strategies on the division reading task (%)",
    ),
    "mathematics": (
        "Students at level 3 or above on the common problem-solving task (%)",
        "Students fluent with number facts on the monthly check (%)",
    ),
    "well_being": (
        "Students who say an adult at school cares about them (climate survey, %)",
        "Students absent fewer than one day in ten (%)",
        "Students who say they belong at this school (climate survey, %)",
    ),
    "marker": (
        "Marker students at the expected level on running records (%)",
        "Marker students meeting the success criteria on the common task (%)",
    ),
}

# (action, who is responsible, professional learning, resources, drivers)
_Strategy = tuple[str, str, str, str, list[str]]
_LITERACY_STRATEGIES: tuple[_Strategy, ...] = (
    ("Each division co-plans a guided reading cycle and brings student work to a monthly moderation session.",
     "Division leads", "Moderating student writing with the board's literacy consultant",
     "Release time for four half days", [Driver.COLLABORATIVE_WORK, Driver.PEDAGOGY]),
    ("Teachers co-construct success criteria for writing with students and give descriptive feedback "
     "against them.", "Junior teachers", "Assessment for learning: feedback that moves learning forward",
     "Mentor texts for each grade", [Driver.PEDAGOGY]),
    ("A literacy learning team meets every two weeks to look at marker students' work and plan the next "
     "teaching move.", "Literacy lead and principal", "Pedagogical documentation in a learning team",
     "Common planning time every second week", [Driver.COLLABORATIVE_WORK, Driver.CAPACITY_BUILDING]),
    ("Daily read-alouds and accountable talk in every class, with prompts that ask for evidence from the text.",
     "All classroom teachers", "Accountable talk: prompts and routines", "Classroom libraries refreshed with "
     "diverse texts", [Driver.PEDAGOGY]),
    ("Teachers visit each other's classrooms in triads to see the new comprehension routines in use.",
     "Principal and triads", "Co-teaching and debriefing", "Coverage for classroom visits",
     [Driver.CAPACITY_BUILDING, Driver.COLLABORATIVE_WORK]),
    ("The school joins the board's primary literacy network and shares its inquiry with two other schools.",
     "Principal", "Network sessions with the board's consultants", "Travel and release for network days",
     [Driver.SYSTEMNESS, Driver.COLLABORATIVE_WORK]),
    ("Small-group instruction three times a week for students just below the standard, planned from running "
     "records.", "Grade teams and the resource teacher", "Using running records to plan instruction",
     "Levelled texts", [Driver.PEDAGOGY, Driver.CAPACITY_BUILDING]),
)
_MATH_STRATEGIES: tuple[_Strategy, ...] = (
    ("Weekly co-planning of a rich problem for each junior class, followed by a consolidation discussion.",
     "Junior team", "Leading a consolidation discussion", "Manipulatives for each classroom",
     [Driver.COLLABORATIVE_WORK, Driver.PEDAGOGY]),
    ("Number talks every day for ten minutes in Grades 1 to 6.", "All classroom teachers",
     "Number talks: purposeful strategies and representations", "", [Driver.PEDAGOGY]),
    ("A mathematics learning team studies the same lesson in three classrooms and refines it together.",
     "Math lead and the board's math facilitator", "Collaborative inquiry with the facilitator",
     "Release time for the lesson study", [Driver.CAPACITY_BUILDING, Driver.COLLABORATIVE_WORK]),
    ("Teachers use the common problem-solving task three times a year and moderate the results together.",
     "Grade teams", "Moderating mathematics tasks", "", [Driver.COLLABORATIVE_WORK, Driver.PEDAGOGY]),
    ("The school works with its family of schools on proportional reasoning from Grade 6 to Grade 9.",
     "Principal and secondary mathematics head", "Cross-panel sessions", "", [Driver.SYSTEMNESS]),
    ("Visible thinking: students solve problems at vertical surfaces in random groups twice a week.",
     "Grade 4 to 6 teachers", "Thinking classroom routines", "Whiteboards for each classroom",
     [Driver.PEDAGOGY, Driver.CAPACITY_BUILDING]),
)
_WELL_BEING_STRATEGIES: tuple[_Strategy, ...] = (
    ("A breakfast program every morning, run with a community partner.", "Vice-principal and community partner",
     "", "Food donated by the partner; space in the library", [Driver.SYSTEMNESS]),
    ("Every student is matched with an adult mentor who checks in weekly.", "All staff",
     "Building relationships with students who are disengaged", "", [Driver.CAPACITY_BUILDING]),
    ("Classroom circles each week so students can name how they are and what they need.", "Classroom teachers",
     "Restorative practices", "", [Driver.PEDAGOGY, Driver.COLLABORATIVE_WORK]),
    ("Family learning evenings each term, with interpreters, on how to support reading at home.",
     "School council and principal", "", "Interpreters and childcare", [Driver.COLLABORATIVE_WORK]),
    ("Attendance team reviews each month which students are missing school and calls families first.",
     "Attendance team", "", "", [Driver.COLLABORATIVE_WORK, Driver.SYSTEMNESS]),
)
_SECONDARY_STRATEGIES: tuple[_Strategy, ...] = (
    ("A student success team meets weekly on every Grade 9 student at risk of missing a credit.",
     "Student success teacher", "Early intervention for credit recovery", "",
     [Driver.COLLABORATIVE_WORK, Driver.SYSTEMNESS]),
    ("Subject teams co-plan literacy strategies for their courses and share them at department meetings.",
     "Department heads", "Literacy across the content areas", "", [Driver.CAPACITY_BUILDING, Driver.PEDAGOGY]),
    ("Grade 8 and Grade 9 mathematics teachers plan the transition units together.",
     "Mathematics head and feeder school teams", "Cross-panel planning", "Release days",
     [Driver.SYSTEMNESS, Driver.COLLABORATIVE_WORK]),
)
# Strategies that lead with the wrong drivers: demo plans with these show the warning.
_WRONG_STRATEGIES: tuple[_Strategy, ...] = (
    ("Post each class's test averages in the staff room and go through them at every staff meeting.",
     "Principal", "", "", [Driver.ACCOUNTABILITY]),
    ("Buy a reading app for every student and track the minutes each class logs.", "Vice-principal",
     "Vendor training on the app's dashboard", "Licences for every student", [Driver.TECHNOLOGY]),
    ("Walk-throughs with a checklist; teachers rated below expectations get an improvement plan.", "Principal",
     "", "", [Driver.ACCOUNTABILITY, Driver.INDIVIDUAL_QUALITY]),
    ("Interactive displays in every junior classroom, with practice software for mathematics.",
     "Technology lead", "Training on the software", "Displays for eight classrooms", [Driver.TECHNOLOGY]),
    ("Each teacher picks a program from the catalogue to run in their own class.", "Classroom teachers", "",
     "Program budget", [Driver.FRAGMENTED]),
)

_BOARD_GOALS = {
    "mission": ("Every school will know, and work toward, the same three priorities for student achievement "
                "and well-being.", "other"),
    "instructional_guidance": ("A coherent approach to mathematics teaching across the board, so that more "
                               "Grade 6 students reach the provincial standard.", "mathematics"),
    "evidence": ("School and system teams will weigh several kinds of evidence (results, classroom work, student "
                 "voice) in every planning decision.", "literacy"),
    "improvement_processes": ("Every school improvement plan will follow the inquiry cycle, with checkpoints the "
                              "board monitors alongside the schools.", "literacy"),
    "professional_development": ("Job-embedded professional learning in every school, tied to what its "
                                 "evidence shows students need.", "literacy"),
    "alignment": ("Budgets, staffing and time will follow the board's priorities, with more support going to "
                  "schools in focused intervention.", "other"),
    "leadership_development": ("Every principal and vice-principal will learn with peers in a leadership "
                               "network focused on instruction.", "other"),
    "trustees": ("Trustees will set policy around student achievement and well-being and review progress with "
                 "the director twice a year.", "well_being"),
    "relationships": ("Families, community partners and staff will work together toward the board's goals.",
                      "well_being"),
}
_BOARD_MEASURES = {
    "mission": "Schools whose plan names the board's three priorities (%)",
    "alignment": "Schools in focused intervention with a dedicated coach (%)",
    "leadership_development": "Principals and vice-principals active in a leadership network (%)",
    "relationships": "Families who say the school keeps them informed (family survey, %)",
    "trustees": "Students who say they belong at school (board climate survey, %)",
}
_BOARD_STRATEGIES: tuple[_Strategy, ...] = (
    ("Superintendents visit every school's learning team each term and give feedback on its inquiry.",
     "Superintendents of education", "Learning walks with a focus on evidence of student learning", "",
     [Driver.SYSTEMNESS, Driver.CAPACITY_BUILDING]),
    ("Instructional coaches are assigned first to schools in focused intervention.", "Director and "
     "superintendents", "", "Six coaching positions", [Driver.CAPACITY_BUILDING, Driver.SYSTEMNESS]),
    ("Networks of schools with similar needs meet four times a year to share what works.",
     "Program department", "Facilitating collaborative inquiry", "Release time for network days",
     [Driver.COLLABORATIVE_WORK, Driver.SYSTEMNESS]),
    ("A common mathematics resource and assessment framework for Grades 1 to 8.", "Mathematics lead",
     "Sessions for every school's math lead", "Board-wide licences for the resource",
     [Driver.PEDAGOGY, Driver.SYSTEMNESS]),
    ("Principals bring their school's evidence to a board data day in the fall and plan with their peers.",
     "Research and assessment team", "Reading the evidence together", "",
     [Driver.COLLABORATIVE_WORK, Driver.CAPACITY_BUILDING]),
    ("A board dashboard ranks schools by results each month.", "Research and assessment team", "",
     "Dashboard licence", [Driver.ACCOUNTABILITY, Driver.TECHNOLOGY]),
)

_TITLES = {
    "literacy": ("Reading for meaning", "Writing with purpose", "Literacy across the day", "Every child a reader"),
    "mathematics": ("Reasoning in mathematics", "Numeracy first", "Thinking mathematically"),
    "well_being": ("Belonging and learning", "Ready to learn"),
    "other": ("Pathways to success", "Every credit counts"),
}
_BOARD_TITLES = ("Every student, every school", "Learning together", "One board, three priorities",
                 "Achievement and well-being for all")
_CHECKPOINTS = (
    "First look at student work against the targets",
    "Fall running records and common task",
    "Mid-year review of the marker students",
    "Winter moderation of the common task",
    "Spring check on the targets",
    "Look at the climate survey results",
    "Review of strategies with the learning team",
    "End-of-year evidence before reflection",
)
_EVIDENCE = (
    "Running records for every Grade 1 to 3 student; writing samples from the common task.",
    "Results of the common problem-solving task, moderated by grade teams.",
    "Marker students' work samples, with the team's notes and photos of their thinking.",
    "Attendance for the term and the student voice survey.",
    "Classroom observations from the triad visits and teachers' planning notes.",
)
_PROGRESS = (
    "About two thirds of the students we follow have moved up a level; the rest are holding steady.",
    "Progress is slower than planned in writing; reading is on track.",
    "The marker students are responding to the small-group work: four of six improved.",
    "Not much change yet. Teachers say the routines are new and not yet used every day.",
    "Students are explaining their thinking more; the task results show it in Grades 4 and 5 but not 6.",
    "Attendance improved for most of the students we follow; three are still missing more than a day a week.",
)
_ADJUSTMENTS = (
    "Add a second small-group session each week for the students who have not moved.",
    "Move the moderation session earlier so teachers can act on it before the report cards.",
    "Ask the board's consultant to model a lesson in Grade 6.",
    "Keep the strategy; it needs more time.",
    "Spend less time on the app and more on talk about texts.",
    "Bring two families into the planning of the next learning evening.",
)
_RETURN_COMMENTS = (
    "The targets are clear, but the strategies do not say how teachers will learn the new approach. Add the "
    "professional learning and who leads it.",
    "One of the goals has no target yet. Tie it to the Grade 6 results or to a measure the team will collect.",
    "This is a lot of goals for one year. Which two or three matter most for the students you identified?",
    "The plan leans on monitoring scores. What will change in classrooms? Say what teachers will do together.",
    "Please add a checkpoint before the winter break, so the team can adjust early.",
    "The baseline for the writing target looks off; check it against last year's results.",
)
_RETURN_BOARD_COMMENTS = (
    "The goals fit the board's evidence, but the plan does not say how the schools in focused intervention "
    "will be supported. Add that before we accept it.",
    "Please tie the well-being goal to a measure you will collect, and say when the trustees will see it.",
)
_THEMES = (
    "Teachers are talking about student work, not only about results.",
    "The strategies are the right ones but they are spread thin: five initiatives in one term.",
    "Marker students are a strong anchor for the team's conversations.",
    "Writing is moving; mathematics is not yet.",
    "Students' voice is missing from the evidence so far.",
    "The school's work on belonging is showing up in attendance.",
    "Leadership for learning is shared: the literacy lead runs the learning team.",
    "The plan depends on one person; what happens if they leave?",
)
_KEEP = (
    "Keep the monthly moderation: it is where teachers learn from each other.",
    "Keep the small-group instruction and the records that go with it.",
    "Keep following the marker students; the notes are excellent.",
    "Keep the family evenings; the turnout has grown each term.",
    "Keep the checkpoints honest, as they have been.",
)
_CONSIDER = (
    "Consider dropping one strategy so the others get the time they need.",
    "Consider visiting a school in the network that moved Grade 6 mathematics last year.",
    "Consider asking students what helps them learn, and adding it to the evidence.",
    "Consider whether the target is high enough: the school already passed it in one grade.",
    "Consider how the new teachers will be brought into the routines.",
)
_REPLIES = (
    "Thank you. We will drop the reading app and put that time into the learning team.",
    "Agreed on student voice: we will add a short survey to the next checkpoint.",
    "We have set up a visit for the junior team next month.",
    "Good question. The vice-principal will co-lead the learning team from January.",
    "We talked about the target as a staff and decided to raise it.",
    "Thanks for noticing. The teachers were glad to hear it.",
)
_SYSTEM_REPLIES = (
    "Glad to hear it. The consultant can join your next session if that helps.",
    "That sounds right. Let us know after the spring checkpoint.",
)
_TRIED = (
    "We tried guided reading in small groups for two terms, but our Grade 3 results did not move and we are not "
    "sure what to do next.",
    "Our junior teachers have used number talks since September; students are more confident but still "
    "struggle with multi-step problems.",
    "We reorganised the timetable for a daily literacy block, yet a third of our students are still below the "
    "standard in writing.",
    "We started a breakfast program and mentoring, and attendance is better, but our students learning English "
    "are still far behind in reading.",
    "We ran a lesson study in Grade 6 mathematics, and teachers want someone who can model the consolidation "
    "part of the lesson.",
    "We have many new teachers this year and the routines we built last year are being lost.",
)
_NEED_DETAIL = (
    "A literacy coach in the school one day a week until June.",
    "A session for the whole staff on teaching writing to students learning English.",
    "Someone who has led a lesson study to work with our junior team.",
    "Release time for the learning team to meet every second week.",
    "Advice on which measure to use for our well-being goal.",
    "Levelled texts in French for the primary classes.",
)
_ANSWERS = (
    ("The board's literacy coach will be in the school every Tuesday from next month until June.", ["people"]),
    ("We will run a session on writing for English language learners at your next staff meeting, and share "
     "the board's resource.", ["professional_learning", "knowledge"]),
    ("The math facilitator will join your lesson study for three cycles.", ["people", "professional_learning"]),
    ("Release days for four learning-team meetings are approved.", ["resources"]),
    ("Here are two measures other schools used, with their surveys; the research officer can help set one up.",
     ["knowledge"]),
    ("We have ordered a set of levelled French texts for each primary class.", ["resources"]),
)
_BOARD_TRIED = (
    "We put coaches in our focused-intervention schools, but we have no way to tell which of their practices "
    "make a difference.",
    "Our principals ask for help reading the evidence about students learning English and we lack the "
    "expertise at the board.",
)
_IMPACT = (
    "Reading moved more than we expected in the primary grades; the junior grades moved less. The learning "
    "team is now part of how we work.",
    "We met our writing target but not our mathematics target. The strategies we kept to, with time to learn "
    "them together, worked; the ones we added in mid-year did not.",
    "Progress was uneven: students we followed closely improved, others did not. We spread ourselves over too "
    "many strategies.",
    "Attendance and belonging improved, and we see early signs in reading. Mathematics remains our biggest "
    "need.",
)
_NEXT_STEPS = (
    "Carry the mathematics goal forward with fewer strategies, and bring the junior team into the lesson study.",
    "Keep the literacy learning team, add student voice to our evidence, and set a higher target for writing.",
    "Focus on two goals next year and start the checkpoints earlier.",
    "Work with the family of schools on the Grade 6 to 9 transition.",
)


# --- people ---------------------------------------------------------------------------------------


@dataclass
class _Cast:
    """Who acts in the demo plans, loaded once so each person's access scope is computed once."""

    ministry: User
    school_team: dict[int, User] = field(default_factory=dict)  # school id: its principal (or team member)
    board_team: dict[int, User] = field(default_factory=dict)  # board id: the leader who owns the board plan
    board_reviewer: dict[int, User] = field(default_factory=dict)  # board id: the leader who reviews its schools
    made: int = 0  # people created for the demo plans


def _load_cast() -> _Cast:
    ministry_row = (Membership.objects.filter(role=Role.MINISTRY_OFFICER).select_related("user")
                    .order_by("id").first())
    if ministry_row is None:
        raise ValueError("The demo plans need the demo province: build it first (it has a ministry officer).")
    cast = _Cast(ministry=ministry_row.user)
    users: dict[int, User] = {}
    for row in Membership.objects.filter(
        role__in=[Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.BOARD_LEADER]
    ).select_related("user").order_by("id"):
        user = users.setdefault(row.user_id, row.user)
        if row.role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) and row.school_id is not None:
            cast.school_team.setdefault(row.school_id, user)
        elif row.role == Role.BOARD_LEADER and row.board_id is not None:
            cast.board_team.setdefault(row.board_id, user)
            if "superintendent" in row.title.lower():
                cast.board_reviewer[row.board_id] = user
    for board_id, user in cast.board_team.items():
        cast.board_reviewer.setdefault(board_id, user)
    return cast


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"


def _principals_on_record(cast: _Cast, rng: random.Random, schools: list[School]) -> None:
    """A principal for each school that has none, on record like the boards' directors: they cannot sign
    in. Hundreds of them, so written in bulk as the directory's demo writes the directors."""
    missing = sorted((s for s in schools if s.pk not in cast.school_team), key=lambda s: s.number)
    if not missing:
        return
    password = make_password(None)
    users = User.objects.bulk_create([
        User(username=f"principal.{s.number}", display_name=_name(rng), password=password) for s in missing
    ])
    made = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    Membership.objects.bulk_create([
        Membership(user=made[f"principal.{s.number}"], role=Role.PRINCIPAL, school=s) for s in missing
    ])
    for school in missing:
        cast.school_team[school.pk] = made[f"principal.{school.number}"]
    cast.made += len(missing)


def _sign_in(cast: _Cast, rng: random.Random, username: str, role: str, org: School | Board, title: str) -> User:
    """A demo sign-in (listed by `capacity serve`, password DEMO_PASSWORD)."""
    user = user_create(username=username, email=f"{username}@demo.capacity.invalid", display_name=_name(rng),
                       password=DEMO_PASSWORD, check_password=False, actor_label=ACTOR)
    membership_grant(user=user, role=role, organisation=org, title=title, actor_label=ACTOR)
    cast.made += 1
    return user


# --- what a plan holds ----------------------------------------------------------------------------


@dataclass
class _Context:
    """What a plan is built from: where it belongs, what evidence it can aim at, who does what."""

    plan: Plan
    team: User
    reviewer: User
    year_start: int
    results: dict[tuple[str, str], float]  # (assessment code, group): value in the baseline year
    secondary: bool = False
    focus_areas: tuple[str, ...] = ()  # for focused intervention: the areas the identification named
    wrong_drivers: bool = False
    entries: int = 1  # dated entries each custom measure has, by how far the plan has gone

    @property
    def baseline_year(self) -> str:
        return _year(self.year_start - 1)


@dataclass
class _GoalSpec:
    values: dict[str, Any]
    # Target fields. Assessment targets carry "_baseline" (what target_add will read from the evidence);
    # custom measures carry their dated "_entries".
    targets: list[dict[str, Any]]
    strategies: list[dict[str, Any]]


class _Content:
    """Goals, targets, strategies and checkpoints, drawn from the texts above and the plan's own evidence."""

    def __init__(self, rng: random.Random, assessments: dict[str, Assessment]) -> None:
        self.rng = rng
        self.assessments = assessments

    def goal_count(self, have: int) -> int:
        if have:
            return min(5, have + (1 if self.rng.random() < 0.4 else 0))
        return self.rng.choices((1, 2, 3, 4, 5), weights=(14, 34, 30, 15, 7))[0]

    def title(self, ctx: _Context, area: str) -> str:
        if ctx.plan.kind == Kind.BOARD:
            return self.rng.choice(_BOARD_TITLES)
        # The designation is never written into a title: pages show it from the plan's flag, which
        # the evidence keeps true, so a title cannot go on claiming it after the school has left.
        return self.rng.choice(_TITLES.get(area, _TITLES["literacy"]))

    def _kind(self, ctx: _Context, index: int) -> str:
        if ctx.plan.kind == Kind.BOARD:
            return "board"
        if ctx.secondary:
            return "secondary"
        if index < len(ctx.focus_areas):
            return ctx.focus_areas[index]
        return self.rng.choices(("literacy", "mathematics", "well_being", "group", "marker"),
                                weights=(30, 30, 12, 14, 14))[0]

    def goal(self, ctx: _Context, index: int, used: set[str]) -> _GoalSpec:
        """One goal with its targets and strategies; `used` holds the characteristics a board plan has named."""
        rng = self.rng
        kind = self._kind(ctx, index)
        groups = sorted({g for _, g in ctx.results if g in _GROUP_GOALS})
        if kind == "group" and not groups:
            kind = "literacy"
        values: dict[str, Any]
        targets: list[dict[str, Any]] = []
        strategies: Sequence[_Strategy]
        if kind == "board":
            characteristic = rng.choice([c for c in _BOARD_GOALS if c not in used] or list(_BOARD_GOALS))
            used.add(characteristic)
            statement, area = _BOARD_GOALS[characteristic]
            values = {"statement": statement, "area": area, "characteristic": characteristic}
            if characteristic in _BOARD_MEASURES:
                targets.append(self._custom(ctx, _BOARD_MEASURES[characteristic]))
            else:
                code = "G6-MATH" if area == "mathematics" else rng.choice(("G3-READ", "G6-READ", "G3-WRITE"))
                targets.append(self._assessed(ctx, code, "all"))
            strategies = _BOARD_STRATEGIES
        elif kind == "secondary":
            statement, measure, area = rng.choice(_SECONDARY_GOALS)
            values = {"statement": statement, "area": area}
            targets.append(self._custom(ctx, measure))
            strategies = _SECONDARY_STRATEGIES + _WELL_BEING_STRATEGIES[:2]
        elif kind == "well_being":
            values = {"statement": rng.choice(_WELL_BEING_GOALS), "area": "well_being"}
            targets.append(self._custom(ctx, rng.choice(_CUSTOM_MEASURES["well_being"])))
            strategies = _WELL_BEING_STRATEGIES
        elif kind == "marker":
            codes = ", ".join(f"M-{n:02d}" for n in sorted(rng.sample(range(1, 40), rng.randint(3, 6))))
            statement = rng.choice(_MARKER_GOALS).format(codes=codes)
            area = "mathematics" if "mathematics" in statement else "literacy"
            values = {"statement": statement, "area": area, "focus": Goal.Focus.MARKER, "marker_codes": codes}
            targets.append(self._custom(ctx, rng.choice(_CUSTOM_MEASURES["marker"])))
            strategies = _LITERACY_STRATEGIES if area == "literacy" else _MATH_STRATEGIES
        elif kind == "group":
            group = rng.choice(groups)
            code = rng.choice(sorted(c for c, g in ctx.results if g == group))
            area = "mathematics" if "MATH" in code else "literacy"
            subject = "mathematics" if area == "mathematics" else "reading and writing"
            values = {"statement": _GROUP_GOALS[group].format(grade=code[1], subject=subject), "area": area,
                      "focus": Goal.Focus.GROUP, "group": group}
            targets.append(self._assessed(ctx, code, group))
            strategies = _MATH_STRATEGIES if area == "mathematics" else _LITERACY_STRATEGIES
        else:
            area = kind
            subjects = ("MATH",) if area == "mathematics" else ("READ", "WRITE")
            available = sorted(c for c, g in ctx.results if g == "all" and c.split("-")[1] in subjects)
            code = rng.choice(available) if available else f"G{rng.choice((3, 6))}-{subjects[0]}"
            grade = int(code[1])
            bank = _MATH_GOALS if area == "mathematics" else _LITERACY_GOALS
            values = {"statement": rng.choice(bank).format(grade=grade, grade_low=grade - 2), "area": area}
            if available:
                targets.append(self._assessed(ctx, code, "all"))
                others = [c for c in available if c != code]
                if others and rng.random() < 0.35:
                    targets.append(self._assessed(ctx, rng.choice(others), "all"))
            if not available or rng.random() < 0.2:  # no results of its own (Grades 7-8): the team measures
                targets.append(self._custom(ctx, rng.choice(_CUSTOM_MEASURES[area])))
            strategies = _MATH_STRATEGIES if area == "mathematics" else _LITERACY_STRATEGIES
        chosen = rng.sample(list(strategies), min(len(strategies), rng.choice((1, 2, 2, 3))))
        if ctx.wrong_drivers and index == 0:
            chosen = [rng.choice(_WRONG_STRATEGIES), *chosen[:1]]
        strategy_rows = []
        for action, responsible, learning, resources, drivers in chosen:
            strategy_rows.append({
                "action": action, "responsible": responsible, "professional_learning": learning,
                "resources": resources, "drivers": [str(d) for d in drivers],
                "starts": datetime.date(ctx.year_start, rng.choice((9, 10, 10, 11)), rng.randint(1, 28)),
                "ends": datetime.date(ctx.year_start + 1, rng.choice((3, 5, 6, 6)), rng.randint(1, 28)),
            })
        return _GoalSpec(values, targets, strategy_rows)

    def _assessed(self, ctx: _Context, code: str, group: str) -> dict[str, Any]:
        """A target a few points above the school's (or the board's) result in the baseline year."""
        if ctx.plan.kind == Kind.BOARD:
            probe = Target(goal=Goal(plan=ctx.plan), assessment=self.assessments[code], group=group)
            baseline = measured_values(probe).get(ctx.baseline_year)
        else:
            baseline = ctx.results.get((code, group))
        raise_by = self.rng.choice((2, 3, 5, 5, 6, 8, 10, 12))
        target = min(100.0, round(baseline + raise_by)) if baseline is not None else float(self.rng.randint(50, 75))
        return {"measure": Target.Measure.ASSESSMENT, "assessment": self.assessments[code], "group": group,
                "baseline_year": ctx.baseline_year, "target_value": target, "_baseline": baseline,
                "target_year": _year(ctx.year_start + self.rng.choice((0, 0, 1)))}

    def _custom(self, ctx: _Context, measure: str) -> dict[str, Any]:
        """A custom measure with the team's dated entries through the plan's year."""
        rng = self.rng
        baseline = float(rng.randint(25, 70))
        target = min(100.0, baseline + rng.choice((6, 8, 10, 12, 15, 20)))
        entries = []
        for step, (month, day) in enumerate(((10, 20), (1, 25), (5, 15))[:ctx.entries], start=1):
            on = datetime.date(ctx.year_start + (month < 9), month, day + rng.randint(-5, 5))
            progress = (target - baseline) * step / 3 * rng.uniform(0.3, 1.3)
            value = round(min(100.0, max(0.0, baseline + progress + rng.gauss(0, 2))), 1)
            entries.append((on, value, rng.choice(_EVIDENCE)))
        return {"measure": Target.Measure.CUSTOM, "description": measure, "group": "all",
                "baseline_year": ctx.baseline_year, "baseline_value": baseline, "target_value": target,
                "target_year": _year(ctx.year_start), "_entries": entries}

    def checkpoints(self, ctx: _Context, count: int) -> list[tuple[datetime.date, str]]:
        y, rng = ctx.year_start, self.rng
        dates = [datetime.date(y, 11, rng.randint(18, 30)), datetime.date(y + 1, 1, rng.randint(20, 31)),
                 datetime.date(y + 1, 3, rng.randint(5, 28)), datetime.date(y + 1, 5, rng.randint(10, 31))]
        chosen = sorted(rng.sample(dates, min(count, len(dates))))
        return list(zip(chosen, rng.sample(_CHECKPOINTS, len(chosen)), strict=True))


# --- writing a plan: through the services, or in bulk --------------------------------------------


@dataclass
class _Request:
    tried: str
    needs: list[str]
    detail: str
    needed_by: datetime.date | None
    to_ministry: bool
    asked: datetime.datetime
    answer: str = ""
    provided: list[str] = field(default_factory=list)
    answerer: User | None = None
    close: bool = False
    answered: datetime.datetime | None = None


class _ServiceWriter:
    """Each step is the service a person would call in the app: rights, versions, history and audit."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.plan = ctx.plan

    def goals(self) -> int:
        return self.plan.goals.count()

    def characteristics(self) -> set[str]:
        return set(self.plan.goals.values_list("characteristic", flat=True))

    def has_checkpoints(self) -> bool:
        return self.plan.checkpoints.exists()

    def checkpoint_count(self) -> int:
        return self.plan.checkpoints.count()

    def update(self, **values: Any) -> None:
        services.plan_update(plan=self.plan, user=self.ctx.team, seen=self.plan.version, **values)

    def add_goal(self, spec: _GoalSpec) -> None:
        team, plan = self.ctx.team, self.plan
        goal = services.goal_add(plan=plan, user=team, seen=plan.version, **spec.values)
        for row in spec.targets:
            values = {k: v for k, v in row.items() if not k.startswith("_")}
            target = services.target_add(goal=goal, user=team, seen=plan.version, **values)  # finds the baseline
            TargetEntry.objects.bulk_create([
                TargetEntry(target=target, on=on, value=value, note=note, recorded_by=team)
                for on, value, note in row.get("_entries", [])
            ])
        for row in spec.strategies:
            services.strategy_add(goal=goal, user=team, seen=plan.version, **row)

    def add_checkpoint(self, due: datetime.date, title: str) -> None:
        services.checkpoint_add(plan=self.plan, user=self.ctx.team, seen=self.plan.version, due=due, title=title)

    def task(self, code: str, user: User) -> None:
        services.task_check(plan=self.plan, user=user, task=code)

    def submit(self) -> None:
        services.plan_submit(plan=self.plan, user=self.ctx.team, seen=self.plan.version)

    def decide(self, accept: bool, comments: str = "") -> None:
        basis = services.review_basis(self.plan)
        assert basis is not None, "the demo decides only on a submitted plan"
        services.plan_decide(plan=self.plan, user=self.ctx.reviewer, accept=accept, comments=comments, **basis)

    def move(self, stage: Stage) -> Plan | None:
        moved = services.stage_move(plan=self.plan, user=self.ctx.team, seen=self.plan.version, to=stage)
        return moved if stage == Stage.CLOSED else None

    def record(self, how_many: int, texts: list[tuple[str, str, str]]) -> None:
        for checkpoint, (evidence, progress, adjustments) in zip(
                list(self.plan.checkpoints.order_by("due", "id"))[:how_many], texts, strict=False):
            if checkpoint.recorded_at is None:  # what was recorded at an earlier stage stands
                services.item_update(item=checkpoint, user=self.ctx.team, seen=self.plan.version,
                                     evidence_gathered=evidence, progress=progress, adjustments=adjustments)

    def coreflect(self, author: User, themes: str, keep: str, consider: str,
                  replies: list[tuple[User, str]]) -> None:
        entry = services.coreflect(plan=self.plan, user=author, themes=themes, keep=keep, consider=consider)
        for user, text in replies:
            services.reply(coreflection=entry, user=user, text=text)

    def ask(self, request: _Request) -> None:
        plan = self.plan
        where: dict[str, Any] = {"board": plan.board} if plan.kind == Kind.BOARD else {"school": plan.school}
        made = services.support_request(user=self.ctx.team, plan=plan, tried=request.tried, needs=request.needs,
                                        detail=request.detail, needed_by=request.needed_by,
                                        to_ministry=request.to_ministry, **where)
        if request.answerer is not None:
            services.support_answer(request=made, user=request.answerer, answer=request.answer,
                                    provided=request.provided, close=request.close)
        # When it was asked and answered (the services stamp both with the present moment).
        SupportRequest.objects.filter(pk=made.pk).update(requested_at=request.asked, answered_at=request.answered)

    def finish(self) -> None:
        pass


def _value(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


class _BulkWriter:
    """The same plan the services would write (rows, versions, history), in a handful of bulk inserts.

    For the province-wide sample, where a service call per step would take
    minutes on SQLite. Every step that would take a new version of the plan
    takes one here too and leaves the same PlanChange row; `finish` writes it
    all. Closing the year still goes through the service, which carries the
    unfinished goals forward.
    """

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.plan = ctx.plan
        self.version = ctx.plan.version
        self.existing_goals = ctx.plan.goals.count()
        self.used = (set(ctx.plan.goals.values_list("characteristic", flat=True))
                     if ctx.plan.kind == Kind.BOARD and self.existing_goals else set())
        self.new_goals: list[tuple[Goal, _GoalSpec]] = []
        self.checkpoints: list[Checkpoint] = []
        self.tasks: list[TaskDone] = []
        self.submissions: list[tuple[Submission, int, int]] = []  # with the version and checkpoints it saw
        self.reflections: list[tuple[CoReflection, list[tuple[User, str]]]] = []
        self.requests: list[SupportRequest] = []
        self.changes: list[PlanChange] = []
        self.now = timezone.now()

    def _log(self, user: User | None, action: str, item: str, fields: dict[str, Any] | None = None,
             *, bump: bool = True) -> None:
        if bump:
            self.version += 1
        self.changes.append(PlanChange(plan=self.plan, by=user, action=action, item=item[:200],
                                       fields=fields or {}, version=self.version))

    @staticmethod
    def _added(values: dict[str, Any]) -> dict[str, list[Any]]:
        return {k: [None, _value(v)] for k, v in values.items() if not k.startswith("_") and v not in ("", None)}

    def goals(self) -> int:
        return self.existing_goals + len(self.new_goals)

    def characteristics(self) -> set[str]:
        return self.used

    def has_checkpoints(self) -> bool:
        return bool(self.checkpoints)

    def checkpoint_count(self) -> int:
        return len(self.checkpoints)

    def update(self, **values: Any) -> None:
        changed = {k: [_value(getattr(self.plan, k)), _value(v)] for k, v in values.items()
                   if getattr(self.plan, k) != v}
        for name, value in values.items():
            setattr(self.plan, name, value)
        self._log(self.ctx.team, "plan_changed", str(self.plan), changed)

    def add_goal(self, spec: _GoalSpec) -> None:
        goal = Goal(plan=self.plan, position=self.goals() + 1, **spec.values)
        goal.full_clean(exclude=["plan"])
        self.new_goals.append((goal, spec))
        self._log(self.ctx.team, "goal_added", str(goal), self._added(spec.values))
        for row in spec.targets:
            values = {k: v for k, v in row.items() if not k.startswith("_")}
            if "_baseline" in row:
                values["baseline_value"] = row["_baseline"]
            target = Target(**values)
            self._log(self.ctx.team, "target_added", str(target), self._added(row))
        for row in spec.strategies:
            self._log(self.ctx.team, "strategy_added", row["action"][:80], self._added(row))

    def add_checkpoint(self, due: datetime.date, title: str) -> None:
        checkpoint = Checkpoint(plan=self.plan, due=due, title=title)
        self.checkpoints.append(checkpoint)
        self._log(self.ctx.team, "checkpoint_added", str(checkpoint), {"due": [None, due.isoformat()],
                                                                      "title": [None, title]})

    def task(self, code: str, user: User) -> None:
        if any(t.task == code for t in self.tasks):
            return
        self.tasks.append(TaskDone(plan=self.plan, task=code, done_by=user))
        self._log(user, "task_done", str(TASKS_BY_CODE[code].text), bump=False)

    def submit(self) -> None:
        self._log(self.ctx.team, "submitted", str(self.plan), {"review": [self.plan.review, Review.SUBMITTED.value]})
        self.plan.review = Review.SUBMITTED
        submission = Submission(plan=self.plan, number=len(self.submissions) + 1, stage=self.plan.stage,
                                snapshot={}, submitted_by=self.ctx.team)
        self.submissions.append((submission, self.version, len(self.checkpoints)))

    def decide(self, accept: bool, comments: str = "") -> None:
        submission = self.submissions[-1][0]
        submission.decision = Submission.Decision.ACCEPTED if accept else Submission.Decision.RETURNED
        submission.comments, submission.decided_by, submission.decided_at = comments, self.ctx.reviewer, self.now
        review = Review.ACCEPTED if accept else Review.RETURNED
        self._log(self.ctx.reviewer, "accepted" if accept else "returned", str(self.plan),
                  {"review": [self.plan.review, review.value], **({"comments": ["", comments]} if comments else {})})
        self.plan.review = review

    def move(self, stage: Stage) -> Plan | None:
        if stage == Stage.CLOSED:
            self.finish()
            return services.stage_move(plan=self.plan, user=self.ctx.team, seen=self.plan.version, to=stage)
        self._log(self.ctx.team, "stage_moved", str(self.plan), {"stage": [self.plan.stage, stage.value]})
        self.plan.stage = stage
        return None

    def record(self, how_many: int, texts: list[tuple[str, str, str]]) -> None:
        for checkpoint, (evidence, progress, adjustments) in zip(
                sorted(self.checkpoints, key=lambda c: c.due)[:how_many], texts, strict=False):
            if checkpoint.recorded_at is None:
                checkpoint.evidence_gathered, checkpoint.progress = evidence, progress
                checkpoint.adjustments = adjustments
                checkpoint.recorded_at, checkpoint.recorded_by = self.now, self.ctx.team
                self._log(self.ctx.team, "checkpoint_changed", str(checkpoint), {
                    "evidence_gathered": ["", evidence], "progress": ["", progress], "adjustments": ["", adjustments]})

    def coreflect(self, author: User, themes: str, keep: str, consider: str,
                  replies: list[tuple[User, str]]) -> None:
        entry = CoReflection(plan=self.plan, stage=self.plan.stage, author=author, themes=themes, keep=keep,
                             consider=consider)
        self.reflections.append((entry, replies))
        self._log(author, "coreflection_added", themes, bump=False)
        for user, text in replies:
            self._log(user, "reply_added", text, bump=False)

    def ask(self, request: _Request) -> None:
        plan = self.plan
        row = SupportRequest(
            board=plan.board, school=plan.school, plan=plan, tried=request.tried, needs=request.needs,
            detail=request.detail, needed_by=request.needed_by, to_ministry=request.to_ministry,
            requested_by=self.ctx.team, requested_at=request.asked,
        )
        self._log(self.ctx.team, "support_requested", request.tried, bump=False)
        if request.answerer is not None:
            row.answer, row.provided, row.answered_by = request.answer, request.provided, request.answerer
            row.answered_at = request.answered
            row.status = SupportRequest.Status.CLOSED if request.close else SupportRequest.Status.ANSWERED
            self._log(request.answerer, "support_answered", request.answer, bump=False)
        row.full_clean(exclude=["board", "school", "plan", "requested_by", "answered_by"])
        self.requests.append(row)

    def finish(self) -> None:
        """Write the plan and everything in it."""
        plan = self.plan
        goals = Goal.objects.bulk_create([goal for goal, _ in self.new_goals])
        targets: list[tuple[Target, list[tuple[datetime.date, float, str]]]] = []
        strategies: list[Strategy] = []
        for goal, (_, spec) in zip(goals, self.new_goals, strict=True):
            for row in spec.targets:
                values = {k: v for k, v in row.items() if not k.startswith("_")}
                if "_baseline" in row:
                    values["baseline_value"] = row["_baseline"]
                targets.append((Target(goal=goal, **values), row.get("_entries", [])))
            strategies += [Strategy(goal=goal, **row) for row in spec.strategies]
        made = Target.objects.bulk_create([t for t, _ in targets])
        TargetEntry.objects.bulk_create([
            TargetEntry(target=target, on=on, value=value, note=note, recorded_by=self.ctx.team)
            for target, (_, entries) in zip(made, targets, strict=True) for on, value, note in entries
        ])
        Strategy.objects.bulk_create(strategies)
        Checkpoint.objects.bulk_create(self.checkpoints)
        TaskDone.objects.bulk_create(self.tasks)
        plan.version = self.version
        plan.save(update_fields=["title", "stage", "review", "overall_impact", "next_steps", "version",
                                 "updated_at"])
        if self.submissions:
            # What each submission kept: the plan as it stood then, in Plan stage, before any progress.
            now = services.snapshot(plan)
            for submission, version_then, checkpoints_then in self.submissions:
                shot = dict(now, stage=submission.stage, review=Review.SUBMITTED.value, version=version_then)
                shot["checkpoints"] = [dict(c, evidence_gathered="", progress="", adjustments="", recorded_at=None)
                                       for c in now["checkpoints"][:checkpoints_then]]
                submission.snapshot = shot
            Submission.objects.bulk_create([s for s, _, _ in self.submissions])
        entries = CoReflection.objects.bulk_create([entry for entry, _ in self.reflections])
        Reply.objects.bulk_create([
            Reply(coreflection=entry, author=user, text=text)
            for entry, (_, replies) in zip(entries, self.reflections, strict=True) for user, text in replies
        ])
        if self.requests:
            asked = [r.requested_at for r in self.requests]
            requests = SupportRequest.objects.bulk_create(self.requests)
            for request, when in zip(requests, asked, strict=True):  # bulk_create stamps the present moment
                request.requested_at = when
            SupportRequest.objects.bulk_update(requests, ["requested_at"])
        PlanChange.objects.bulk_create(self.changes)
        self.new_goals, self.checkpoints, self.tasks, self.submissions = [], [], [], []
        self.reflections, self.requests, self.changes = [], [], []


_Writer = _ServiceWriter | _BulkWriter


# --- the cycle ------------------------------------------------------------------------------------


class _Script:
    """How far a plan went through the cycle, and what happened on the way."""

    def __init__(self, rng: random.Random, cast: _Cast, content: _Content) -> None:
        self.rng = rng
        self.cast = cast
        self.content = content

    def fill(self, ctx: _Context, writer: _Writer, *, draft: bool = False) -> None:
        """Title, goals with targets and strategies, and checkpoints (a draft has fewer)."""
        rng, content = self.rng, self.content
        have = writer.goals()
        used = writer.characteristics()
        areas = []
        for index in range(have, content.goal_count(have)):
            spec = content.goal(ctx, index, used)
            writer.add_goal(spec)
            areas.append(str(spec.values["area"]))
        if not ctx.plan.title:
            area = (areas or [ctx.focus_areas[0] if ctx.focus_areas else "literacy"])[0]
            writer.update(title=content.title(ctx, area))
        if not writer.has_checkpoints():
            count = rng.randint(1, 2) if draft else rng.randint(2, 4)
            for due, title in content.checkpoints(ctx, count):
                writer.add_checkpoint(due, title)

    def tasks(self, ctx: _Context, writer: _Writer, stage: Stage, *, team: float = 1.0,
              system: float = 0.8) -> None:
        for task in tasks_for(stage, TEAM):
            if self.rng.random() < team:
                writer.task(task.code, ctx.team)
        for task in tasks_for(stage, SYSTEM):
            if self.rng.random() < system:
                writer.task(task.code, ctx.reviewer)

    def record(self, writer: _Writer, how_many: int) -> None:
        """Progress at the first `how_many` checkpoints; the later ones stay open (overdue once due)."""
        rng = self.rng
        writer.record(how_many, [(rng.choice(_EVIDENCE), rng.choice(_PROGRESS), rng.choice(_ADJUSTMENTS))
                                 for _ in range(max(0, how_many))])

    def coreflect(self, ctx: _Context, writer: _Writer, *, by_ministry: bool = False, reply: float = 0.75) -> None:
        rng = self.rng
        author = self.cast.ministry if by_ministry else ctx.reviewer
        replies: list[tuple[User, str]] = []
        if rng.random() < reply:
            replies.append((ctx.team, rng.choice(_REPLIES)))
            if rng.random() < 0.3:
                replies.append((author, rng.choice(_SYSTEM_REPLIES)))
        writer.coreflect(author, rng.choice(_THEMES), rng.choice(_KEEP), rng.choice(_CONSIDER), replies)

    def ask(self, ctx: _Context, writer: _Writer, *, status: str | None = None) -> None:
        """A support request from the plan's team: open, or answered after a few hours to several weeks."""
        rng, plan = self.rng, ctx.plan
        status = status or rng.choices(("open", "answered", "closed"), weights=(40, 45, 15))[0]
        today, now = timezone.localdate(), timezone.now()
        board = plan.kind == Kind.BOARD
        to_ministry = board or (plan.focused_intervention and rng.random() < 0.3)
        answer, provided = rng.choice(_ANSWERS)
        needs = sorted(set(provided) | ({rng.choice(("knowledge", "people"))} if rng.random() < 0.4 else set()))
        if status == "open":  # some past the date they were needed by, some not yet, some with no date
            needed_by = rng.choice((today - datetime.timedelta(days=rng.randint(3, 45)),
                                    today + datetime.timedelta(days=rng.randint(7, 60)), None))
            asked = now - datetime.timedelta(days=rng.randint(5, 70), hours=rng.randint(0, 8))
        else:
            needed_by = rng.choice((today - datetime.timedelta(days=rng.randint(20, 200)), None))
            asked = now - datetime.timedelta(days=rng.randint(30, 260), hours=rng.randint(0, 8))
        request = _Request(tried=rng.choice(_BOARD_TRIED if board else _TRIED), needs=needs,
                           detail=rng.choice(_NEED_DETAIL), needed_by=needed_by, to_ministry=to_ministry, asked=asked)
        if status != "open":
            request.answer, request.provided, request.close = answer, provided, status == "closed"
            request.answerer = self.cast.ministry if to_ministry else ctx.reviewer
            waited = rng.choice((3, 20, 50, 120, 240, 500, 900)) + rng.randint(0, 20)
            request.answered = asked + datetime.timedelta(hours=waited)
        writer.ask(request)

    def run(self, ctx: _Context, writer: _Writer, script: str) -> Plan | None:
        """Take the plan as far as `script` says. Returns next year's plan when the script closes the year."""
        plan, rng = ctx.plan, self.rng
        ministry_side = plan.kind == Kind.BOARD
        ctx.entries = {ACT: rng.choice((1, 2)), OBSERVE: 2, REFLECT: 3, CLOSED: 3}.get(script, 1)
        self.fill(ctx, writer, draft=script == DRAFT)
        self.tasks(ctx, writer, Stage.PLAN, team=0.5 if script == DRAFT else 1.0,
                   system=0.5 if script == DRAFT else 0.9)
        if script == DRAFT:
            if rng.random() < 0.3:
                self.ask(ctx, writer, status="open")
            return self._done(writer)
        writer.submit()
        if script == SUBMITTED:
            return self._done(writer)
        if script == RETURNED or rng.random() < 0.3:
            writer.decide(False, rng.choice(_RETURN_BOARD_COMMENTS if ministry_side else _RETURN_COMMENTS))
            if script == RETURNED:
                if rng.random() < 0.5:
                    self.coreflect(ctx, writer, by_ministry=ministry_side or plan.focused_intervention, reply=0.9)
                return self._done(writer)
            writer.add_checkpoint(datetime.date(ctx.year_start, 12, rng.randint(8, 18)),
                                  "Check-in before the winter break (added after the review)")
            writer.submit()
        writer.decide(True)
        if script == ACCEPTED:
            return self._done(writer)
        writer.move(Stage.ACT)
        self.tasks(ctx, writer, Stage.ACT, team=0.7 if script == ACT else 1.0)
        if rng.random() < (0.5 if plan.focused_intervention else 0.3):
            self.ask(ctx, writer)
        if script == ACT:
            self.record(writer, rng.choice((0, 0, 1)))
            if rng.random() < 0.2:
                self.coreflect(ctx, writer)
            return self._done(writer)
        writer.move(Stage.OBSERVE)
        checkpoints = writer.checkpoint_count()
        self.record(writer, max(1, checkpoints - rng.choice((1, 2))))
        self.tasks(ctx, writer, Stage.OBSERVE, team=0.8 if script == OBSERVE else 1.0)
        if rng.random() < 0.6:
            self.coreflect(ctx, writer, by_ministry=ministry_side or (plan.focused_intervention and rng.random() < 0.5))
        if rng.random() < 0.2:  # what they saw sent them back to adjust the plan in action
            writer.move(Stage.ACT)
            writer.move(Stage.OBSERVE)
        if script == OBSERVE:
            return self._done(writer)
        writer.move(Stage.REFLECT)
        self.record(writer, checkpoints - (1 if rng.random() < 0.25 else 0))
        self.coreflect(ctx, writer, by_ministry=ministry_side or rng.random() < 0.3, reply=0.85)
        self.tasks(ctx, writer, Stage.REFLECT, team=0.6 if script == REFLECT else 1.0)
        if script == REFLECT and rng.random() < 0.5:
            return self._done(writer)  # still reflecting: nothing written yet
        writer.update(overall_impact=rng.choice(_IMPACT), next_steps=rng.choice(_NEXT_STEPS))
        if script == REFLECT:
            return self._done(writer)
        return writer.move(Stage.CLOSED)

    @staticmethod
    def _done(writer: _Writer) -> None:
        writer.finish()

    def journey(self, ctx: _Context, writer: _ServiceWriter) -> None:
        """The sign-in's own plan: started (one goal, its target read from the evidence), not yet submitted."""
        ctx.wrong_drivers = False
        writer.task("plan.data", ctx.team)
        writer.task("plan.orient", ctx.reviewer)
        spec = self.content.goal(ctx, 0, set())
        writer.add_goal(spec)
        writer.update(title=self.content.title(ctx, str(spec.values["area"])))


# --- the province ---------------------------------------------------------------------------------


def build_demo_plans(*, seed: int = 2016, progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Plans for the demo province at every stage of the cycle. Refuses a database that already has plans.

    Returns counts of what is there afterwards (plans by kind, stage and
    review, goals, targets, co-reflections, support requests, people made...).
    """
    if Plan.objects.exists():
        raise ValueError("The database already holds improvement plans; the demo plans load only once.")
    from capacity.evidence import selectors

    say = progress or (lambda step, done, total: None)
    if connection.vendor == "sqlite":
        # Without statistics SQLite looks a school's results up through the assessment index (tens of
        # milliseconds each, and targets read them thousands of times here). ANALYZE takes a fraction of
        # a second and lets it use the school's index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    selectors.forget_data_version()
    policy = selectors.get_policy()
    latest = selectors.default_year(policy)
    identified = list(selectors.province_identification(policy, latest).identified) if latest else []
    with transaction.atomic():
        made = _Province(random.Random(seed * 6151 + 17), identified, latest or YEAR, policy.label, say).build()
    return _counts(made)


class _Province:
    def __init__(self, rng: random.Random, identified: list[Any], year: str, policy: str,
                 say: Callable[[str, int, int], None]) -> None:
        self.rng = rng
        self.identified = identified
        self.year = year
        self.year_start = int(year[:4])
        self.policy = policy
        self.say = say
        self.cast = _load_cast()
        self.script = _Script(rng, self.cast, _Content(rng, {a.code: a for a in Assessment.objects.all()}))
        self.schools = {s.pk: s for s in School.objects.select_related("board").order_by("number")}
        self.boards = list(Board.objects.order_by("number"))
        self.results: dict[tuple[int, str], dict[tuple[str, str], float]] = {}
        self.reasons = {s.school_number: s.reasons for s in identified}

    def build(self) -> int:
        rng, cast, year_start = self.rng, self.cast, self.year_start
        by_number = {s.number: s for s in self.schools.values()}
        identified = [by_number[s.school_number] for s in self.identified if s.school_number in by_number]

        # The sign-in for the whole journey: the principal of an identified school in the board with the
        # most identified schools, reviewed by a superintendent of that board.
        focus: School | None = None
        if identified:
            per_board: dict[int, int] = {}
            for school in identified:
                per_board[school.board_id] = per_board.get(school.board_id, 0) + 1
            board_id = max(per_board, key=lambda b: (per_board[b], -b))
            focus = min((s for s in identified if s.board_id == board_id), key=lambda s: s.number)
            cast.school_team[focus.pk] = _sign_in(cast, rng, FOCUS_PRINCIPAL, Role.PRINCIPAL, focus, "")
            cast.board_reviewer[board_id] = _sign_in(cast, rng, FOCUS_SUPERINTENDENT, Role.BOARD_LEADER,
                                                     focus.board, "Superintendent of Education")
        _timelines(rng, self.boards, year_start)

        demo_principals = {m.user.username: self.schools[m.school_id] for m in Membership.objects.filter(
            role=Role.PRINCIPAL, user__email__endswith="@demo.capacity.invalid", school__isnull=False,
        ).select_related("user") if m.school_id is not None}
        home, other = demo_principals.get("principal"), demo_principals.get("principal.other")

        # Who gets a plan this year, how far it went, whether a closed plan came before it, and whether
        # the services write it (the demo principals' own schools) or the bulk writer does.
        script: dict[int, str] = {}
        history: set[int] = set()
        showcase: set[int] = set()
        if home is not None:
            script[home.pk] = OBSERVE if focus else DRAFT
            history |= {home.pk} if focus else set()
            showcase.add(home.pk)
        if other is not None:
            script[other.pk] = RETURNED
            showcase.add(other.pk)
        if focus is not None:
            showcase.add(focus.pk)
        ids = {s.pk for s in identified}
        pool = [s for s in self.schools.values() if s.pk not in script and s.pk not in ids]
        # Every school of the demo board leaders' board, so that their sign-ins see plans at every stage.
        first = [s for s in pool if home is not None and s.board_id == home.board_id]
        rest = [s for s in pool if s not in first]
        sample = first + rng.sample(rest, min(len(rest), max(0, SAMPLE_SCHOOLS - len(first))))
        rng.shuffle(sample)
        for school, chosen in zip(sample, _assign(rng, len(sample)), strict=True):
            script[school.pk] = chosen
            if rng.random() < HISTORY_SHARE:
                history.add(school.pk)
        for school, chosen in zip(identified, _assign(rng, len(identified), FOCUSED_SCRIPTS), strict=True):
            script[school.pk] = chosen
            if school != focus and rng.random() < 0.4:
                history.add(school.pk)
        self._load_results(list(script))
        _principals_on_record(cast, rng, [self.schools[pk] for pk in sorted(script)])

        boards = self._board_sample(home, focus)
        total = len(script) + len(history) + len(boards)
        done = 0

        def order(pks: set[int] | dict[int, str]) -> list[School]:
            return sorted((self.schools[pk] for pk in pks), key=lambda s: s.number)

        # Last year's plans, run to the end of the year: closing each opens this year's plan with the
        # unfinished goals carried forward.
        for school in order(history):
            previous = self._start(school, school.board, _year(year_start - 1), school.pk in showcase)
            ctx = self._context(previous, school, year_start - 1)
            self.script.run(ctx, self._writer(ctx, school.pk in showcase), CLOSED)
            done += 1
            self.say("plans", done, total)

        # Focused intervention for every school the evidence identified this year.
        services.focused_intervention_plans(school_year=self.year, identified=self.identified, policy=self.policy,
                                            actor_label=ACTOR)

        existing = {p.school_id: p for p in Plan.objects.filter(kind=Kind.SCHOOL, school_year=self.year)}
        for school in order(script):
            plan = existing.get(school.pk) or self._start(school, school.board, self.year, school.pk in showcase)
            ctx = self._context(plan, school, year_start)
            if school == focus:
                self.script.journey(ctx, _ServiceWriter(ctx))
            else:
                self.script.run(ctx, self._writer(ctx, school.pk in showcase), script[school.pk])
            done += 1
            self.say("plans", done, total)

        # Board plans: the ministry reviews them. The demo board leaders' own go through the services.
        demo_boards = {s.board_id for s in (home, focus) if s is not None}
        for board, chosen, with_history in boards:
            showcased = board.pk in demo_boards
            if with_history:
                previous = self._start(None, board, _year(year_start - 1), showcased)
                ctx = self._board_context(previous, year_start - 1)
                self.script.run(ctx, self._writer(ctx, showcased), CLOSED)
            plan = (Plan.objects.filter(kind=Kind.BOARD, board=board, school_year=self.year).first()
                    or self._start(None, board, self.year, showcased))
            ctx = self._board_context(plan, year_start)
            self.script.run(ctx, self._writer(ctx, showcased), chosen)
            done += 1
            self.say("plans", done, total)
        return cast.made

    def _board_sample(self, home: School | None, focus: School | None) -> list[tuple[Board, str, bool]]:
        """The demo board leaders' boards (one plan in Observe after a closed year, one waiting for the
        ministry's review) and a sample of others at every stage."""
        rng = self.rng
        chosen: list[tuple[Board, str, bool]] = []
        taken: set[int] = set()
        if home is not None:
            chosen.append((home.board, OBSERVE, True))
            taken.add(home.board_id)
        if focus is not None and focus.board_id not in taken:
            chosen.append((focus.board, SUBMITTED, False))
            taken.add(focus.board_id)
        others = [b for b in self.boards if b.pk not in taken]
        sampled = rng.sample(others, min(len(others), SAMPLE_BOARDS))
        chosen += [(b, s, rng.random() < 0.35) for b, s in zip(sampled, _assign(rng, len(sampled)), strict=True)]
        return [row for row in chosen if row[0].pk in self.cast.board_team]

    def _team(self, school: School) -> User:
        return self.cast.school_team[school.pk]

    def _start(self, school: School | None, board: Board, school_year: str, showcase: bool) -> Plan:
        """A new plan: through the service, or written directly with the same history row."""
        team = self._team(school) if school is not None else self.cast.board_team[board.pk]
        if showcase:
            return services.plan_create(user=team, school=school, board=board, school_year=school_year)
        kind = Kind.SCHOOL if school is not None else Kind.BOARD
        plan = Plan.objects.create(kind=kind, school=school, board=board, school_year=school_year)
        PlanChange.objects.create(plan=plan, by=team, action="plan_created", item=str(plan), version=plan.version)
        return plan

    def _writer(self, ctx: _Context, showcase: bool) -> _Writer:
        return _ServiceWriter(ctx) if showcase else _BulkWriter(ctx)

    def _context(self, plan: Plan, school: School, start: int) -> _Context:
        focus_areas: tuple[str, ...] = ()
        if self.reasons.get(school.number):
            # The team starts where the identifying results were lowest.
            by_area: dict[str, list[float]] = {"mathematics": [], "literacy": []}
            for reason in self.reasons[school.number]:
                by_area["mathematics" if "MATH" in reason.assessment else "literacy"].append(reason.pct_at_standard)
            focus_areas = tuple(sorted(by_area, key=lambda a: sum(by_area[a]) / len(by_area[a]) if by_area[a]
                                       else 100.0))
        return _Context(
            plan=plan, team=self._team(school), reviewer=self.cast.board_reviewer.get(school.board_id, self.cast.ministry),
            year_start=start, results=self.results.get((school.pk, _year(start - 1)), {}),
            secondary=school.level == School.Level.SECONDARY, focus_areas=focus_areas,
            wrong_drivers=self.rng.random() < 0.08,
        )

    def _board_context(self, plan: Plan, start: int) -> _Context:
        return _Context(plan=plan, team=self.cast.board_team[plan.board_id], reviewer=self.cast.ministry,
                        year_start=start, results={}, wrong_drivers=self.rng.random() < 0.1)

    def _load_results(self, school_ids: list[int]) -> None:
        """Each school's results in the years plans take their baselines from (what target_add would read)."""
        years = [_year(self.year_start - 1), _year(self.year_start - 2)]
        rows = Result.objects.filter(school_id__in=school_ids, school_year__in=years, pct_at_standard__isnull=False)
        for school_id, school_year, code, group, value in rows.values_list(
                "school_id", "school_year", "assessment__code", "group", "pct_at_standard"):
            if value is not None:
                self.results.setdefault((school_id, school_year), {})[(code, group)] = value


FOCUSED_SCRIPTS = {DRAFT: 20, SUBMITTED: 16, RETURNED: 12, ACCEPTED: 6, ACT: 22, OBSERVE: 14, REFLECT: 6, CLOSED: 4}


def _assign(rng: random.Random, n: int, weights: dict[str, int] | None = None) -> list[str]:
    """`n` scripts: one of each first (so every stage shows even in a small demo), then by weight, shuffled."""
    weights = weights or SCRIPTS
    first = list(_ORDER[:n])
    scripts = first + rng.choices(list(weights), weights=list(weights.values()), k=max(0, n - len(first)))
    rng.shuffle(scripts)
    return scripts


def _timelines(rng: random.Random, boards: list[Board], year_start: int) -> None:
    """The ministry's dates for board plans and each board's dates for its schools, last year and this."""
    rows = []
    for start in (year_start - 1, year_start):
        rows.append(Timeline(board=None, school_year=_year(start), kind=Kind.BOARD,
                             submit_by=datetime.date(start, 10, 2), act_by=datetime.date(start, 10, 16),
                             observe_by=datetime.date(start + 1, 1, 31), reflect_by=datetime.date(start + 1, 6, 14)))
        for board in boards:
            shift = datetime.timedelta(days=rng.randint(-4, 10))
            rows.append(Timeline(board=board, school_year=_year(start), kind=Kind.SCHOOL,
                                 submit_by=datetime.date(start, 10, 27) + shift,
                                 act_by=datetime.date(start, 11, 10) + shift,
                                 observe_by=datetime.date(start + 1, 2, 14) + shift,
                                 reflect_by=datetime.date(start + 1, 6, 7) + shift))
    Timeline.objects.bulk_create(rows)


def _counts(people: int) -> dict[str, int]:
    counts: dict[str, int] = {"plans": Plan.objects.count()}
    for kind in Kind:
        counts[f"{kind.value}_plans"] = Plan.objects.filter(kind=kind).count()
    counts["focused_intervention"] = Plan.objects.filter(focused_intervention=True).count()
    for stage, n in Plan.objects.values_list("stage").annotate(n=Count("id")).order_by():
        counts[f"stage_{stage}"] = n
    for review, n in Plan.objects.filter(stage=Stage.PLAN).values_list("review").annotate(n=Count("id")).order_by():
        counts[f"plan_{review}"] = n
    counts |= {
        "goals": Goal.objects.count(),
        "targets": Target.objects.count(),
        "measure_entries": TargetEntry.objects.count(),
        "strategies": Strategy.objects.count(),
        "checkpoints": Checkpoint.objects.count(),
        "submissions": Submission.objects.count(),
        "returned": Submission.objects.filter(decision=Submission.Decision.RETURNED).count(),
        "coreflections": CoReflection.objects.count(),
        "replies": Reply.objects.count(),
        "support_requests": SupportRequest.objects.count(),
        "support_open": SupportRequest.objects.filter(status=SupportRequest.Status.OPEN).count(),
        "timelines": Timeline.objects.count(),
        "changes": PlanChange.objects.count(),
        "people": people,
    }
    return counts


def demo_plan_accounts() -> list[tuple[str, str, str]]:
    """The sign-ins build_demo_plans added: (user name, role, where), for the demo's sign-in table."""
    rows = Membership.objects.filter(user__username__in=[FOCUS_PRINCIPAL, FOCUS_SUPERINTENDENT]).select_related(
        "user", "school", "board").order_by("user__username")
    return [(m.user.username, str(Role(m.role).label), m.school.name if m.school else m.board.name if m.board else "")
            for m in rows]
