"""The office's admin for outreach: 联系点 and activities, with their audit history (office only)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.access import OfficeOnlyAdminMixin
from outreach.models import (
    Activity,
    ActivityAttachment,
    IssueEvent,
    LinkedContact,
    RaisedIssue,
    ReceptionDuty,
    ReceptionSession,
)


@admin.register(LinkedContact)
class LinkedContactAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("leader", "kind", "organization", "name", "start", "end")
    list_filter = ("kind",)
    search_fields = ("leader__name", "organization__name", "name")
    autocomplete_fields = ("leader", "organization")
    date_hierarchy = "start"
    readonly_fields = ("recorded_by", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class AttachmentInline(admin.TabularInline):
    model = ActivityAttachment
    extra = 0
    fields = ("name", "file", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_by", "uploaded_at")

    def has_view_permission(self, request, obj=None):
        from governance.roles import is_office

        return is_office(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission  # type: ignore[assignment]


@admin.register(Activity)
class ActivityAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("date", "kind", "title", "organization", "participants", "class_hours")
    list_filter = ("kind", "festival")
    search_fields = ("title", "course", "teacher", "leaders__name")
    autocomplete_fields = ("leaders", "units", "organization", "contact")
    date_hierarchy = "date"
    readonly_fields = ("recorded_by", "created_at", "updated_at")
    inlines = (AttachmentInline,)

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class IssueEventInline(admin.TabularInline):
    model = IssueEvent
    extra = 0
    fields = ("kind", "at", "by", "to_person", "to_unit", "note")
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request, obj=None):
        from governance.roles import is_office

        return is_office(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RaisedIssue)
class RaisedIssueAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    """Read and corrected here; answering, transferring, feedback and closing happen on the issue's page, where
    their rules are kept (件件有回音)."""

    list_display = ("title", "source", "raiser", "owner", "state", "created_at")
    list_filter = ("state", "source")
    search_fields = ("title", "raiser", "owner__name")
    autocomplete_fields = ("owner", "unit", "handling_unit", "activity")
    readonly_fields = (
        "raised_by",
        "recorded_by",
        "created_at",
        "updated_at",
        "state",
        "answered_at",
        "feedback_at",
        "closed_at",
    )
    inlines = (IssueEventInline,)


@admin.register(ReceptionDuty)
class ReceptionDutyAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    """The reception rota's leaders and their offices (004 第五条8: 接待地点在当班领导办公室)."""

    list_display = ("leader", "place", "order", "is_active")
    list_editable = ("order", "is_active")
    autocomplete_fields = ("leader",)
    readonly_fields = ("recorded_by", "created_at", "updated_at")


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("date", "start_time", "leader", "place", "moved_from", "visitors")
    date_hierarchy = "date"
    autocomplete_fields = ("leader",)
    readonly_fields = ("recorded_by", "created_at", "updated_at")
