"""The demo's problems of practice, visits and notes (capacity/rounds/demo.py runs the parts in
order: networks' work first, then this, then the debriefs and lesson studies).

Everything goes through the services, as the people would do it:

* the demo principal's school sets a problem of practice from its weakest published result and
  has a visit at every stage: one planned next week, one observing today (its first notes in),
  and two in debrief (forty and ten days ago) with a dozen notes or more each;
* a French-language school of the province (when the demo has one) has a visit in debrief with
  its notes in French; otherwise another school of the principal's board does, in English;
* if a network's cycle is at the stage co-teach, the network visits one of its member schools.

Some notes judge rather than describe ("an excellent lesson", « très bien géré »), as first notes
do, so the descriptive-language check has something to show. The debrief part then finishes the
older visit. Deterministic for a seed.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from capacity.directory.models import Language, Membership, Role, School, User
from capacity.rounds import selectors_visits as selectors
from capacity.rounds import services_visits as services
from capacity.rounds.models import NetworkCycle, ProblemOfPractice, Protocol, Visit, VisitStage

# (what the teacher is doing, what the students are doing, what the task is, level confirmed)
NOTES_EN = (
    (
        "Asks: how did you get 3/4? Waits about ten seconds.",
        "Two students explain using a drawing of a pizza; the others listen.",
        "Explain how you know 3/4 is bigger than 2/3.",
        "comprehension",
    ),
    (
        "Writes the steps for adding fractions on the board.",
        "Copy the steps into their notebooks.",
        "Copy the steps and do questions 1 to 10.",
        "knowledge",
    ),
    (
        "Circulates between tables and asks each group which strategy they chose.",
        "Groups of four compare two strategies on chart paper.",
        "Compare the two strategies and decide which is faster.",
        "analysis",
    ),
    (
        "Gives an excellent explanation of equivalent fractions.",
        "Students are very engaged.",
        "Find three fractions equal to 1/2.",
        "application",
    ),
    (
        "Reads the problem aloud twice.",
        "Half the students start drawing; six wait without writing.",
        "Solve the two-step problem about the bake sale.",
        "application",
    ),
    (
        "Asks a student to justify her answer to the class.",
        "A student says: because the denominators are the same, we only add the tops.",
        "Justify your answer with a model.",
        "evaluation",
    ),
    (
        "Sits with one group for most of the ten minutes.",
        "In the other groups, two of four students do the writing.",
        "Design a poster that shows two ways to make 1.",
        "synthesis",
    ),
    (
        "Hands out fraction strips.",
        "Students fold strips and label the parts.",
        "Use the strips to show 2/6 and 1/3.",
        "application",
    ),
    (
        "Asks: which is bigger, 5/8 or 3/4? Takes three answers.",
        "Three students answer; two use benchmarks, one guesses.",
        "Order the fractions from smallest to largest.",
        "analysis",
    ),
    (
        "Poorly managed transition: it takes four minutes to start.",
        "Students look for materials and talk about recess.",
        "Get your math journal and a pencil.",
        "knowledge",
    ),
    (
        "Models a number line from 0 to 2.",
        "Students place 1/2, 3/2 and 5/4 on their own lines.",
        "Place the fractions on the number line and explain.",
        "comprehension",
    ),
    (
        "Prompts: what do you notice about the denominators?",
        "Students say the denominators get bigger as the pieces get smaller.",
        "Describe the pattern in the table.",
        "analysis",
    ),
    (
        "Collects exit tickets at the door.",
        "Students write one sentence on what they learned.",
        "Write what a fraction means in your own words.",
        "comprehension",
    ),
    (
        "Asks groups to create a word problem for the class.",
        "Pairs write problems about sharing pizza and swap them.",
        "Create a problem that uses 2/3 and solve a classmate's.",
        "synthesis",
    ),
)
NOTES_FR = (
    (
        "L'enseignante lit la consigne à voix haute deux fois.",
        "Les élèves surlignent les mots importants du problème.",
        "Résous le problème en deux étapes et explique ta démarche.",
        "application",
    ),
    (
        "Pose la question : comment sais-tu que ta réponse est juste ?",
        "Trois élèves expliquent à l'aide d'un dessin.",
        "Justifie ta réponse avec un modèle.",
        "evaluation",
    ),
    (
        "Écrit les étapes de la division au tableau.",
        "Les élèves recopient les étapes dans leur cahier.",
        "Recopie les étapes et fais les numéros 1 à 8.",
        "knowledge",
    ),
    (
        "Circule entre les équipes et demande quelle stratégie elles ont choisie.",
        "Les équipes comparent deux stratégies sur une grande feuille.",
        "Compare les deux stratégies et choisis la plus rapide.",
        "analysis",
    ),
    (
        "Donne une explication très bien réussie des fractions équivalentes.",
        "Les élèves sont très motivés.",
        "Trouve trois fractions égales à 1/2.",
        "application",
    ),
    (
        "Distribue des réglettes.",
        "Les élèves plient les bandes et nomment les parties.",
        "Représente 2/6 et 1/3 avec les réglettes.",
        "application",
    ),
    (
        "Demande : quelle fraction est la plus grande, 5/8 ou 3/4 ?",
        "Deux élèves utilisent des repères, un élève devine.",
        "Classe les fractions de la plus petite à la plus grande.",
        "analysis",
    ),
    (
        "La transition est mal gérée : quatre minutes avant de commencer.",
        "Les élèves cherchent leur matériel.",
        "Prends ton cahier de mathématiques.",
        "knowledge",
    ),
    (
        "Trace une droite numérique de 0 à 2.",
        "Les élèves placent 1/2, 3/2 et 5/4 sur leur droite.",
        "Place les fractions sur la droite numérique et explique.",
        "comprehension",
    ),
    (
        "Demande aux équipes d'inventer un problème pour la classe.",
        "Les élèves écrivent un problème sur le partage d'une pizza.",
        "Invente un problème avec 2/3 et résous celui d'un camarade.",
        "synthesis",
    ),
    (
        "Reste avec une équipe pendant dix minutes.",
        "Dans les autres équipes, deux élèves sur quatre écrivent.",
        "Conçois une affiche qui montre deux façons de faire 1.",
        "synthesis",
    ),
    (
        "Ramasse les billets de sortie.",
        "Les élèves écrivent une phrase sur ce qu'ils ont appris.",
        "Explique dans tes mots ce qu'est une fraction.",
        "comprehension",
    ),
)
SCHEDULE = [
    services.ClassroomRow(
        starts=datetime.time(9, 10), minutes=20, grade="6", subject="mathematics"
    ),
    services.ClassroomRow(
        starts=datetime.time(9, 40), minutes=20, grade="5", subject="mathematics"
    ),
    services.ClassroomRow(
        starts=datetime.time(10, 10), minutes=20, grade="3", subject="mathematics"
    ),
    services.ClassroomRow(starts=datetime.time(10, 50), minutes=20, grade="6", subject="language"),
]
STATEMENT_EN = (
    "When students meet a problem with more than one step, what are they asked to do, and what "
    "do they do when they are stuck?"
)
STATEMENT_FR = (
    "Quand les élèves rencontrent un problème en plusieurs étapes, que leur demande-t-on de "
    "faire, et que font-ils lorsqu'ils sont bloqués ?"
)


def _people(names: list[str]) -> dict[str, Any]:
    return {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}


def _problem(actor: Any, school: School, statement: str, language: str) -> ProblemOfPractice:
    """A problem of practice from the school's weakest published result for all students."""
    choices = [c for c in selectors.result_choices(school) if c.group == "all"]
    with translation.override(language):
        evidence = (
            selectors.evidence_sentence(choices[0])
            if choices
            else "Our classroom assessments show students stop at the second step of a problem."
        )
    goals = selectors.goal_choices(school) if selectors.may_see_goal(actor, school) else []
    return services.problem_create(
        user=actor,
        school=school,
        statement=statement,
        evidence=evidence,
        result=choices[0].key if choices else "",
        goal=goals[0] if goals else None,
    )


def _notes(
    rng: random.Random,
    visit: Visit,
    authors: list[Any],
    rows: tuple[tuple[str, str, str, str], ...],
    language: str,
    count: int,
) -> int:
    """`count` notes from `rows`, spread across the team and the schedule, through the sync."""
    positions: list[int | None] = [*visit.classrooms.values_list("position", flat=True)] or [None]
    start = timezone.make_aware(datetime.datetime.combine(visit.on, datetime.time(9, 12)))
    batches: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
    for n in range(count):
        teacher, students, task, level = rows[n % len(rows)]
        author = authors[n % len(authors)]
        batches.setdefault(author.pk, (author, []))[1].append(
            {
                "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "classroom": positions[n % len(positions)],
                "language": language,
                "teacher_doing": teacher,
                "students_doing": students,
                "task": task,
                "level": level if rng.random() < 0.85 else "",
                "written_at": (start + datetime.timedelta(minutes=4 * n)).isoformat(),
            }
        )
    stored = 0
    for author, notes in batches.values():
        results = services.notes_sync(user=author, visit=visit, notes=notes)
        stored += sum(1 for r in results if r.status == services.CREATED)
    return stored


def _to(actor: Any, visit: Visit, *stages: str) -> Visit:
    for stage in stages:
        visit = services.visit_stage_move(user=actor, visit=visit, version=visit.version, to=stage)
    return visit


def _french_school(exclude: School) -> School | None:
    schools = School.objects.filter(language=Language.FRENCH, level=School.Level.ELEMENTARY)
    for school in schools.exclude(pk=exclude.pk).select_related("board").order_by("number")[:20]:
        if any(c.group == "all" for c in selectors.result_choices(school)):
            return school
    return None


def _board_leader(school: School) -> Any:
    membership = (
        Membership.objects.in_force()
        .filter(board=school.board, role=Role.BOARD_LEADER, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user if membership else None


def build(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 12)
    people = _people(
        [
            "principal",
            "team",
            "teacher",
            "superintendent",
            "director",
            "ministry",
            "teacher.2",
            "teacher.3",
        ]
    )
    principal = people.get("principal")
    if principal is None:
        return {}
    home = (
        Membership.objects.filter(user=principal, role=Role.PRINCIPAL)
        .select_related("school__board")
        .first()
    )
    if home is None or home.school is None:
        return {}
    school = home.school
    today = timezone.localdate()
    team = [
        people[n]
        for n in ("team", "teacher", "superintendent", "teacher.2", "teacher.3")
        if n in people
    ]
    counts = {"problems": 0, "visits": 0, "notes": 0}
    with transaction.atomic():
        problem = _problem(principal, school, STATEMENT_EN, "en")
        counts["problems"] += 1
        plans = [
            (today - datetime.timedelta(days=40), [VisitStage.OBSERVING, VisitStage.DEBRIEF], 14),
            (today - datetime.timedelta(days=10), [VisitStage.OBSERVING, VisitStage.DEBRIEF], 13),
            (today, [VisitStage.OBSERVING], 3),
            (today + datetime.timedelta(days=7), [], 0),
        ]
        for on, stages, notes in plans:
            visit = services.visit_create(
                user=principal,
                problem=problem,
                on=on,
                facilitator=people.get("superintendent", principal),
                team=[principal, *team],
                classrooms=SCHEDULE[: 3 + (notes > 0)],
            )
            counts["notes"] += _notes(rng, visit, [principal, *team], NOTES_EN, "en", notes)
            _to(principal, visit, *stages)
            counts["visits"] += 1

        french = _french_school(school)
        other = (
            french
            or School.objects.filter(board=school.board)
            .exclude(pk=school.pk)
            .order_by("number")
            .first()
        )
        leader = _board_leader(other) if other is not None else None
        if other is not None and leader is not None:
            language = "fr" if french is not None else "en"
            problem = _problem(leader, other, STATEMENT_FR if french else STATEMENT_EN, language)
            visitors = [leader, *[p for p in (people.get("ministry"),) if p is not None]]
            visit = services.visit_create(
                user=leader,
                problem=problem,
                on=today - datetime.timedelta(days=5),
                facilitator=leader,
                team=visitors,
                classrooms=SCHEDULE[:3],
            )
            rows = NOTES_FR if french else NOTES_EN
            counts["notes"] += _notes(rng, visit, visitors, rows, language, 12)
            _to(leader, visit, VisitStage.OBSERVING, VisitStage.DEBRIEF)
            counts["problems"] += 1
            counts["visits"] += 1

        counts["visits"] += _network_visit(rng, counts)
    return counts


def _network_visit(rng: random.Random, counts: dict[str, int]) -> int:
    """A network's visit to a member school, for a cycle at the stage co-teach (if any)."""
    cycle = (
        NetworkCycle.objects.filter(stage=Protocol.CO_TEACH)
        .select_related("network")
        .order_by("network__name", "number")
        .first()
    )
    if cycle is None:
        return 0
    facilitation = (
        Membership.objects.in_force()
        .filter(network=cycle.network, role=Role.NETWORK_FACILITATOR, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    members = list(cycle.network.schools.select_related("board").order_by("number"))
    for school in members:
        leader = _board_leader(school)
        if leader is None:
            continue
        actor = facilitation.user if facilitation else leader
        problem = _problem(leader, school, STATEMENT_EN, "en")
        candidates = [
            c.person
            for c in selectors.team_candidates(school, cycle.network)
            if c.person.pk != actor.pk
        ]
        team = [actor, *rng.sample(candidates, min(3, len(candidates)))]
        today = timezone.localdate()
        services.visit_create(
            user=actor,
            problem=problem,
            on=today + datetime.timedelta(days=3),
            facilitator=actor,
            team=team,
            classrooms=SCHEDULE[:3],
            cycle=cycle,
        )
        counts["problems"] += 1
        return 1
    return 0
