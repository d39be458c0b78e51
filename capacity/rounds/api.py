"""The rounds app's API, one router per part; capacity/api.py adds this one."""

from __future__ import annotations

from ninja import Router

from capacity.rounds import api_debrief, api_lessons, api_networks, api_visits

router = Router()
for part in (api_visits, api_debrief, api_lessons, api_networks):
    router.add_router("", part.router)
