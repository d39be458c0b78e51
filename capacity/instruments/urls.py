from django.urls import path

from capacity.instruments import views

urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views.survey_round, name="survey_round"),
    path("surveys/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("surveys/<int:pk>/respond/", views.survey_respond, name="survey_respond"),
    path("surveys/<int:pk>/report/", views.survey_report, name="survey_report"),
    path(
        "surveys/<int:pk>/report.<str:fmt>", views.survey_report_export, name="survey_report_export"
    ),
    path("surveys/<int:pk>/actions/", views.survey_actions, name="survey_actions"),
    path(
        "surveys/<int:pk>/characteristic-goal/",
        views.survey_characteristic_goal,
        name="survey_characteristic_goal",
    ),
    path("surveys/link/<str:token>/", views.survey_link, name="survey_link"),
    path("register/", views.register, name="register"),
    path("register/<int:pk>/", views.register_entry, name="register_entry"),
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/<slug:code>/", views.instrument_detail, name="instrument_detail"),
]
