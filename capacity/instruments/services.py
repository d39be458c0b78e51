"""Every instrument write: loading a definition (a new instrument, another wording, a new version).

Loading is safe to run twice: the same content again changes nothing. Another
wording of the same structure replaces the wording (an organisation's licensed
text); a changed structure needs a higher version, so results are never compared
across instruments that ask different things under the same number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.instruments.definition import Definition, DefinitionError, Problem, parse
from capacity.instruments.models import Instrument

SHIPPED = Path(__file__).resolve().parent / "definitions"

CREATED = "created"
UNCHANGED = "unchanged"
WORDING = "wording"
VERSION = "version"
OUTCOMES = (
    (CREATED, _("a new instrument")),
    (WORDING, _("another wording of the same structure")),
    (VERSION, _("a new version")),
)


@dataclass(frozen=True)
class Loaded:
    instrument: Instrument
    outcome: str  # CREATED, UNCHANGED, WORDING or VERSION
    definition: Definition


def read_file(path: Path) -> str:
    """The file's text, refusing what is not UTF-8 (with the byte's position) or not a file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DefinitionError(
            [Problem(path.name, None, "", f"cannot be read: {error.strerror or error}")]
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DefinitionError(
            [
                Problem(
                    path.name,
                    line,
                    "",
                    f"byte {error.start + 1} is not UTF-8: save the file as UTF-8",
                )
            ]
        ) from None


@transaction.atomic
def instrument_load(
    *,
    text: str,
    file_name: str,
    actor: Any = None,
    actor_label: str = "",
    shipped: bool = False,
    audit: bool = True,
) -> Loaded:
    """Check and store one definition; DefinitionError (nothing stored) when it is refused.

    Every load a person asks for is audited; a fresh database taking the shipped
    definitions (`audit=False`, from migrate) is Capacity setting itself up, not an action.
    """
    definition = parse(text, file_name)
    current = Instrument.objects.select_for_update().filter(code=definition.code).first()
    content = definition.content_digest()
    structure = definition.structure_digest()
    if current is not None:
        if current.content_digest == content:
            return Loaded(current, UNCHANGED, definition)
        if current.structure_digest == structure and definition.version == current.version:
            outcome = WORDING
        elif definition.version > current.version:
            outcome = VERSION
        else:
            why = (
                f"version {definition.version} is older than the loaded version {current.version}"
                if definition.version < current.version
                else "the structure (dimensions, items, scale, reverse flags or scoring) differs "
                f"from the loaded version {current.version}: raise the version"
            )
            raise DefinitionError([Problem(file_name, None, "version", why)])
    instrument = current or Instrument(code=definition.code)
    instrument.version = definition.version
    instrument.kind = definition.kind
    instrument.name_en, instrument.name_fr = definition.name.en, definition.name.fr
    instrument.definition = definition.as_json()
    instrument.structure_digest, instrument.content_digest = structure, content
    instrument.source_file = file_name[:300]
    instrument.shipped = shipped
    instrument.full_clean()
    instrument.save()
    if audit:
        audit_record(
            action=Action.INSTRUMENT_LOADED,
            actor=actor,
            actor_label=actor_label,
            target=definition.code,
            detail={
                "instrument_version": definition.version,
                "source": file_name,
                "outcome": CREATED if current is None else outcome,
                "content": content,
            },
        )
    return Loaded(instrument, CREATED if current is None else outcome, definition)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.yaml"))


def load_shipped(
    *, replace: bool = False, actor_label: str = "capacity", audit: bool = True
) -> list[Loaded]:
    """Load the definitions Capacity ships. An instrument already loaded is left as it is
    (an organisation's wording stays) unless `replace`."""
    loaded = []
    present = set(Instrument.objects.values_list("code", flat=True))
    for path in shipped_files():
        text = read_file(path)
        if not replace and parse(text, path.name).code in present:
            continue
        loaded.append(
            instrument_load(
                text=text, file_name=path.name, actor_label=actor_label, shipped=True, audit=audit
            )
        )
    return loaded


def load_shipped_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate: a database that has the instruments table gets the shipped instruments."""
    using = kwargs.get("using", "default")
    if using != "default" or not kwargs.get("apps"):
        return
    try:
        kwargs["apps"].get_model("instruments", "Instrument")
    except LookupError:  # migrated backwards past the app's first migration
        return
    load_shipped(actor_label="capacity migrate", audit=False)
