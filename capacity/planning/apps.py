from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "capacity.planning"
    label = "planning"
    verbose_name = _("Improvement planning")

    def ready(self) -> None:
        from capacity.evidence.signals import results_changed
        from capacity.planning.services import on_results_changed

        # Schools the new results identify get their focused-intervention plan.
        results_changed.connect(on_results_changed, dispatch_uid="planning.focused_intervention")

        from capacity.audit.details import register_values
        from capacity.planning.models import Kind

        # A timeline's audit detail keeps the plan kind's code; the log shows its name.
        register_values("kind", Kind.choices)

        from capacity.planning import notices

        # The wording of planning's messages and its overdue reminders (capacity/notifications).
        notices.register_kinds()
