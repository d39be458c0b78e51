"""The demo's lesson studies (capacity/rounds/demo.py runs the parts in order), built through
the services at every step:

* at the demo principal's school: one being planned, one in its second cycle after revision,
  one finished and waiting to be shared (on the board leaders' home pages), and one finished
  and shared as a case study (a draft of the board in the learning library);
* at another school of the board: one waiting for the team's critique;
* the facilitator's network: a network's study at the principal's school, taught and observed
  next;
* at a French-language school: a study written in French, finished after two cycles.

The teachers on the teams are colleagues without a sign-in (the learning demo's where they
exist). Deterministic: the same seed always gives the same studies, in well under two seconds.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from capacity.directory.models import Membership, Network, Role, School, User
from capacity.directory.services import membership_grant, user_create
from capacity.rounds import services_lessons as services
from capacity.rounds.models import CycleStep, LessonCycle, LessonStudy

ACTOR = "capacity demo"


@dataclass(frozen=True)
class Cycle:
    """One cycle's records; an empty lesson keeps the one the previous cycle's revision made."""

    lesson_plan: str = ""
    misconceptions: str = ""
    taught_days_ago: int = 0
    observations: str = ""
    critique: str = ""
    revisions: str = ""


@dataclass(frozen=True)
class Study:
    place: str  # "home", "other", "french"
    title: str
    grade: str
    subject: str
    goal: str
    question: str
    cycles: tuple[Cycle, ...]
    until: tuple[int, str] | str  # (cycle, step) it stops at, or "finish"
    findings: str = ""
    network: bool = False
    share: bool = False
    team: tuple[str, ...] = field(default=("team", "teacher"))


FRACTIONS = Study(
    place="home",
    title="Comparing fractions with strips",
    grade="5",
    subject="mathematics",
    goal="Students see themselves as people who reason about quantities and explain their "
    "thinking.",
    question="How does comparing fractions with paper strips before symbols change how students "
    "justify which fraction is greater?",
    cycles=(
        Cycle(
            lesson_plan="Opening (5 min): two friends each ate part of subs of the same size, one "
            "3/4 and one 2/3. Who ate more?\nWork time (20 min): pairs fold paper strips into "
            "thirds and quarters, compare them, and record their reasoning with a drawing and a "
            "sentence.\nConsolidation (15 min): the teacher chooses three pairs' strategies to "
            "share, from the strips towards a common denominator.",
            misconceptions="Comparing the denominators only (“quarters are bigger because 4 is more "
            "than 3”). Comparing the missing pieces without checking that the wholes are the same "
            "size. Lining up strips that do not start at the same edge.",
            taught_days_ago=40,
            observations="9 of 12 pairs folded the strips; 3 pairs drew them. Two students said "
            "“four is more than three so 3/4 is more” and did not use the strips. The teacher "
            "asked four pairs “How do you know the wholes are the same?”. At the end of work time "
            "5 pairs were still folding. Two pairs shared; one compared the leftover pieces.",
            critique="Most students compared with the strips, but folding thirds took most of the "
            "work time, so few pairs wrote their sentence. Only two strategies were shared, and "
            "the teacher, not a pair, introduced the common denominator.",
            revisions="Hand out strips already folded in halves, thirds and quarters. Add 1/2 as a "
            "benchmark. Pairs write their sentence before the share. Choose a pair that compared "
            "leftover pieces to lead into common denominators.",
        ),
        Cycle(
            taught_days_ago=26,
            observations="All 12 pairs had the strips lined up within two minutes. 10 pairs wrote "
            "a sentence; 6 used one half as a benchmark (“3/4 is more than a half by more”). The "
            "pair chosen for the share explained the leftover pieces; three students then said "
            "“the leftover is smaller so the fraction is bigger”.",
            critique="With the folding done, the time went to comparing and explaining. One half "
            "became the most used benchmark. Students who compared denominators in cycle 1 used "
            "the strips this time; two still did not.",
            revisions="Keep the ready strips. Next time, ask for a second way to compare before "
            "the share.",
        ),
    ),
    until="finish",
    findings="When the strips were ready to use, students' explanations moved from the size of "
    "the denominator to the size of the pieces and what was left over. One half as a benchmark "
    "gave students a way to justify before symbols. Time spent making materials was time taken "
    "from reasoning: we now prepare them.",
    share=True,
)

PERSUASIVE = Study(
    place="home",
    title="Persuasive writing with a success criteria checklist",
    grade="6",
    subject="language",
    goal="Every student writes to be understood by a reader they do not know.",
    question="When students build the success criteria from a model text, do they use them to "
    "revise their own paragraph?",
    cycles=(
        Cycle(
            lesson_plan="Students read two short letters to the principal asking for a longer "
            "recess, one convincing and one not. In groups they list what the convincing one does; "
            "the class turns the lists into four success criteria. Students then revise their own "
            "paragraph from yesterday against the criteria.",
            misconceptions="A longer paragraph is a more convincing one. Reasons and feelings are "
            "the same thing. Revising means recopying neatly.",
            taught_days_ago=20,
            observations="Groups listed 3 to 7 features; “gives a reason” appeared in every list. "
            "During revision, 14 of 25 students added a reason or an example; 6 recopied their "
            "paragraph with changes to spelling only; 5 wrote a new opening sentence.",
            critique="Building the criteria from the model gave students words for what makes "
            "writing convincing. The jump to their own paragraph came without an example of a "
            "revision, so some students read revising as recopying.",
            revisions="Show one revised paragraph, before and after, with the criterion each "
            "change meets.",
        ),
    ),
    until="finish",
    findings="Students used success criteria they had built themselves, and the criteria that "
    "came from the model text (a reason, an example, a request) were the ones they applied. "
    "Revision needs its own model: without one, a quarter of the class recopied.",
)

AREA = Study(
    place="home",
    title="Area models for multi-digit multiplication",
    grade="4",
    subject="mathematics",
    goal="Students choose a strategy that fits the numbers.",
    question="Does drawing an area model help students see why partial products add up to the "
    "product?",
    cycles=(
        Cycle(
            lesson_plan="Problem: a garden is 23 m by 14 m; how many square metres? Students draw "
            "the rectangle on grid paper, split it into tens and ones, find each part and add. "
            "The share compares two ways of splitting.",
            misconceptions="Multiplying tens by tens as ones (20 x 10 = 20). Adding the side "
            "lengths instead of multiplying. Forgetting one of the four parts.",
            taught_days_ago=12,
            observations="18 of 24 students split the rectangle into four parts. 7 wrote 20 x 10 "
            "= 200; 4 wrote 20 x 10 = 20. Grid paper with 1 cm squares did not fit 23 by 14; "
            "students drew it across two sheets.",
            critique="The split into parts made the four partial products visible, but the size "
            "of the drawing took attention from the numbers.",
            revisions="Use open rectangles not drawn to scale; begin with 13 x 12 before 23 x 14; "
            "ask students to label each part with its multiplication.",
        ),
        Cycle(),
    ),
    until=(2, CycleStep.PLAN),
)

INFERENCES = Study(
    place="home",
    title="Making inferences from illustrations",
    grade="3",
    subject="language",
    goal="Every student reads between the lines.",
    question="When students talk about an illustration before reading, do they use clues from "
    "the text to support an inference?",
    cycles=(
        Cycle(
            lesson_plan="Before reading, pairs look at the cover of a picture book and say what "
            "they think will happen and why. During the read-aloud, the teacher stops at three "
            "pages to ask what the character feels and how we know.",
        ),
    ),
    until=(1, CycleStep.PLAN),
    team=("team", "teacher", "teacher.2"),
)

RECIPES = Study(
    place="other",
    title="Proportional reasoning with recipes",
    grade="7",
    subject="mathematics",
    goal="Students reason with ratios in situations they know.",
    question="Which strategies do students use to scale a recipe, and when do they move from "
    "adding to multiplying?",
    cycles=(
        Cycle(
            lesson_plan="A pancake recipe serves 4; the class needs to serve 10. Groups decide how "
            "much of each ingredient, using any strategy, then put their tables side by side.",
            misconceptions="Adding the same amount to every ingredient (4 to 10 is +6). Doubling "
            "then adding half of the wrong quantity.",
            taught_days_ago=5,
            observations="5 of 7 groups made a table; 2 groups wrote “+6” for every ingredient. "
            "One group found the amount for 2 people first, then multiplied by 5. The teacher "
            "asked the “+6” groups how many eggs one person would get.",
        ),
    ),
    until=(1, CycleStep.CRITIQUE),
    team=("principal.2",),
)

NUMBER_TALKS = Study(
    place="home",
    title="Number talks for mental addition",
    grade="4",
    subject="mathematics",
    goal="Students across our network's schools compute flexibly and explain how.",
    question="Which strategies do students share in a ten-minute number talk, and which do they "
    "take up from each other?",
    cycles=(
        Cycle(
            lesson_plan="A ten-minute number talk: 38 + 26 shown without paper; students show a "
            "thumb when they have an answer and a finger for each other way. The teacher records "
            "three strategies on the board and asks which one the class would use for 49 + 35.",
            misconceptions="Only the written algorithm counts. Adding tens and ones but losing "
            "the regrouped ten.",
        ),
    ),
    until=(1, CycleStep.TEACH),
    network=True,
    team=("teacher.3", "teacher"),
)

INFERENCES_FR = Study(
    place="french",
    title="Faire des inférences en lecture",
    grade="3",
    subject="french",
    goal="Que chaque élève comprenne ce qu'il lit, au-delà de ce que le texte dit.",
    question="Lorsque les élèves justifient une inférence, quels indices du texte utilisent-ils ?",
    cycles=(
        Cycle(
            lesson_plan="Lecture à voix haute d'un album. À trois moments, l'enseignante s'arrête "
            "et demande : « Comment se sent le personnage ? Qu'est-ce qui te le fait dire ? ». Les "
            "élèves répondent d'abord en dyade, puis notent un indice sur un papillon adhésif.",
            misconceptions="Répondre à partir de sa propre expérience plutôt que du texte. "
            "Confondre ce que le personnage ressent et ce qu'il fait.",
            taught_days_ago=35,
            observations="Sur 20 élèves, 12 ont noté un indice tiré du texte ; 8 ont écrit une "
            "phrase sur leur propre vie. L'enseignante a relu la page à voix haute pour 3 dyades. "
            "Deux élèves ont montré l'illustration comme indice.",
            critique="La question « qu'est-ce qui te le fait dire ? » a amené la moitié des élèves "
            "au texte. Sans modèle, les autres ont répondu à partir de leur vécu.",
            revisions="Modéliser une inférence à voix haute avant la lecture, en soulignant "
            "l'indice dans le texte ; afficher les pages au tableau pour que les dyades les "
            "relisent.",
        ),
        Cycle(
            taught_days_ago=14,
            observations="17 élèves sur 20 ont noté un indice du texte, dont 9 ont cité une phrase "
            "mot pour mot. Les dyades ont relu les pages affichées à 11 reprises.",
            critique="Le modèle et les pages affichées ont permis à la plupart des élèves de "
            "revenir au texte pour justifier.",
            revisions="Au prochain cycle, passer de l'indice unique à deux indices qui se "
            "confirment.",
        ),
    ),
    until="finish",
    findings="Un modèle d'inférence fait à voix haute et un texte affiché que les élèves "
    "peuvent relire ont fait passer de 12 à 17 élèves sur 20 le nombre d'élèves qui justifient "
    "leur inférence par un indice du texte.",
    team=("enseignante",),
)

STUDIES = (FRACTIONS, PERSUASIVE, AREA, INFERENCES, RECIPES, NUMBER_TALKS, INFERENCES_FR)

# Colleagues the studies need when the learning demo did not make them: (user name, name, place).
_COLLEAGUES = (
    ("teacher.2", "Amara Lindqvist", "home"),
    ("teacher.3", "Jonah Tremblay", "home"),
    ("principal.2", "Renée Okafor", "other"),
    ("enseignante", "Élise Gagnon", "french"),
)


def _colleague(username: str, name: str, school: School) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            username=username,
            email=f"{username}@demo.capacity.invalid",
            display_name=name,
            actor_label=ACTOR,
        )
        User.objects.filter(pk=user.pk).update(
            first_name=name.split()[0], last_name=name.split()[-1]
        )
    role = Role.PRINCIPAL if username.startswith("principal") else Role.TEACHER
    if not Membership.objects.filter(user=user, school=school).exists():
        membership_grant(user=user, role=role, organisation=school, actor_label=ACTOR)
    return user


def _walk(user: Any, study: LessonStudy, plan: Study, today: datetime.date) -> LessonStudy:
    """Write each cycle's records and move on, stopping where `plan.until` says."""
    for number, data in enumerate(plan.cycles, start=1):

        def cycle() -> LessonCycle:
            found = study.cycles.order_by("-number").first()
            assert found is not None
            return found

        def write(**records: Any) -> None:
            now = cycle()
            services.lesson_cycle_update(user=user, cycle=now, version=now.version, records=records)

        def move(to: str, findings: str = "") -> None:
            now = cycle()
            services.lesson_cycle_move(
                user=user, cycle=now, version=now.version, to=to, findings=findings
            )

        plan_records = {
            key: value
            for key, value in (
                ("lesson_plan", data.lesson_plan),
                ("misconceptions", data.misconceptions),
            )
            if value
        }
        if plan_records:
            write(**plan_records)
        if plan.until == (number, CycleStep.PLAN):
            break
        move(CycleStep.TEACH)
        if plan.until == (number, CycleStep.TEACH):
            break
        write(
            taught_on=today - datetime.timedelta(days=data.taught_days_ago),
            observations=data.observations,
        )
        move(CycleStep.CRITIQUE)
        if plan.until == (number, CycleStep.CRITIQUE):
            break
        write(critique=data.critique)
        move(CycleStep.REVISE)
        if plan.until == (number, CycleStep.REVISE):
            break
        write(revisions=data.revisions)
        if number < len(plan.cycles):
            move(services.AGAIN)
        else:
            move(services.FINISH, findings=plan.findings)
    study.refresh_from_db()
    return study


def _places() -> dict[str, Any]:
    """The demo's people and schools the studies need; missing ones are left out."""
    found = {
        m.user.username: m
        for m in Membership.objects.filter(
            user__username__in=["director", "principal", "superintendent", "facilitator"]
        ).select_related("user", "board", "school", "network")
    }
    places: dict[str, Any] = {name: m.user for name, m in found.items()}
    if "principal" not in found or "director" not in found:
        return places
    home = found["principal"].school
    assert home is not None
    places["home"] = home
    others = list(
        School.objects.filter(board_id=home.board_id).exclude(pk=home.pk).order_by("number")[:1]
    )
    places["other"] = others[0] if others else home
    if "facilitator" in found:
        # The facilitator may lead several networks by now (the networks' demo forms one): the
        # study is the one that holds the principal's school.
        led = Membership.objects.filter(user=found["facilitator"].user, network__isnull=False)
        network = (
            Network.objects.filter(pk__in=led.values("network_id"), schools=home)
            .order_by("name")
            .first()
        )
        if network is not None:
            places["network"] = network
    french = (
        School.objects.filter(language="fr", level=School.Level.ELEMENTARY)
        .order_by("number")
        .first()
    )
    if french is not None:
        leader = (
            Membership.objects.in_force()
            .filter(role=Role.BOARD_LEADER, board_id=french.board_id)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if leader is not None:
            places["french"] = french
            places["french_leader"] = leader.user
    return places


def build(*, seed: int) -> dict[str, int]:
    """Build the demo's lesson studies; returns how many studies and cycles were made."""
    places = _places()
    if "home" not in places:
        return {"lesson_studies": 0}
    rng = random.Random(seed * 7919 + 12)
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        people: dict[str, Any] = {
            m.user.username: m.user
            for m in Membership.objects.filter(
                user__username__in=["team", "teacher"], school=places["home"]
            ).select_related("user")
        }
        for username, name, place in _COLLEAGUES:
            if place in places:
                people[username] = _colleague(username, name, places[place])
        for plan in STUDIES:
            school = places.get(plan.place)
            if school is None or (plan.network and "network" not in places):
                continue
            if plan.network:
                by = places["facilitator"]
            elif plan.place == "french":
                by = places["french_leader"]
            elif plan.place == "other":
                by = places.get("superintendent", places["director"])
            else:
                by = places["principal"]
            team = [people[name] for name in plan.team if name in people]
            if not team:
                continue
            study = services.lesson_study_create(
                user=by,
                school=school,
                network=places["network"] if plan.network else None,
                title=plan.title,
                overarching_goal=plan.goal,
                research_question=plan.question,
                grade=plan.grade,
                subject=plan.subject,
                team=team,
            )
            # One of the team writes the records (each record is the team's, never signed).
            study = _walk(rng.choice(team), study, plan, today)
            if plan.share:
                services.lesson_study_share(user=places["director"], study=study)
            made += 1
    return {
        "lesson_studies": made,
        "lesson_cycles": LessonCycle.objects.filter(
            study__title__in=[s.title for s in STUDIES]
        ).count(),
    }
