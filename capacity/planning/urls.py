from django.urls import path

from capacity.planning import parts_join, views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/timelines/", views.timelines, name="plan_timelines"),
    path("plans/export.<str:fmt>", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/action/", views.plan_action, name="plan_action"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan_history"),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/goals/new/", views.goal_new, name="goal_new"),
    path("plans/<int:pk>/checkpoints/new/", views.checkpoint_new, name="checkpoint_new"),
    path("plans/<int:pk>/goals/<int:goal_id>/targets/new/", views.target_new, name="target_new"),
    path(
        "plans/<int:pk>/goals/<int:goal_id>/strategies/new/",
        views.strategy_new,
        name="strategy_new",
    ),
    path("plans/<int:pk>/targets/<int:target_id>/entries/new/", views.entry_new, name="entry_new"),
    path("plans/<int:pk>/entries/<int:entry_id>/file", views.entry_file, name="entry_file"),
    path("plans/<int:pk>/<str:kind>/<int:item_id>/", views.plan_item, name="plan_item"),
    path("support/", views.support_list, name="support_list"),
    path("support/new/", views.support_new, name="support_new"),
    path("support/<int:pk>/", views.support_detail, name="support_detail"),
    *parts_join.urlpatterns,
]
