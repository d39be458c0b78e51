"""Reading the library: the list with its filters, an item, its versions, the user guide, PDFs.

Every item is read through `selectors.get_item_for_user`: published items are every
signed-in person's; an item never published is shown (with a "Draft, not published"
banner) only to those who may read its drafts, and is a 404 to anyone else. The PDFs
are of published versions only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.instruments import selectors as instrument_selectors
from capacity.learning import exports, navigation, reading, selectors
from capacity.learning.forms import LibraryFilterForm
from capacity.learning.models import Context, Item, Kind, Version
from capacity.learning.selectors import ItemRights


def _reader() -> str:
    return (get_language() or "en")[:2]


def _requested(request: HttpRequest) -> str | None:
    """`?lang=en|fr`: read the item in that language when it is written in it."""
    lang = request.GET.get("lang", "")
    return lang if lang in ("en", "fr") else None


@login_required
def library(request: HttpRequest) -> HttpResponse:
    """The library list. A filter value the form refuses (`?characteristic=bogus`) lists nothing
    and says why, as the API answers 422, rather than quietly listing everything."""
    form = LibraryFilterForm(request.GET or None)
    invalid = form.is_bound and not form.is_valid()
    filters = form.cleaned_data if form.is_bound and not invalid else {}
    modules, cases = ([], []) if invalid else reading.cards(selectors.library(filters), _reader())
    return render(
        request,
        "learning/reading_library.html",
        {
            "form": form,
            "invalid": invalid,
            "filtered": invalid or (any(filters.values()) if filters else False),
            # Modules carry no context of use: with that filter the page says so, not "(0)".
            "by_context": bool(filters.get("context")),
            "modules": modules,
            "cases": cases,
            "links": navigation.library_links(request.user),
        },
    )


@login_required
def guide(request: HttpRequest) -> HttpResponse:
    """The user guide; its sections link to the pages they describe that the reader may use,
    and each context of use to the library filtered by it."""
    library_url = reverse("learning_library")
    contexts = [
        (label, reading.CONTEXT_USES[code], f"{library_url}?context={code}")
        for code, label in Context.choices
    ]
    links = {link.key: link.url for link in navigation.library_links(request.user)}
    own = access.led_boards_for(request.user).order_by("name").first()
    return render(
        request,
        "learning/reading_guide.html",
        {
            "contexts": contexts,
            "links": links,
            "own_board": own,
        },
    )


def _draft_url(item: Item) -> str | None:
    """The authoring page of the item's working version, once the authoring pages exist."""
    try:
        return reverse("learning_draft", args=[item.slug])
    except NoReverseMatch:
        return None


def _module_extras(read: reading.Reading) -> dict[str, Any]:
    """A module's case studies (published ones, in the module's order) and its instruments."""
    facts = read.version.facts or {}
    slugs = list(facts.get("case_studies", []))
    found = {
        item.slug: item for item in selectors.published_items(Kind.CASE).filter(slug__in=slugs)
    }
    cases = []
    for slug in slugs:
        item = found.get(slug)
        if item is not None and item.published is not None:
            item.published.item = item
            case = reading.read(item.published, reader=read.reader, requested=read.language)
            if case is not None:
                cases.append(case)
    # The label says what the instrument is for, with its colon (French puts a space before
    # it); the instrument's name follows, so "Module evaluation" is not said twice.
    instruments = []
    for role, code in (
        (_("Self-assessment:"), facts.get("self_assessment")),
        (_("Evaluation:"), facts.get("evaluation")),
    ):
        instrument = instrument_selectors.instrument_by_code(code) if code else None
        if instrument is not None:
            name = instrument.name_fr if read.reader == "fr" else instrument.name_en
            instruments.append((role, code, name))
    return {"cases": cases, "instruments": instruments}


def _page(
    request: HttpRequest,
    item: Item,
    rights: ItemRights,
    version: Version,
    *,
    earlier: bool = False,
) -> HttpResponse:
    version.item = item
    read = reading.read(version, reader=_reader(), requested=_requested(request))
    if read is None:
        raise Http404
    working = item.current if item.current_id and item.current_id != item.published_id else None
    context: dict[str, Any] = {
        "item": item,
        "read": read,
        "rights": rights,
        "earlier": earlier,
        "is_published": version.pk == item.published_id,
        "never_published": item.published_id is None,
        "working": working if rights.read_drafts else None,
        "draft_url": _draft_url(item) if rights.read_drafts and working else None,
    }
    if read.is_module:
        context.update(_module_extras(read))
    return render(request, "learning/reading_item.html", context)


@login_required
def item_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The published version; for an item never published, the working one (to draft readers)."""
    item, rights = selectors.get_item_for_user(request.user, slug)
    version = item.published or item.current
    if version is None:
        raise Http404
    return _page(request, item, rights, version)


@login_required
def versions(request: HttpRequest, slug: str) -> HttpResponse:
    item, rights = selectors.get_item_for_user(request.user, slug)
    rows = []
    for version in selectors.versions_for_user(item, rights):
        version.item = item
        text = reading.pick_text(version, _reader())
        rows.append((version, text, reading.state_label(version.state)))
    return render(
        request,
        "learning/reading_versions.html",
        {"item": item, "rows": rows, "title": _title(item, rights)},
    )


def _title(item: Item, rights: ItemRights) -> str:
    version = item.published or (item.current if rights.read_drafts else None)
    text = reading.pick_text(version, _reader()) if version else None
    return text.title if text else item.slug


@login_required
def version_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    item, rights = selectors.get_item_for_user(request.user, slug)
    version = selectors.get_version_for_user(item, rights, number)
    return _page(request, item, rights, version, earlier=True)


@login_required
def item_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """A case study, or a module's handout, as a PDF: the published version only."""
    item, _rights = selectors.get_item_for_user(request.user, slug)
    if item.published is None:
        raise Http404
    version = item.published
    version.item = item
    text = reading.pick_text(version, _reader(), _requested(request))
    if text is None:
        raise Http404
    # The whole document in the text's language: its headings and labels too.
    with translation.override(text.language):
        read = reading.read(version, reader=text.language)
        assert read is not None
        if read.is_module:
            pdf = exports.module_handout_pdf(read, _module_extras(read)["cases"])
        else:
            pdf = exports.case_pdf(read)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{item.slug}-{read.language}.pdf"'
    return response
