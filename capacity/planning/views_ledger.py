"""Pages of the reciprocity ledger: province, board and school; one entry; recording capacity
given; sending a request on to the ministry; the exports. Thin: access, selectors, services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.planning import exports_ledger, forms_ledger, selectors, services_ledger
from capacity.planning import selectors_ledger as ledger
from capacity.planning.models import CapacityGift, SupportRequest
from capacity.reports.tables import FORMATS, table_response


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(
                name if name in form.fields else None, [m for e in errors for m in e.messages]
            )
    else:
        form.add_error(None, error.messages)


def _year(request: HttpRequest) -> str:
    return ledger.year_or_current(request.GET.get("year"))


def _common(year: str) -> dict[str, Any]:
    years = ledger.years_offered()
    if year not in years:  # an older year asked for by address stays chosen in the list
        years = sorted({*years, year}, reverse=True)
    return {
        "year": year,
        "years": years,
        "kinds": CapacityGift.Kind.choices,
        "answers": CapacityGift.Helped.choices,
    }


@login_required
def ledger_index(request: HttpRequest) -> HttpResponse:
    """The ministry: every board and the province; a board's leaders and trustees: their board;
    a school's staff: their school."""
    scope = access.scope_for(request.user)
    if not (scope.province or scope.board_ids or scope.school_ids):
        raise PermissionDenied
    year = _year(request)
    boards, total = ledger.province_ledger(request.user, year)
    schools = [] if boards else ledger.school_lines_for(request.user, year)
    return render(
        request,
        "planning/ledger/index.html",
        {**_common(year), "boards": boards, "total": total, "schools": schools},
    )


@login_required
def ledger_board(request: HttpRequest, number: str) -> HttpResponse:
    board = ledger.board_by_number(number)
    year = _year(request)
    book = ledger.board_ledger(request.user, board, year)
    own = ledger.board_own_gifts(request.user, board, year) if book.schools is not None else []
    return render(
        request,
        "planning/ledger/board.html",
        {
            **_common(year),
            "book": book,
            "board": board,
            "own_gifts": own,
            "may_give_board": access.can_give_capacity(request.user, board=board),
        },
    )


@login_required
def ledger_school(request: HttpRequest, number: str) -> HttpResponse:
    school = ledger.school_by_number(number)
    year = _year(request)
    line = ledger.school_ledger(request.user, school, year)
    return render(
        request,
        "planning/ledger/school.html",
        {
            **_common(year),
            "school": school,
            "line": line,
            "gifts": ledger.school_gifts(request.user, school, year),
            "requests": ledger.school_requests(request.user, school, year),
            "may_give": access.can_give_capacity(request.user, board=school.board, school=school),
            "may_read_board": access.can_read_board_ledger(request.user, school.board),
        },
    )


@login_required
def ledger_give(request: HttpRequest) -> HttpResponse:
    """Record capacity given to `?school=` (or, the ministry, to `?board=`), maybe against `?request=`."""
    school = board = None
    if request.GET.get("school"):
        school = ledger.school_by_number(request.GET["school"])
        board = school.board
    elif request.GET.get("board"):
        board = ledger.board_by_number(request.GET["board"])
    else:
        raise Http404
    if not access.can_give_capacity(request.user, board=board, school=school):
        raise PermissionDenied
    open_requests = [
        (item.pk, _request_choice(item))
        for item in ledger.requests_answerable(request.user, board=board, school=school)
    ]
    chosen = request.GET.get("request")
    form = forms_ledger.GiftForm(
        request.POST or None,
        requests=open_requests,
        initial={"given_on": timezone.localdate(), "request": chosen},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        answered = None
        if data.pop("request") is not None:
            answered = ledger.givable_request(
                request.user, form.cleaned_data["request"], board=board, school=school
            )
        try:
            gift = services_ledger.capacity_give(
                user=request.user, school=school, board=board, request=answered, **data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The capacity given was recorded."))
            if school is not None:
                return redirect("ledger_school", school.number)
            return redirect("ledger_gift", gift.pk)
    return render(
        request,
        "planning/ledger/give.html",
        {"form": form, "school": school, "board": board},
    )


def _request_choice(item: SupportRequest) -> str:
    asked = timezone.localtime(item.requested_at).date().isoformat()
    return f"{asked}: {item.tried[:60]}"


@login_required
def ledger_gift(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry; its receiving team says whether it helped (a version check keeps two answers apart)."""
    gift, may_answer = ledger.get_gift_for_user(request.user, pk)
    form = None
    stale = None
    if may_answer:
        form = forms_ledger.HelpedForm(
            request.POST or None,
            initial={
                "helped": gift.helped,
                "comment": gift.helped_comment,
                "version": gift.version,
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services_ledger.capacity_say_helped(
                    user=request.user,
                    gift=gift,
                    helped=form.cleaned_data["helped"],
                    comment=form.cleaned_data["comment"],
                    seen=form.cleaned_data["version"],
                )
            except services_ledger.StaleGift as error:
                stale = str(error)
                form = forms_ledger.HelpedForm(
                    initial={
                        "helped": form.cleaned_data["helped"],
                        "comment": form.cleaned_data["comment"],
                        "version": error.gift.version,
                    }
                )
                gift = error.gift
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your answer was recorded."))
                return redirect("ledger_gift", gift.pk)
    return render(
        request,
        "planning/ledger/gift.html",
        {"gift": gift, "form": form, "stale": stale},
        status=409 if stale else 200,
    )


@login_required
def ledger_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """A board's leaders send a school's request they cannot meet on to the ministry."""
    item = selectors.get_request_for_user(request.user, pk)
    if not access.can_escalate_support(request.user, item):
        raise PermissionDenied
    form = forms_ledger.EscalateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_ledger.support_escalate(
                user=request.user, request=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The request was sent on to the ministry."))
            return redirect("support_detail", item.pk)
    return render(request, "planning/ledger/escalate.html", {"form": form, "item": item})


@login_required
def ledger_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """`?school=`: the school's entries; `?board=`: a line per school (a trustee: the board's
    total); neither: a line per board the person reads."""
    if fmt not in FORMATS:
        raise Http404
    year = _year(request)
    if request.GET.get("school"):
        school = ledger.school_by_number(request.GET["school"])
        if not access.can_read_school_ledger(request.user, school):
            raise PermissionDenied
        return table_response(
            fmt,
            exports_ledger.gift_header(),
            exports_ledger.gift_rows(ledger.school_gifts(request.user, school, year)),
            filename=f"capacity-given-{school.number}-{year}",
            title=_("Capacity given"),
        )
    if request.GET.get("board"):
        board = ledger.board_by_number(request.GET["board"])
        book = ledger.board_ledger(request.user, board, year)
        lines = [book.total] if book.schools is None else [*book.schools, _own(book)]
        return table_response(
            fmt,
            exports_ledger.line_header(_("School")),
            exports_ledger.line_rows(lines, year),
            filename=f"ledger-{board.number}-{year}",
            title=_("Reciprocity ledger"),
        )
    boards, _total = ledger.province_ledger(request.user, year)
    if not boards:
        raise PermissionDenied
    return table_response(
        fmt,
        exports_ledger.line_header(_("Board")),
        exports_ledger.line_rows(boards, year),
        filename=f"ledger-{year}",
        title=_("Reciprocity ledger"),
    )


def _own(book: ledger.BoardLedger) -> ledger.Line:
    book.own.label = _("%(board)s (the board itself)") % {"board": book.board.name}
    book.own.number = book.board.number
    return book.own
