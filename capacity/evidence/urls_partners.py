"""Pages for schools that beat the odds over several years, and partners for identified schools
(issue 13).
"""

from __future__ import annotations

from typing import Any

from django.urls import path

from capacity.evidence import views_partners

urlpatterns: list[Any] = [
    path(
        "evidence/beat-the-odds/",
        views_partners.partners_province,
        name="partners_province",
    ),
    path(
        "evidence/beat-the-odds.<str:fmt>",
        views_partners.partners_province_download,
        name="partners_province_download",
    ),
    path(
        "boards/<str:number>/evidence/beat-the-odds/",
        views_partners.partners_board,
        name="partners_board",
    ),
    path(
        "boards/<str:number>/evidence/beat-the-odds.<str:fmt>",
        views_partners.partners_board_download,
        name="partners_board_download",
    ),
    path(
        "schools/<str:number>/evidence/partners/",
        views_partners.partners_school,
        name="partners_school",
    ),
]
