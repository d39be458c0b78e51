from django.contrib import admin

from capacity.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "target", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target"]
    date_hierarchy = "at"

    def has_add_permission(self, request):  # the log is written by the app only
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
