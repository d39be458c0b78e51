from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _on_results_changed(sender: object = None, **kwargs: object) -> None:
    """services_decisions.on_results_changed, imported when results change rather than at start-up:
    it reads the selectors, which pull in pandas and Ibis (a second of every command's start)."""
    from capacity.evidence.services_decisions import on_results_changed

    on_results_changed(sender=sender, **kwargs)


class EvidenceConfig(AppConfig):
    name = "capacity.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from capacity.evidence.services import reference_data_ensure
        from capacity.evidence.signals import results_changed
        from capacity.evidence.tasks import queue_warming

        results_changed.connect(queue_warming, dispatch_uid="evidence.warm_analyses")

        from django.core.signals import request_finished, request_started

        from capacity.fragments import request_began, request_ended

        # A request that has run CAPACITY_STALE_AFTER seconds stops computing analyses
        # (selectors.cached). From fragments, which is light: the selectors pull in pandas.
        request_started.connect(request_began, dispatch_uid="evidence.request_began")
        request_finished.connect(request_ended, dispatch_uid="evidence.request_ended")

        from capacity.audit.details import register_values
        from capacity.evidence import notices_decisions
        from capacity.evidence.models import IdentificationDecision, ProposedChangeKind

        # Identification proposes, people decide (issue 13): an import makes a proposal that a
        # ministry officer decides; no plan opens or ends before (capacity/evidence/services_decisions.py).
        results_changed.connect(
            _on_results_changed, dispatch_uid="evidence.identification_proposal"
        )
        notices_decisions.register_kinds()
        register_values("change", ProposedChangeKind.choices)
        register_values("decision", IdentificationDecision.Outcome.choices)

        # Like Django's content types: reference rows come back after a flush.
        post_migrate.connect(reference_data_ensure, sender=self)
