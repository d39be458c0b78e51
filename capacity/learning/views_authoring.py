"""Writing and reviewing case studies: the form, the draft page, the workflow's actions, the lists.

Board leaders write their board's case studies (in English, French or both) and submit
them; coordinators (ministry officers) comment, return or publish. Who may do what is
decided in directory/access.py and enforced by the services; these views only show the
actions the person may take. A draft is 404 to anyone who may not read it (selectors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity.directory import access
from capacity.directory.models import Board
from capacity.learning import selectors, selectors_authoring, services
from capacity.learning.forms_authoring import (
    LANGUAGES,
    CaseFactsForm,
    CaseTextForm,
    text_initial,
    unbound_copy,
)
from capacity.learning.models import Context, Item, Language, Origin, State
from capacity.planning.models import Characteristic

# The states in which the authors may start editing (a returned or published version is kept
# as it was; their edit starts the next version).
EDITABLE = (State.DRAFT, State.RETURNED, State.PUBLISHED)


def _ui_language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def _languages(request: HttpRequest, default: list[str]) -> list[str]:
    """The languages the form is written in: the hidden `languages` fields, in a fixed order."""
    if request.method != "POST":
        return default
    chosen = set(request.POST.getlist("languages"))
    return [language for language in LANGUAGES if language in chosen] or default


def _put_errors(error: ValidationError, facts: CaseFactsForm, texts: list[CaseTextForm]) -> None:
    """The service's errors on the fields they concern ("fr-section-3" -> the French form's
    section_3); anything else at the top of the form."""
    by_language = {form.language: form for form in texts}
    for key, problems in error.message_dict.items():
        language, _sep, rest = key.partition("-")
        field = rest.replace("-", "_")
        if language in by_language and field in by_language[language].fields:
            by_language[language].add_error(field, problems)
        elif key in facts.fields:
            facts.add_error(key, problems)
        else:
            facts.add_error(None, problems)


@dataclass(frozen=True)
class NamedError:
    """One line of an error summary: the field it concerns, named as the form labels it (a
    guiding question by its heading, in its text's language, with the language named), and a
    link to that field, so that a person who is told "answer this question" knows which."""

    field: str
    field_language: str  # the language of `field` when it is not the page's (a heading), or ""
    language: str  # "English" / "French" for a field of one language's text, or ""
    message: str
    href: str


def _language_after_field(language: str) -> str:
    """ "English" in "Summary (English)": French writes it in lower case ("Résumé (anglais)")."""
    if language == "fr":
        return pgettext("a text's language, after a field's name", "French")
    return pgettext("a text's language, after a field's name", "English")


def _named(form: forms.Form, name: str, message: str, page: str) -> NamedError:
    """A problem of `form`'s field `name`, linked to the field on `page` ("" for this page)."""
    field = form.fields[name]
    anchor = form[name].auto_id
    if isinstance(field.widget, forms.CheckboxSelectMultiple):
        anchor = f"{anchor}_0"  # the first box: the group itself has no id to go to
    language = getattr(form, "language", "")
    return NamedError(
        field=str(field.label),
        field_language=language if name.startswith("section_") else "",
        language=_language_after_field(language) if language else "",
        message=str(message),
        href=f"{page}#{anchor}",
    )


def _form_errors(
    facts: CaseFactsForm, texts: list[CaseTextForm]
) -> tuple[list[str], list[NamedError]]:
    """The bound forms' errors for the summary at the top: those of no field, then one line per
    field's problem, in the order of the page."""
    general: list[str] = [str(e) for e in facts.non_field_errors()]
    named: list[NamedError] = []
    for form in (facts, *texts):
        if form is not facts:
            general += [str(e) for e in form.non_field_errors()]
        for name in form.fields:
            named += [_named(form, name, str(problem), "") for problem in form.errors.get(name, [])]
    return general, named


def _service_errors(error: ValidationError, *, page: str) -> tuple[list[str], list[NamedError]]:
    """A service's refusal as the error summary of the draft page: a problem of a field
    ("fr-section-3", "en-summary", "year") is named and linked to that field on the edit form
    (`page`); anything else is said as it is."""
    facts = CaseFactsForm(boards=None)
    texts = {language: CaseTextForm(language=language) for language in LANGUAGES}
    general: list[str] = []
    named: list[NamedError] = []
    for key, problems in error.message_dict.items():
        language, _sep, rest = key.partition("-")
        field = rest.replace("-", "_")
        if language in texts and field in texts[language].fields:
            named += [_named(texts[language], field, problem, page) for problem in problems]
        elif key in facts.fields and not facts[key].is_hidden:
            named += [_named(facts, key, problem, page) for problem in problems]
        else:
            general += problems
    return general, named


def _form_page(
    request: HttpRequest,
    *,
    item: Item | None,
    boards: list[tuple[str, str]] | None,
    facts_initial: dict[str, Any],
    texts_initial: dict[str, dict[str, Any]],
    revision: int | None = None,
) -> HttpResponse:
    """The form of a new case study (item None) or of an edit; on POST, add or remove a language
    (shown again, nothing saved), or save."""
    languages = _languages(request, list(texts_initial) or [_ui_language()])
    post = request.POST if request.method == "POST" else None
    changing = post is not None and ("add_language" in post or "remove_language" in post)
    if post is not None and changing:
        bound_facts = CaseFactsForm(post, boards=boards)
        bound_texts = {language: CaseTextForm(post, language=language) for language in languages}
        added, removed = post.get("add_language"), post.get("remove_language")
        if added in LANGUAGES and added not in languages:
            languages = [language for language in LANGUAGES if language in {*languages, added}]
        if removed in languages and len(languages) > 1:
            languages = [language for language in languages if language != removed]
        facts = CaseFactsForm(initial=unbound_copy(bound_facts), boards=boards)
        texts = [
            CaseTextForm(
                initial=unbound_copy(bound_texts[language]) if language in bound_texts else {},
                language=language,
            )
            for language in languages
        ]
        return _render_form(request, item, facts, texts, focus=added or "")
    if post is None:
        initial = dict(facts_initial)
        if revision is not None:
            initial["revision"] = revision
        facts = CaseFactsForm(initial=initial, boards=boards)
        texts = [
            CaseTextForm(initial=texts_initial.get(language, {}), language=language)
            for language in languages
        ]
        return _render_form(request, item, facts, texts)
    if boards is not None and post.get("board") not in {value for value, _name in boards}:
        raise PermissionDenied  # a board the form never offered this person
    facts = CaseFactsForm(post, boards=boards)
    texts = [CaseTextForm(post, language=language) for language in languages]
    if not (facts.is_valid() and all(form.is_valid() for form in texts)):
        return _render_form(request, item, facts, texts)
    written = {form.language: form.text() for form in texts}
    conflict = False
    try:
        if item is None:
            board = Board.objects.get(pk=facts.cleaned_data["board"])
            item = services.case_draft_create(
                user=request.user, board=board, facts=facts.facts(), texts=written
            )
        else:
            seen = facts.cleaned_data["revision"] or 0
            current = selectors_authoring.working_version(item)
            conflict = current.state != State.SUBMITTED and current.revision != seen
            services.case_draft_update(
                user=request.user, item=item, revision=seen, facts=facts.facts(), texts=written
            )
    except ValidationError as error:
        if conflict and item is not None:
            # Their text stays on the page; saving again now replaces the other person's.
            data = post.copy()
            data["revision"] = str(selectors_authoring.working_version(item).revision)
            facts = CaseFactsForm(data, boards=boards)
            facts.is_valid()
            texts = [CaseTextForm(data, language=language) for language in languages]
            for form in texts:
                form.is_valid()
        else:
            _put_errors(error, facts, texts)
        return _render_form(request, item, facts, texts, conflict=conflict)
    messages.success(request, _("The case study is saved."))
    assert item is not None
    return redirect("learning_draft", item.slug)


def _render_form(
    request: HttpRequest,
    item: Item | None,
    facts: CaseFactsForm,
    texts: list[CaseTextForm],
    *,
    focus: str = "",
    conflict: bool = False,
) -> HttpResponse:
    written = {form.language for form in texts}
    general, named = _form_errors(facts, texts) if not conflict else ([], [])
    return render(
        request,
        "learning/authoring_form.html",
        {
            "item": item,
            "facts": facts,
            "texts": texts,
            "languages": [form.language for form in texts],
            "missing": [(code, label) for code, label in Language.choices if code not in written],
            "focus": focus,
            "conflict": conflict,
            "has_errors": bool(facts.errors) or any(form.errors for form in texts),
            "general_errors": general,
            "named_errors": named,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    if not access.can_write_case(request.user):
        raise PermissionDenied
    boards = [(str(b.pk), b.name) for b in access.led_boards_for(request.user).order_by("name")]
    return _form_page(request, item=None, boards=boards, facts_initial={}, texts_initial={})


def _item_with_drafts(request: HttpRequest, slug: str) -> tuple[Item, selectors.ItemRights]:
    """A case study written in Capacity whose drafts the person may read; 404 otherwise."""
    item, rights = selectors.get_item_for_user(request.user, slug)
    if item.origin != Origin.APP or not rights.read_drafts or item.current_id is None:
        raise Http404
    return item, rights


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, slug: str) -> HttpResponse:
    item, rights = _item_with_drafts(request, slug)
    if not rights.edit:
        raise PermissionDenied
    current = selectors_authoring.working_version(item)
    if current.state == State.SUBMITTED:
        messages.info(
            request,
            _("This version is with the coordinators; it can be edited once they return it."),
        )
        return redirect("learning_draft", item.slug)
    facts = current.facts
    return _form_page(
        request,
        item=item,
        boards=None,
        facts_initial={
            "year": facts.get("year"),
            "characteristics": facts.get("characteristics", []),
            "contexts": facts.get("contexts", []),
        },
        texts_initial={text.language: text_initial(text) for text in current.texts.all()},
        revision=current.revision,
    )


def _draft_page(
    request: HttpRequest,
    item: Item,
    rights: selectors.ItemRights,
    *,
    failed: str = "",
    errors: list[str] | None = None,
    named_errors: list[NamedError] | None = None,
    kept: str = "",
) -> HttpResponse:
    """The working version as readers will see it (or an earlier one, `?version=N`), its
    comments and versions, and the actions the person may take; `failed` names the action
    which was refused, shown again with `errors`, the problems of named fields
    `named_errors` and the text `kept`."""
    versions = list(selectors.versions_for_user(item, rights))
    current = next(v for v in versions if v.pk == item.current_id)
    shown = current
    asked = request.GET.get("version", "")
    if asked:
        found = next((v for v in versions if str(v.number) == asked), None)
        if found is None:
            raise Http404
        shown = found
    state = current.state
    language = _ui_language()
    texts = sorted(shown.texts.all(), key=lambda t: t.language != language)
    may_comment = (rights.edit or rights.coordinate) and state in services.WORKING
    return render(
        request,
        "learning/authoring_draft.html",
        {
            "item": item,
            "rights": rights,
            "current": current,
            "shown": shown,
            "texts": texts,
            "versions": versions,
            "characteristics": [
                Characteristic(c).label
                for c in shown.facts.get("characteristics", [])
                if c in Characteristic.values
            ],
            "contexts": [
                Context(c).label for c in shown.facts.get("contexts", []) if c in Context.values
            ],
            "comments": [(v, c) for v in versions for c in v.comments.all()],
            "may_edit": rights.edit and state in EDITABLE,
            "may_submit": rights.edit and state == State.DRAFT,
            "may_decide": rights.coordinate and state == State.SUBMITTED,
            "may_comment": may_comment,
            "failed": failed,
            "errors": errors or [],
            "named_errors": named_errors or [],
            "kept": kept,
        },
    )


@login_required
def case_draft(request: HttpRequest, slug: str) -> HttpResponse:
    item, rights = _item_with_drafts(request, slug)
    return _draft_page(request, item, rights)


def _act(request: HttpRequest, slug: str, action: str, act: Any, done: str) -> HttpResponse:
    """Run one workflow step. A refusal shows the draft page again with the reason, and the
    comment the person wrote kept in its box (status 400: nothing was done)."""
    item, rights = _item_with_drafts(request, slug)
    text = request.POST.get("text", "")
    try:
        act(item, text)
    except ValidationError as error:
        # A problem of the text's fields (submitting an unanswered question) links to it on
        # the edit form.
        general, named = _service_errors(
            error, page=reverse("learning_case_edit", args=[item.slug])
        )
        response = _draft_page(
            request, item, rights, failed=action, errors=general, named_errors=named, kept=text
        )
        response.status_code = 400
        return response
    messages.success(request, done)
    return redirect("learning_draft", item.slug)


@login_required
@require_POST
def case_submit(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        "submit",
        lambda item, _text: services.case_submit(user=request.user, item=item),
        _("The case study is submitted; the coordinators were told."),
    )


@login_required
@require_POST
def case_return(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        "return",
        lambda item, text: services.case_return(user=request.user, item=item, comment=text),
        _("The case study is returned to its authors with your comment."),
    )


@login_required
@require_POST
def case_publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        "publish",
        lambda item, text: services.case_publish(user=request.user, item=item, comment=text),
        _("The case study is published: every signed-in person can read it."),
    )


@login_required
@require_POST
def case_comment(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        "comment",
        lambda item, text: services.comment_add(
            user=request.user, version=selectors_authoring.working_version(item), text=text
        ),
        _("Your comment is added."),
    )


@login_required
def drafts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/authoring_drafts.html",
        {
            "items": list(selectors.drafts_for(request.user)[:200]),
            "may_write": access.can_write_case(request.user),
        },
    )


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not access.can_coordinate_learning(request.user):
        raise PermissionDenied
    return render(
        request,
        "learning/authoring_review.html",
        {"items": list(selectors.to_review(request.user)[:200])},
    )
