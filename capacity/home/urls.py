from django.urls import path

from capacity.home import views

urlpatterns = [
    path("", views.home, name="home"),
]
