from django.urls import path

from capacity.evidence import parts_join, views

urlpatterns = [
    path("evidence/", views.province_overview, name="province_evidence"),
    path("evidence/simulate/", views.simulator, name="simulator"),
    path("evidence/imports/", views.result_imports, name="result_imports"),
    path("evidence/imports/<int:pk>/", views.result_import, name="result_import"),
    path(
        "evidence/imports/<int:pk>/problems.<str:fmt>",
        views.result_import_problems,
        name="result_import_problems",
    ),
    path("boards/<str:number>/evidence/", views.board_evidence, name="board_evidence"),
    path("schools/<str:number>/evidence/", views.school_evidence, name="school_evidence"),
    *parts_join.urlpatterns,
]
