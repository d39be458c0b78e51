"""The board home page's "What to read next": for each board a person leads, the top modules and
case studies for its weakest characteristics, with their reasons (capacity/learning/recommend.py).

Board leaders only: they read the self-assessment's report (access.can_run_survey), and what
to read next names its weakest characteristics. A ministry officer, who may read every board's,
finds them on the board profiles rather than on a home page that would list 72 boards.
The section is kept with the others under planning's pages version, which follows survey
rounds and answers (instruments' apps.py) and the library's versions (learning's apps.py), so
a round that closes or a case study published shows on the next visit.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.homeitems import INFO, HomeItem, HomeSection
from capacity.learning import recommend

# Per board: the first modules and the best case study, enough to start from.
MODULES_SHOWN = 2
CASES_SHOWN = 1


def _item(rec: recommend.Recommendation, language: str) -> HomeItem:
    version = rec.item.published
    text = version.text(language) if version is not None else None
    return HomeItem(
        text=text.title if text is not None else rec.item.slug,
        url=reverse("learning_item", args=[rec.item.slug]),
        status=INFO,
        status_text=rec.kind_label,
        detail=" · ".join(rec.reasons),
    )


def sections(user: Any) -> list[HomeSection]:
    out = []
    language = (get_language() or "en")[:2]
    for board in access.led_boards_for(user).order_by("name"):
        assessment, _weakest, found = recommend.for_board(board, own=True)
        modules = [r for r in found if r.item.kind == "module"][:MODULES_SHOWN]
        cases = [r for r in found if r.item.kind == "case"][:CASES_SHOWN]
        if assessment is None:
            empty = _(
                "Once a self-assessment of the nine characteristics closes with enough "
                "respondents, the modules and case studies for the board's weakest "
                "characteristics appear here."
            )
        elif not assessment.shown:
            empty = _(
                "The last self-assessment had fewer than %(n)s respondents, so its figures are "
                "hidden and nothing is recommended from it."
            ) % {"n": assessment.minimum}
        else:
            empty = _("No published module or case study addresses the weakest characteristics.")
        out.append(
            HomeSection(
                heading_id=f"home-read-next-{board.number}",
                title=_("What to read next: %(board)s") % {"board": board.name},
                items=tuple(_item(rec, language) for rec in modules + cases),
                empty=empty,
                more_url=reverse("learning_board", args=[board.number]),
                more_text=_("The board's profile"),
                order=70,
            )
        )
    return out
