from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "capacity.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from capacity.operations.logs import end_request

        # The request's log context lasts until the server has sent the answer, so that
        # Django's own lines written after the middleware returned ("Forbidden: /path")
        # still carry the request id; nothing after it does.
        request_finished.connect(end_request, dispatch_uid="capacity.operations.end_request")
