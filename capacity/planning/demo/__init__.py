"""Improvement plans for the demo province, at every stage of the Plan-Act-Observe-Reflect cycle.

Built after the demo's results (capacity.evidence.demo), so that plans read
the evidence the way real ones would:

* every school the default policy identifies in the latest results year gets
  a focused-intervention plan (planning.services.focused_intervention_start);
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
bulk writer that leaves the same rows, versions, PlanChange history (action,
item, fields, version, who) and submission snapshots (a test holds the two
to the same result, field by field), because a service call per step takes
over a minute on SQLite for a few hundred plans; closing a year still goes
through the service, which carries the unfinished goals forward.
Measure entries and timelines have no service and are created directly, and
the principals on record for sampled schools are bulk-created like the
directory demo's directors.

Texts are demo data, in English, and never name a student: marker students
are codes such as M-07. The same seed gives the same plans.

The package, in the order a reader needs it:

* texts.py: the banks of words the plans are written from;
* script.py: the script of one plan's year (what it holds, how far it goes);
* writers.py: writing each step through the services, or in bulk;
* province.py: the province builder (who gets a plan, the people who act).
"""

from __future__ import annotations

from capacity.planning.demo.province import (
    ACTOR,
    FOCUS_PRINCIPAL,
    FOCUS_SUPERINTENDENT,
    HISTORY_SHARE,
    SAMPLE_BOARDS,
    SAMPLE_SCHOOLS,
    build_demo_plans,
    demo_plan_accounts,
)
from capacity.planning.demo.script import (
    ACCEPTED,
    ACT,
    CLOSED,
    DRAFT,
    FOCUSED_SCRIPTS,
    OBSERVE,
    PREVIOUS,
    REFLECT,
    RETURNED,
    SCRIPTS,
    SUBMITTED,
    YEAR,
)

__all__ = [
    "ACCEPTED",
    "ACT",
    "ACTOR",
    "CLOSED",
    "DRAFT",
    "FOCUSED_SCRIPTS",
    "FOCUS_PRINCIPAL",
    "FOCUS_SUPERINTENDENT",
    "HISTORY_SHARE",
    "OBSERVE",
    "PREVIOUS",
    "REFLECT",
    "RETURNED",
    "SAMPLE_BOARDS",
    "SAMPLE_SCHOOLS",
    "SCRIPTS",
    "SUBMITTED",
    "YEAR",
    "build_demo_plans",
    "demo_plan_accounts",
]
