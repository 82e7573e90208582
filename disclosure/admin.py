"""The office's admin for disclosure/. Office-only like the whole admin (governance.access.OfficeOnlyAdminMixin). An
item's state and content change only on the item's page (the workflow records who, when and why, and the content is
sanitized there), so the admin shows items read-only; opinions too (the answer is given on the item's page)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from disclosure.models import DisclosureItem, Feedback, ItemEvent
from governance.access import OfficeOnlyAdminMixin


class ItemEventInline(admin.TabularInline):
    model = ItemEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_state", "to_state", "actor_name", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DisclosureItem)
class DisclosureItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "category", "scope", "publish_from", "state")
    list_filter = ("state", "category", "scope", "nature", "form")
    search_fields = ("title", "topic")
    inlines = [ItemEventInline]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("item", "author_name", "anonymous", "created_at", "responded_at")
    list_filter = ("anonymous",)
    list_select_related = ("item",)
    search_fields = ("item__title", "text", "author_name")
