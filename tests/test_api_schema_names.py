"""Every schema the API answers with has a name of its own.

django-ninja names an OpenAPI component after its class, so two apps' `TextOut` classes
became one component and the document described the library's texts with the instruments'
names (schemathesis caught `/api/instruments` answering against the wrong schema).
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path

from ninja import Schema

import capacity

PACKAGE = Path(capacity.__file__).parent


def test_no_two_api_schemas_share_a_name() -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    # Each app's api.py and its parts' api_<part>.py (the rounds, the focused-intervention loop).
    paths = sorted({*PACKAGE.glob("*/api.py"), *PACKAGE.glob("*/api_*.py")})
    for path in paths + [PACKAGE / "api_common.py"]:
        module = importlib.import_module(
            "capacity." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        )
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                seen[value.__name__].add(module.__name__)
    shared = {name: sorted(where) for name, where in seen.items() if len(where) > 1}
    assert not shared, f"rename one of each: {shared}"


def test_the_openapi_document_names_the_librarys_texts_apart_from_the_instruments() -> None:
    from capacity.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    assert "LibraryTextOut" in components and "TextOut" in components
    assert set(components["TextOut"]["properties"]) == {"en", "fr"}
