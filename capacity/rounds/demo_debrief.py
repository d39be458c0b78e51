"""The demo's debriefs (capacity/rounds/demo.py runs the parts in order, after the visits).

Every visit the visits part left at its debrief, except each school's newest (which stays on
its facilitator's home page, a debrief to finish), is debriefed through the services as a
team would: the notes grouped, each theme named in the team's words, the prediction answered
from the tasks' levels, three steps of the next level of work (by next week, next month and
the end of the year), the first school visit's year step made a strategy of the school's plan
by its principal and the first network visit's month step a network action by its
facilitator, and the debrief finished. Safe to run twice: finished debriefs are left alone.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.folding import fold
from capacity.planning.services import Conflict
from capacity.rounds import affinity
from capacity.rounds import selectors_debrief as selectors
from capacity.rounds import services_debrief as services
from capacity.rounds.models import NextStep, Visit, VisitStage

logger = logging.getLogger(__name__)

# Names a team gives a theme, by a word its notes share (folded stems' beginnings); a theme
# none of them fits keeps a name made from its own words.
THEME_NAMES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("group", "partner", "discus", "discut", "pair"),
        "Students talk in groups",
        "Les élèves discutent en groupes",
    ),
    (("definit", "copi", "cop"), "Copying from the board", "Copier au tableau"),
    (
        ("fraction", "manipul", "block", "bloc", "strip", "band"),
        "Fractions with materials",
        "Les fractions avec du matériel",
    ),
    (
        ("question", "wait", "attend"),
        "Open questions and wait time",
        "Questions ouvertes et temps d'attente",
    ),
    (("read", "lectur", "lis", "text", "texte"), "Reading and retelling", "Lire et redire"),
    (("worksheet", "fich", "exercis", "exercic"), "Worksheets and practice", "Fiches et exercices"),
    (
        ("explain", "expliqu", "reason", "raison", "justif"),
        "Explaining reasoning",
        "Expliquer son raisonnement",
    ),
)

STEPS = {
    "en": (
        (
            "week",
            "Each teacher on the team tries one open question in a lesson and notes what students say.",
        ),
        (
            "month",
            "Grade teams rewrite one task a week so that students compare, classify or justify.",
        ),
        (
            "year",
            "Every unit plan has at least one task at analysis or above, and we visit again to see it.",
        ),
    ),
    "fr": (
        (
            "week",
            "Chaque enseignant ou enseignante de l'équipe essaie une question ouverte "
            "et note ce que disent les élèves.",
        ),
        (
            "month",
            "Les équipes de niveau réécrivent une tâche par semaine pour que les élèves "
            "comparent, classent ou justifient.",
        ),
        (
            "year",
            "Chaque unité compte au moins une tâche d'analyse ou plus, et nous revenons l'observer.",
        ),
    ),
}


def _language(visit: Visit) -> str:
    return "fr" if str(getattr(visit.school, "language", "")).lower().startswith("f") else "en"


def theme_name(group: affinity.Group, language: str) -> str:
    """The team's name for a theme: the first listed name whose word its notes share."""
    stems = [fold(t.stem) for t in group.terms]
    for words, english, french in THEME_NAMES:
        if any(stem.startswith(word) for stem in stems for word in words):
            return french if language == "fr" else english
    return group.suggested_name


def prediction(debrief: selectors.Debrief, language: str) -> str:
    """The team's answer from the tasks they saw: what most tasks asked for."""
    with translation.override(language):
        levelled = debrief.levelled
        if not levelled:
            return _(
                "To follow the steps the teacher gave; we could not tell what the tasks asked beyond that."
            )
        lower = sum(debrief.levels[c]["count"] for c in ("knowledge", "comprehension"))
        higher = sum(debrief.levels[c]["count"] for c in selectors.HIGHER_LEVELS)
        return _(
            "Of the %(n)s tasks we saw, %(lower)s asked students to recall or restate and "
            "%(higher)s to compare, create or judge. Doing exactly what was asked, a student "
            "would know how to find and repeat answers more than how to explain why they hold."
        ) % {"n": levelled, "lower": lower, "higher": higher}


def _debrief(visit: Visit, made: dict[str, int]) -> None:
    user = visit.facilitator
    language = _language(visit)
    if selectors.stored_grouping(visit) is None:
        visit = services.debrief_group(user=user, visit=visit, version=visit.version)
    grouping = selectors.stored_grouping(visit)
    assert grouping is not None
    used: set[str] = set()
    for group in grouping.groups:
        name = theme_name(group, language)
        if name in used:
            name = group.suggested_name
        used.add(name)
        visit = services.debrief_rename(
            user=user, visit=visit, version=visit.version, group=group.key, name=name
        )
        made["themes"] += 1
    # A note the words left out goes where the team puts it: the first theme.
    for note in grouping.ungrouped:
        if grouping.groups:
            visit = services.debrief_move(
                user=user,
                visit=visit,
                version=visit.version,
                note=note,
                to_group=grouping.groups[0].key,
            )
    debrief = selectors.debrief_for(visit)
    visit = services.debrief_predict(
        user=user, visit=visit, version=visit.version, prediction=prediction(debrief, language)
    )
    for horizon, text in STEPS[language]:
        services.next_step_add(user=user, visit=visit, horizon=horizon, text=text)
        made["next_steps"] += 1
    services.debrief_finish(user=user, visit=visit, version=visit.version)
    made["debriefs"] += 1


def _strategy(visit: Visit, made: dict[str, int]) -> bool:
    if selectors.current_plan(visit) is None:
        return False
    for person in access.school_team_people([visit.school_id]).get(visit.school_id, []):
        found, goals = selectors.goals_for_steps(person, visit)
        if found is None or not goals:
            continue
        step = NextStep.objects.filter(
            visit=visit, horizon="year", strategy=None, action=None
        ).first()
        if step is None:
            return False
        with translation.override(_language(visit)):
            responsible = _("The school improvement team")
        try:
            services.next_step_strategy(
                user=person, step=step, goal=goals[0], seen=found.version, responsible=responsible
            )
        except (ValidationError, PermissionDenied, Conflict) as refused:
            logger.info("Demo: visit %s's step stays a step: %s", visit.pk, refused)
            return False
        made["strategies"] += 1
        return True
    return False


def _action(visit: Visit, made: dict[str, int]) -> bool:
    step = NextStep.objects.filter(visit=visit, horizon="month", strategy=None, action=None).first()
    if step is None:
        return False
    services.next_step_action(user=visit.facilitator, step=step)
    made["network_actions"] += 1
    return True


def build(*, seed: int) -> dict[str, int]:
    """Counts of what was made. Nothing here is random: `seed` is the demo's, kept for its shape."""
    made = {"debriefs": 0, "themes": 0, "next_steps": 0, "strategies": 0, "network_actions": 0}
    waiting = list(
        Visit.objects.filter(stage=VisitStage.DEBRIEF)
        .select_related("school", "facilitator", "problem")
        .order_by("school_id", "-on", "-pk")
    )
    newest: set[int] = set()
    chosen: list[Visit] = []
    for visit in waiting:
        if visit.school_id not in newest:
            newest.add(visit.school_id)  # each school's newest debrief stays to be finished
            continue
        if visit.notes.exists():
            chosen.append(visit)
    strategy_done = action_done = False
    for visit in sorted(chosen, key=lambda v: (v.on, v.pk)):
        try:
            _debrief(visit, made)
        except (ValidationError, PermissionDenied) as refused:
            logger.warning("Demo: the debrief of visit %s was refused: %s", visit.pk, refused)
            continue
        visit.refresh_from_db()
        if visit.network_id is None and not strategy_done:
            strategy_done = _strategy(visit, made)
        elif visit.network_id is not None and not action_done:
            action_done = _action(visit, made)
    return made
