from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from capacity.api import api
from capacity.directory.forms import SignInForm

admin.site.site_header = _("Capacity administration")
admin.site.site_title = _("Capacity")

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("capacity.audit.urls")),
    path("", include("capacity.evidence.urls")),
    path("", include("capacity.planning.urls")),
    path("", include("capacity.directory.urls")),
    path("", include("capacity.home.urls")),
]

handler403 = "capacity.directory.views_errors.permission_denied"
handler404 = "capacity.directory.views_errors.page_not_found"
