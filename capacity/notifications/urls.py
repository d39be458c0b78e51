from django.urls import path

from capacity.notifications import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/read/", views.notification_read, name="notification_read"),
    path(
        "account/notifications/",
        views.notification_preferences,
        name="notification_preferences",
    ),
]
