"""The office's admin for communication/. The whole admin is office-only (governance.admin); these classes say so
again per model, so a staff flag or a stray model permission never opens a talk's notes or its history."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
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
from governance.access import OfficeOnlyAdminMixin
from governance.forms import parse_day
from governance.links import pk_link_maker
from governance.models import Person


class LeanChangeList(ChangeList):
    """A changelist whose row links cost a string join, not a URL reverse (and, on a filtered list, a resolve).

    Django reverses the change URL for every row, then `add_preserved_filters` parses it again and — when the list is
    filtered — resolves it, to append the same "?_changelist_filters=…" to each one. Here the change URL is reversed
    once per page and the preserved filters are appended directly; `items_for_result` then finds no filters of its
    own to add (the links come out exactly as before, and "back to the filtered list" after saving still works)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.row_link_query = self.preserved_filters
        self.preserved_filters = ""
        self._change_url = pk_link_maker(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            current_app=self.model_admin.admin_site.name,
            query=self.row_link_query,
        )

    def url_for_result(self, result) -> str:
        return self._change_url(quote(getattr(result, self.pk_attname)))

    def get_queryset(self, request, exclude_parameters=None):
        return self.model_admin.get_changelist_rows(super().get_queryset(request, exclude_parameters))


class LeanChangelistMixin:
    """The changelist of a big table (60,000 meetings, 150,000 talks) within a few times the cost of a plain page.

    Past the queries (indexed: communication.models), the cost of the admin's list is Python: its generic
    rendering of every cell of every row, on top of a fixed ~5× a plain page for the admin's frame (header, navigation
    sidebar, filters, search, actions). Hence:

    - 20 rows a page, not Django's 100: the list is worked through its search, filters and newest-first order, not
      read by scrolling; "显示全部" still lists a filtered result of up to 200 at once (`list_max_show_all`).
    - One COUNT, not two: the "(N total)" beside a filtered count is dropped (`show_full_result_count`).
    - Row links built by LeanChangeList, the row checkbox written directly (the same markup as
      ModelAdmin.action_checkbox, without rendering a form widget template for every row)."""

    show_full_result_count = False
    list_per_page = 20

    def get_changelist(self, request, **kwargs):
        return LeanChangeList

    def get_changelist_rows(self, queryset):
        """The changelist's filtered, searched, ordered queryset, with what its columns need (prefetches)."""
        return queryset

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))  # nosec B308 # constant markup (Django's own header checkbox), no data
    def action_checkbox(self, obj) -> str:
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            gettext("Select this object for an action - {}").format(obj),
        )


class DateRangeListFilter(admin.DateFieldListFilter):
    """Django's date filter (any date, today, the past 7 days, this month, this year) plus a from/to range the office
    types or picks: "the meetings of 1 September to 15 November".

    No maintained range-filter package is in the stack, and this needs none: the range is two more lookups on the
    same field (`date__gte` from, `date__lte` to, each optional), so the admin applies them like its own links,
    keeps them in its query string and "back to the list" links, and a quick link replaces the range. A day that is
    not a date (or outside 2000—2100) is dropped with a Chinese message instead of the admin's bare "?e=1" page."""

    template = "communication/admin/date_range_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg_to = f"{field_path}__lte"
        since = f"{field_path}__gte"
        for key, label in ((since, _("起始日期")), (self.lookup_kwarg_to, _("截止日期"))):
            if key in params and parse_day(params[key][-1]) is None:
                messages.warning(
                    request,
                    _("%(label)s“%(value)s”不是有效的日期，已忽略。")
                    % {"label": label, "value": str(params[key][-1])[:40]},
                )
                del params[key]
        super().__init__(field, request, params, model, model_admin, field_path)
        start, end = (
            params_day(self.used_parameters, since),
            params_day(self.used_parameters, self.lookup_kwarg_to),
        )
        if start and end and end < start:
            messages.warning(request, _("截止日期早于起始日期，没有符合的记录。"))

    def expected_parameters(self):
        return [*super().expected_parameters(), self.lookup_kwarg_to]

    def choices(self, changelist):
        yield from super().choices(changelist)
        # What the range form needs (the template reads it from the filter after its choices): the days typed,
        # and every other filter, search and ordering as hidden fields, so applying the range keeps them.
        mine = {self.lookup_kwarg_since, self.lookup_kwarg_until, self.lookup_kwarg_to}
        self.range_from = self.date_params.get(self.lookup_kwarg_since, "")
        self.range_to = self.date_params.get(self.lookup_kwarg_to, "")
        self.range_hidden = [
            (key, value)
            for key, values in changelist.filter_params.items()
            if key not in mine and not key.startswith(self.field_generic)
            for value in values
        ]


def params_day(params: dict, key: str):
    """The day under `key` in a filter's used parameters (a list of strings), or None."""
    value = params.get(key)
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    return parse_day(value) if value else None


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
class MeetingAdmin(LeanChangelistMixin, OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    # No date_hierarchy: at scale it is ~200× slower than the plain changelist (STACK.md).
    list_display = ("date", "start_time", "kind", "title", "organization", "chair", "confidential")
    list_filter = (("date", DateRangeListFilter), "kind", "confidential", "organization")
    search_fields = ("title", "place", "chair__name", "organization__name")
    list_select_related = ("organization", "chair")
    autocomplete_fields = ("organization", "chair", "attendees", "observers")
    ordering = ("-date", "-start_time")
    readonly_fields = ("recorded_by", "created_at", "updated_at")
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
        (_("登记"), {"fields": ("recorded_by", "created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change) -> None:
        if not change and not obj.recorded_by_id:
            obj.recorded_by = request.user
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
    readonly_fields = ("status", "recorded_by", "created_at", "updated_at")
    inlines = [OpinionInline]

    def save_model(self, request, obj, form, change) -> None:
        if not change and not obj.recorded_by_id:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.agenda_item_refresh_status(item=form.instance)


_TOPIC_LABELS = dict(TalkTopic.choices)


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
class TalkAdmin(LeanChangelistMixin, OfficeOnlyAdminMixin, SimpleHistoryAdmin):
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
        return super().get_queryset(request).visible_to(request.user)

    def get_changelist_rows(self, queryset):
        # The participants' names in one query, onto a plain list: a prefetch into each row's related manager clones
        # a queryset per row, which costs more than the query itself.
        names = Prefetch(
            "participants", queryset=Person.objects.only("id", "name"), to_attr="participant_list"
        )
        return queryset.prefetch_related(names)

    def get_search_results(self, request, queryset, search_term):
        """The admin's search over `search_fields` (a participant's name containing every word), people first: the
        few hundred people whose name matches, then their talks through the participants table's person index. The
        default joins every talk to every participant and de-duplicates the lot (~40 ms per query at 150,000 talks)."""
        people = Person.objects.all()
        words = 0
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            people = people.filter(name__icontains=word)
            words += 1
        if not words:
            return queryset, False
        talks = Talk.participants.through.objects.filter(person__in=people).values("talk_id")
        return queryset.filter(pk__in=talks), False

    @admin.display(description=_("参与人"))
    def participant_names(self, obj: Talk) -> str:
        return "、".join(p.name for p in obj.participant_list)

    @admin.display(description=_("谈话内容"))
    def topic_names(self, obj: Talk) -> str:
        # Talk.topic_labels(), without building the label dict again for every row.
        return "、".join(str(_TOPIC_LABELS[t]) for t in obj.topics or [] if t in _TOPIC_LABELS)

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
    readonly_fields = ("recorded_by", "created_at", "updated_at")
    ordering = ("-start", "-pk")
    inlines = [HandoverInline]

    def save_model(self, request, obj, form, change) -> None:
        if not change and not obj.recorded_by_id:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
