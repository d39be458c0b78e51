"""Every instruments read. Instruments themselves are not confidential: anyone signed in may
read a definition; rounds and responses (later) are scoped to the reader."""

from __future__ import annotations

from typing import Any

from capacity.instruments.definition import Definition, from_json
from capacity.instruments.models import Instrument


def instruments() -> list[Instrument]:
    return list(Instrument.objects.order_by("code"))


def definition_of(instrument: Instrument) -> Definition:
    return from_json(instrument.definition)


def summary(definition: Definition) -> dict[str, Any]:
    """What `capacity instruments list` prints: structure and counts, no wording but the names."""
    scale = definition.scale
    return {
        "code": definition.code,
        "version": definition.version,
        "name": {"en": definition.name.en, "fr": definition.name.fr},
        "kind": definition.kind,
        "respondents": list(definition.respondents),
        "raters": list(definition.raters),
        "scoring": definition.scoring,
        "min_respondents": definition.min_respondents,
        "scale": None
        if scale is None
        else {"kind": scale.kind, "min": scale.min, "max": scale.max},
        "dimensions": [
            {
                "code": d.code,
                "name": d.name.en,
                "items": len(d.items),
                "reverse_scored": sum(i.reverse for i in d.items),
                **({"effect_size": d.effect_size} if d.effect_size is not None else {}),
            }
            for d in definition.dimensions
        ],
        "items": len(definition.items),
        "reverse_scored": definition.reverse_count,
    }


def instrument_summaries() -> list[dict[str, Any]]:
    return [summary(definition_of(instrument)) for instrument in instruments()]
