"""The Django admin for staff. Role changes made here are audited like any other."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory.access import forget_scope
from capacity.directory.models import (
    Board,
    Membership,
    Network,
    Province,
    School,
    SchoolContext,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["board", "school", "network"]
    fields = ["role", "title", "province", "board", "school", "network"]


def _audit_membership(request: Any, membership: Membership, action: Action) -> None:
    audit_record(
        action=action,
        actor=request.user,
        target=membership.user.get_username(),
        detail={
            "role": membership.role,
            "organisation": str(membership.organisation),
            "via": "admin",
        },
        request=request,
    )
    forget_scope(membership.user)


@admin.register(User)
class CapacityUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "display_name", "email", "source_id"]
    fieldsets = (*UserAdmin.fieldsets, ("Capacity", {"fields": ("display_name", "source_id")}))  # type: ignore[misc]

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for membership in formset.deleted_objects:
            if isinstance(membership, Membership):
                _audit_membership(request, membership, Action.MEMBERSHIP_REVOKED)
                membership.delete()
        for instance in instances:
            instance.save()
            if isinstance(instance, Membership):
                _audit_membership(request, instance, Action.MEMBERSHIP_GRANTED)
        formset.save_m2m()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "title", "province", "board", "school", "network"]
    list_filter = ["role"]
    search_fields = [
        "user__username",
        "user__display_name",
        "board__name",
        "school__name",
        "school__number",
    ]
    autocomplete_fields = ["user", "board", "school", "network"]

    def save_model(self, request: Any, obj: Membership, form: Any, change: bool) -> None:
        if change:  # a changed role is a role removed and another granted
            previous = Membership.objects.select_related("user").get(pk=obj.pk)
            _audit_membership(request, previous, Action.MEMBERSHIP_REVOKED)
        super().save_model(request, obj, form, change)
        _audit_membership(request, obj, Action.MEMBERSHIP_GRANTED)

    def delete_model(self, request: Any, obj: Membership) -> None:
        _audit_membership(request, obj, Action.MEMBERSHIP_REVOKED)
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for membership in queryset:
            _audit_membership(request, membership, Action.MEMBERSHIP_REVOKED)
        super().delete_queryset(request, queryset)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "language", "board_type", "region"]
    list_filter = ["language", "board_type", "region"]
    search_fields = ["number", "name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "board", "level", "language", "enrolment"]
    list_filter = ["level", "language", "board"]
    search_fields = ["number", "name", "city"]
    list_select_related = ["board"]


@admin.register(SchoolContext)
class SchoolContextAdmin(admin.ModelAdmin):
    list_display = [
        "school",
        "school_year",
        "pct_low_income",
        "pct_language_learners",
        "pct_special_education",
    ]
    list_filter = ["school_year"]
    search_fields = ["school__number", "school__name"]
    raw_id_fields = ["school"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["schools"]
