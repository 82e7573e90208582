"""The office's admin for supervision/. Office-only like the whole admin (governance.access.OfficeOnlyAdminMixin).
A task's workflow state is changed only through the task's page (its transitions record who, when and why), so the
admin shows it read-only, and tasks are never deleted (their numbers stay gap-free, 第四条（一）)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.access import OfficeOnlyAdminMixin
from supervision.models import ProgressReport, SupervisedTask, TaskEvent, UnitContact, Urging


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_state", "to_state", "actor_name", "note", "new_deadline")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SupervisedTask)
class SupervisedTaskAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("number", "title", "lead_unit", "leader", "deadline", "state")
    list_filter = ("state", "source", "kind", "year")
    list_select_related = ("lead_unit", "leader")
    search_fields = ("number", "title", "matter")
    readonly_fields = (
        "number",
        "state",
        "original_deadline",
        "approved_by",
        "approved_at",
        "notice_method",
        "notified_at",
        "submitted_at",
        "completed_at",
        "archived_at",
    )
    autocomplete_fields = ()
    filter_horizontal = ("co_units",)
    inlines = [TaskEventInline]

    def has_add_permission(self, request, *args) -> bool:
        return False  # registration assigns the number: on the site's 立项登记 page

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(UnitContact)
class UnitContactAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("organization", "role", "person", "start", "end")
    list_filter = ("role", "organization")
    list_select_related = ("organization", "person")
    search_fields = ("person__name", "organization__name")

    def save_model(self, request, obj, form, change) -> None:
        from supervision.roles import ensure_group

        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        if obj.person.user_id:
            obj.person.user.groups.add(ensure_group())


@admin.register(Urging)
class UrgingAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("task", "channel", "urged_on")
    list_filter = ("channel",)
    list_select_related = ("task",)
    search_fields = ("task__number", "task__title", "note")


@admin.register(ProgressReport)
class ProgressReportAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("task", "unit", "reported_on")
    list_select_related = ("task", "unit")
    search_fields = ("task__number", "task__title", "text")
