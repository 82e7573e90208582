"""The office's admin for communication/. The whole admin is office-only (governance.admin); these classes say so
again per model, so a staff flag or a stray model permission never opens a talk's notes or its history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from communication import services
from communication.models import (
    Absence,
    AgendaItem,
    Handover,
    Meeting,
    MeetingAttachment,
    Opinion,
    Talk,
    TalkTopic,
)
from governance.roles import is_office


class OfficeOnlyAdminMixin:
    """View, add, change, delete — and the history pages, which copy confidential fields — for the office only."""

    def has_module_permission(self, request) -> bool:
        return is_office(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_office(request.user)

    def has_add_permission(self, request, *args) -> bool:
        return is_office(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_office(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_office(request.user)


class MeetingAttachmentInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = MeetingAttachment
    fields = ("name", "file", "download", "uploaded_by", "uploaded_at")
    readonly_fields = ("download", "uploaded_by", "uploaded_at")
    extra = 0

    @admin.display(description=_("下载"))
    def download(self, obj: MeetingAttachment) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("communication:attachment_download", args=[obj.pk]), _("下载")
        )


class AgendaItemOnMeetingInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = AgendaItem
    fields = ("title", "proposer", "status")
    readonly_fields = ("title", "proposer", "status")
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name_plural = _("上会议题")

    def has_add_permission(self, request, *args) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    # No date_hierarchy: at scale it is ~200× slower than the plain changelist (STACK.md).
    list_display = ("date", "start_time", "kind", "title", "organization", "chair", "confidential")
    list_filter = ("kind", "confidential", "organization")
    search_fields = ("title", "place", "chair__name", "organization__name")
    list_select_related = ("organization", "chair")
    autocomplete_fields = ("organization", "chair", "attendees", "observers")
    ordering = ("-date", "-start_time")
    readonly_fields = ("created_by", "created_at", "updated_at")
    inlines = [MeetingAttachmentInline, AgendaItemOnMeetingInline]
    fieldsets = (
        (
            None,
            {"fields": ("kind", "organization", "title", "date", "start_time", "end_time", "place", "chair")},
        ),
        (_("人员"), {"fields": ("attendees", "observers")}),
        (
            _("内容"),
            {"fields": ("agenda", "topics_announced_on", "preparation_start", "minutes", "confidential")},
        ),
        (_("登记"), {"fields": ("created_by", "created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change) -> None:
        if not change and not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, MeetingAttachment) and not instance.uploaded_by_id:
                instance.uploaded_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class OpinionInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = Opinion
    fields = (
        "person",
        "required",
        "reason",
        "stance",
        "comment",
        "recorded_at",
        "resolution_note",
        "resolved_at",
    )
    readonly_fields = ("recorded_at", "resolved_at")
    autocomplete_fields = ("person",)
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "organization",
        "meeting_kind",
        "status",
        "is_major",
        "proposer",
        "meeting",
        "created_at",
    )
    list_filter = ("status", "meeting_kind", "is_major", "organization")
    search_fields = ("title", "description", "proposer__name")
    list_select_related = ("organization", "proposer", "meeting")
    autocomplete_fields = ("organization", "proposer", "meeting", "areas")
    # The status follows the opinions (communication.services); it is never typed in.
    readonly_fields = ("status", "created_by", "created_at", "updated_at")
    inlines = [OpinionInline]

    def save_model(self, request, obj, form, change) -> None:
        if not change and not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.agenda_item_refresh_status(item=form.instance)


class TalkAdminForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("谈话内容"), choices=TalkTopic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Talk
        fields = ("participants", "date", "formal", "channel", "topics", "notes", "democratic_life_meeting")

    def clean_topics(self) -> list[str]:
        chosen = set(self.cleaned_data.get("topics") or [])
        return [t for t in TalkTopic.values if t in chosen]

    def clean(self):
        cleaned = super().clean()
        participants = cleaned.get("participants")
        if participants is not None and len(participants) < 2:
            self.add_error("participants", _("谈心谈话至少需要两名参与人，请选择谈话对象。"))
        return cleaned


@admin.register(Talk)
class TalkAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    form = TalkAdminForm
    # The notes are confidential: only in the change form (and its history), never in the list or its search.
    list_display = (
        "date",
        "participant_names",
        "formal",
        "channel",
        "topic_names",
        "democratic_life_meeting",
    )
    list_filter = ("formal", "channel")
    search_fields = ("participants__name",)
    list_select_related = ("democratic_life_meeting",)
    autocomplete_fields = ("participants", "democratic_life_meeting")
    readonly_fields = ("recorded_by", "created_at", "updated_at")
    ordering = ("-date", "-pk")
    fields = (
        "participants",
        "date",
        "formal",
        "channel",
        "topics",
        "notes",
        "democratic_life_meeting",
        "recorded_by",
        "created_at",
        "updated_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).prefetch_related("participants")

    @admin.display(description=_("参与人"))
    def participant_names(self, obj: Talk) -> str:
        return "、".join(p.name for p in obj.participants.all())

    @admin.display(description=_("谈话内容"))
    def topic_names(self, obj: Talk) -> str:
        return "、".join(obj.topic_labels())

    def save_model(self, request, obj, form, change) -> None:
        if not change and not obj.recorded_by_id:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class HandoverInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = Handover
    fields = ("covering", "duties")
    autocomplete_fields = ("covering",)
    extra = 0


@admin.register(Absence)
class AbsenceAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("person", "kind", "start", "end", "destination", "leave_approved_by")
    list_filter = ("kind",)
    search_fields = ("person__name", "destination", "reason")
    list_select_related = ("person", "leave_approved_by")
    autocomplete_fields = ("person", "notified", "leave_approved_by")
    readonly_fields = ("created_by", "created_at")
    ordering = ("-start", "-pk")
    inlines = [HandoverInline]

    def save_model(self, request, obj, form, change) -> None:
        if not change and not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
