"""Pages for reciprocity as a ledger of the capacity given to schools (issue 13)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from capacity.planning import views_ledger

urlpatterns: list[Any] = [
    path("plans/ledger/", views_ledger.ledger_index, name="ledger_index"),
    path("plans/ledger/export.<str:fmt>", views_ledger.ledger_export, name="ledger_export"),
    path("plans/ledger/boards/<str:number>/", views_ledger.ledger_board, name="ledger_board"),
    path("plans/ledger/schools/<str:number>/", views_ledger.ledger_school, name="ledger_school"),
    path("plans/ledger/give/", views_ledger.ledger_give, name="ledger_give"),
    path("plans/ledger/given/<int:pk>/", views_ledger.ledger_gift, name="ledger_gift"),
    path("support/<int:pk>/escalate/", views_ledger.ledger_escalate, name="ledger_escalate"),
]
