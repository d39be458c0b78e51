from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "capacity.rounds"
    label = "rounds"
    verbose_name = _("Rounds and networks")

    def ready(self) -> None:
        from capacity.planning.following import follow
        from capacity.rounds import (
            models,
            notices_debrief,
            notices_lessons,
            notices_networks,
            notices_visits,
        )

        for part in (notices_visits, notices_debrief, notices_lessons, notices_networks):
            part.register_kinds()
        # Home sections list visits coming up, debriefs to finish, studies and networks' work.
        follow(
            counted=(
                models.ProblemOfPractice,
                models.Visit,
                models.VisitMember,
                models.Note,
                models.NextStep,
                models.LessonStudy,
                models.LessonCycle,
                models.NetworkSuggestion,
                models.Agreement,
                models.NetworkCycle,
                models.NetworkAction,
            ),
            latest=(
                (models.ProblemOfPractice, "updated_at"),
                (models.Visit, "updated_at"),
                (models.Note, "updated_at"),
                (models.LessonStudy, "updated_at"),
                (models.LessonCycle, "updated_at"),
                (models.NetworkCycle, "updated_at"),
            ),
        )
