from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "capacity.instruments"
    label = "instruments"
    verbose_name = _("Instruments")

    def ready(self) -> None:
        from capacity.audit.details import register_values
        from capacity.instruments.services import OUTCOMES, load_shipped_after_migrate

        # The audit log names what a load did, not its code.
        register_values("outcome", OUTCOMES)

        # A fresh database gets the shipped instruments (never replacing a loaded wording).
        post_migrate.connect(
            load_shipped_after_migrate, sender=self, dispatch_uid="instruments.shipped"
        )
