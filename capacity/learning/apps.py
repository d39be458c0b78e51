from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "capacity.learning"
    label = "learning"
    verbose_name = _("Learning library")

    def ready(self) -> None:
        from capacity.learning import hooks, notices
        from capacity.learning.models import Comment, Item, Session, Version
        from capacity.planning.following import follow

        notices.register_kinds()
        # The search index follows each item's published version.
        hooks.on_publish(hooks.index_item)
        # Home sections list case studies to review and sessions coming up.
        follow(
            counted=(Item, Version, Comment, Session),
            latest=((Version, "updated_at"), (Session, "updated_at")),
        )
