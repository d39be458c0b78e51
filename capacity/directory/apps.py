from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "capacity.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from capacity.audit.details import register_values
        from capacity.directory import signals  # noqa: F401  (connects the sign-in audit)
        from capacity.directory.models import Role

        # Audit details keep role codes; the log shows their names.
        register_values("role", Role.choices)
