from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from capacity.api import api
from capacity.directory.forms import SignInForm
from capacity.notifications.views import set_language
from capacity.operations.health import healthz

admin.site.site_header = _("Capacity administration")
admin.site.site_title = _("Capacity")

urlpatterns = [
    # Answered by capacity.operations.health.HealthCheckMiddleware before the rest of the
    # stack; named here so that reverse() and the URL inventories of the tests know it.
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's switch, also recording a signed-in person's choice as the language of their messages.
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("capacity.audit.urls")),
    path("", include("capacity.evidence.urls")),
    path("", include("capacity.planning.urls")),
    path("", include("capacity.instruments.urls")),
    path("", include("capacity.learning.urls")),
    path("", include("capacity.rounds.urls")),
    path("", include("capacity.notifications.urls")),
    path("", include("capacity.directory.urls")),
    path("", include("capacity.home.urls")),
]

handler403 = "capacity.directory.views_errors.permission_denied"
handler404 = "capacity.directory.views_errors.page_not_found"
