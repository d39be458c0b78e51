from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_shipped_after_migrate(sender: Any, **kwargs: Any) -> None:
    """services.load_shipped_after_migrate, imported when it runs: the services reach planning's
    selectors and through them pandas and Ibis, which no command should load at start-up."""
    from capacity.instruments.services import load_shipped_after_migrate

    load_shipped_after_migrate(sender, **kwargs)


class InstrumentsConfig(AppConfig):
    name = "capacity.instruments"
    label = "instruments"
    verbose_name = _("Instruments")

    def ready(self) -> None:
        from capacity.audit.details import register_values
        from capacity.instruments.outcomes import OUTCOMES

        # The audit log names what a load did, not its code.
        register_values("outcome", OUTCOMES)
        from capacity.directory.models import Role

        # A round's audit entry lists the roles it invited.
        register_values("roles", Role.choices)

        from capacity.instruments.models import Invitation, Response, Round
        from capacity.planning.following import follow

        # Home sections list rounds to answer and to close: kept right as rounds and answers change.
        follow(
            counted=(Round, Invitation, Response),
            latest=((Response, "updated_at"), (Round, "closed_at")),
        )

        from capacity.instruments import notices

        # The wording of the instruments' messages and the reminders before a round closes.
        notices.register_kinds()

        # A fresh database gets the shipped instruments (never replacing a loaded wording).
        post_migrate.connect(
            _load_shipped_after_migrate, sender=self, dispatch_uid="instruments.shipped"
        )
