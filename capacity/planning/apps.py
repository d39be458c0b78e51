from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "capacity.planning"
    label = "planning"
    verbose_name = _("Improvement planning")

    def ready(self) -> None:
        from capacity.evidence.models import (
            IdentificationDecision,
            IdentificationProposal,
            ProposedChange,
        )
        from capacity.evidence.signals import identification_decided
        from capacity.planning.following import follow
        from capacity.planning.services import on_identification_decided

        # Identification proposes, people decide (issue 13): a results import makes a proposal
        # (evidence), and a ministry officer's confirmed entry opens or keeps a school's
        # focused-intervention plan, a confirmed exit ends it.
        identification_decided.connect(
            on_identification_decided, dispatch_uid="planning.focused_intervention"
        )
        # The ministry's home item "identification decisions waiting" follows proposals and decisions.
        follow(counted=(IdentificationProposal, ProposedChange, IdentificationDecision))

        from capacity.audit.details import register_values
        from capacity.planning.models import Kind

        # A timeline's audit detail keeps the plan kind's code; the log shows its name.
        register_values("kind", Kind.choices)
        # Pedagogical documentation keeps its consent code in the audit detail (yearclose).
        from capacity.planning.models import Consent

        register_values("consent", Consent.choices)
        from capacity.planning.models import Removal

        register_values("removed_because", Removal.choices)

        from capacity.planning import notices

        # The wording of planning's messages and its overdue reminders (capacity/notifications).
        notices.register_kinds()

        from capacity.planning import notices_themes

        # The daily reminder of late timelines (act, observe and reflect by; issue 13).
        notices_themes.register_kinds()

        from capacity.planning import notices_ledger

        # The reciprocity ledger's messages and the labels of its audit details (issue 13).
        notices_ledger.register_kinds()

        from capacity.planning import notices_implementation

        # Strategies not reviewed at a checkpoint: a reminder to the plan's team (issue 13).
        notices_implementation.register_kinds()
