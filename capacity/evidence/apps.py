from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "capacity.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from capacity.evidence.services import reference_data_ensure
        from capacity.evidence.signals import results_changed
        from capacity.evidence.tasks import queue_warming

        results_changed.connect(queue_warming, dispatch_uid="evidence.warm_analyses")

        # Like Django's content types: reference rows come back after a flush.
        post_migrate.connect(reference_data_ensure, sender=self)
