"""Where planning's code lives: reads in selectors, writes in services, views and the API only call them."""

from __future__ import annotations

import importlib
import inspect

import pytest


@pytest.mark.parametrize("module", ["capacity.planning.views", "capacity.planning.api"])
def test_it_keeps_queries_and_writes_out_of_views_and_the_api(module: str) -> None:
    source = inspect.getsource(importlib.import_module(module))
    for forbidden in (".objects", "get_object_or_404", ".save(", ".delete(", "update_or_create"):
        assert forbidden not in source, f"{module} uses {forbidden}: call a selector or a service"


def test_it_has_no_second_module_of_planning_reads() -> None:
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("capacity.planning.monitoring")
