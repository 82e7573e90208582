"""The office's admin for the core: Chinese labels, search, filters and the columns an office worker wants."""

from __future__ import annotations

from collections import Counter

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin  # registers beat's admin first: replaced below
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from simple_history.admin import SimpleHistoryAdmin

from governance import families
from governance.access import OfficeOnlyAdminMixin
from governance.models import (
    AcademicYear,
    Area,
    CalendarFeedToken,
    Clause,
    HolidayDate,
    HolidayYear,
    LeadershipTeam,
    ObligationExcuse,
    ObligationRule,
    OfficeAlert,
    Organization,
    Person,
    PolicyPack,
    Position,
    Regulation,
    ReminderDigest,
    ReminderSectionSent,
    ReminderSent,
    Semester,
)
from governance.roles import is_office

admin.site.site_header = _("党委办公室 · 领导班子工作管理")
admin.site.site_title = _("党委办公室管理后台")
admin.site.index_title = _("管理首页")


def _office_only(request) -> bool:
    return bool(request.user.is_active and request.user.is_staff and is_office(request.user))


# Only office staff may use the admin, whatever their is_staff flag says.
admin.site.has_permission = _office_only


class ChildOrganizationInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = Organization
    fk_name = "parent"
    fields = ("name", "short_name", "code", "kind", "order", "is_active")
    extra = 0
    show_change_link = True
    verbose_name_plural = _("下级组织")


@admin.register(Organization)
class OrganizationAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "short_name", "code", "kind", "parent", "order", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    inlines = [ChildOrganizationInline]


class PositionInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = Position
    fields = ("person", "kind", "title", "start", "end", "areas", "order")
    autocomplete_fields = ("person", "areas")
    extra = 0


@admin.register(LeadershipTeam)
class LeadershipTeamAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "organization", "current_size")
    search_fields = ("name", "organization__name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    inlines = [PositionInline]

    @admin.display(description=_("现任人数"))
    def current_size(self, obj: LeadershipTeam) -> int:
        return obj.positions.active_on(timezone.localdate()).count()


@admin.register(Area)
class AreaAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    search_fields = ("name",)


class PersonPositionInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = Position
    fields = ("team", "kind", "title", "start", "end", "areas")
    autocomplete_fields = ("team", "areas")
    extra = 0


@admin.register(Person)
class PersonAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "title", "organization", "email", "user", "is_party_member")
    list_filter = ("is_party_member", "organization__kind")
    search_fields = ("name", "title", "email", "user__username")
    list_select_related = ("organization", "user")
    autocomplete_fields = ("organization", "user")
    inlines = [PersonPositionInline]


class ActiveFilter(admin.SimpleListFilter):
    title = _("任职状态")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("在任")), ("no", _("已离任"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.active_on(today)
        if self.value() == "no":
            return queryset.filter(end__lt=today)
        return queryset


@admin.register(Position)
class PositionAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("person", "team", "kind", "title", "start", "end")
    list_filter = (ActiveFilter, "kind", "team")
    search_fields = ("person__name", "team__name", "title")
    list_select_related = ("person", "team")
    autocomplete_fields = ("person", "team", "areas")
    ordering = ("team", "order", "-start")


class SemesterInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = Semester
    fields = ("term", "start", "end")
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "start", "end")
    search_fields = ("name",)
    inlines = [SemesterInline]


@admin.register(Semester)
class SemesterAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "academic_year", "term", "start", "end")
    list_filter = ("academic_year", "term")
    list_select_related = ("academic_year",)


class HolidayDateInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = HolidayDate
    fields = ("date", "kind", "name")
    extra = 3


@admin.register(HolidayYear)
class HolidayYearAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("year", "notice", "holiday_count", "workday_count")
    inlines = [HolidayDateInline]

    @admin.display(description=_("放假天数"))
    def holiday_count(self, obj: HolidayYear) -> int:
        return obj.dates.filter(kind=HolidayDate.Kind.HOLIDAY).count()

    @admin.display(description=_("调休上班天数"))
    def workday_count(self, obj: HolidayYear) -> int:
        return obj.dates.filter(kind=HolidayDate.Kind.WORKDAY).count()


@admin.register(HolidayDate)
class HolidayDateAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("date", "kind", "name", "year")
    list_filter = ("kind", "year")
    search_fields = ("name",)


class ClauseInline(OfficeOnlyAdminMixin, admin.StackedInline):
    model = Clause
    fields = (("number", "order"), "heading", "text")
    extra = 0


@admin.register(Regulation)
class RegulationAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    # An organization's own regulation shows the shipped one it was modelled on (参照); packs are adopted in the portal.
    list_display = (
        "code", "title", "organization", "document_number", "issued_on", "reference", "level", "family",
    )  # fmt: skip
    list_filter = ("level", "family")
    list_select_related = ("organization", "reference")
    search_fields = ("code", "title", "issuing_body", "document_number")
    autocomplete_fields = ("organization",)
    raw_id_fields = ("reference",)
    inlines = [ClauseInline]


@admin.register(Clause)
class ClauseAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "heading", "regulation", "source")
    list_filter = ("regulation",)
    search_fields = ("number", "heading", "text", "regulation__title")
    list_select_related = ("regulation__reference",)

    @admin.display(description=_("参照"))
    def source(self, obj: Clause) -> str:
        return obj.source_citation

    @admin.display(description=_("引用"))
    def reference(self, obj: Clause) -> str:
        return obj.reference


@admin.register(OfficeAlert)
class OfficeAlertAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "created", "sent_at", "recipients")
    readonly_fields = ("key", "subject", "body", "recipients", "created", "sent_at")
    search_fields = ("subject", "key")


class RuleInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = ObligationRule
    fields = ("code", "title", "organization", "period", "target", "unit", "is_active")
    readonly_fields = ("code",)
    extra = 0
    show_change_link = True


@admin.register(PolicyPack)
class PolicyPackAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "title", "regulation", "version", "loaded_at")
    list_select_related = ("regulation",)
    inlines = [RuleInline]


@admin.register(ObligationRule)
class ObligationRuleAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "code",
        "organization",
        "clause_reference",
        "subject",
        "counterpart",
        "period",
        "target",
        "unit",
        "is_active",
    )
    list_filter = ("is_active", "period", "subject", "organization", "pack")
    search_fields = ("code", "title", "clause__number", "clause__regulation__title")
    list_select_related = ("organization", "clause__regulation")
    autocomplete_fields = ("clause", "organization")
    fieldsets = (
        (None, {"fields": ("code", "title", "description", "pack", "clause", "is_active", "order")}),
        (_("适用范围"), {"fields": ("organization", "include_sub_units")}),
        (
            _("主体与对象"),
            {"fields": ("subject", "subject_positions", "counterpart", "counterpart_positions")},
        ),
        (
            _("计入的记录与要求"),
            {"fields": ("evidence_source", "evidence_params", "measure", "target", "unit")},
        ),
        (
            _("周期"),
            {
                "fields": (
                    "period",
                    "season",
                    "weekday",
                    "anchor",
                    "holiday_shift",
                    "event_source",
                    "event_params",
                    "remind_days_before",
                ),
                "description": _("周期、星期和提前提醒天数可按本单位制度调整；修改后立即生效。"),
            },
        ),
    )

    @admin.display(description=_("依据条款"), ordering="clause__number")
    def clause_reference(self, obj: ObligationRule) -> str:
        return obj.clause.reference


@admin.register(ObligationExcuse)
class ObligationExcuseAdmin(OfficeOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "rule",
        "period_start",
        "team",
        "person",
        "counterpart",
        "reason",
        "created_by",
        "created",
    )
    list_filter = ("rule",)
    search_fields = ("reason", "rule__title", "person__name")
    list_select_related = ("rule", "team", "person", "counterpart", "created_by")
    autocomplete_fields = ("rule", "team", "person", "counterpart")
    readonly_fields = ("created_by", "created")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class OfficeUserAdmin(OfficeOnlyAdminMixin, UserAdmin):
    """The office creates accounts and resets passwords, but cannot grant superuser status or raw permissions."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "user_permissions"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]


admin.site.unregister(User)
admin.site.register(User, OfficeUserAdmin)


class ReminderSentInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = ReminderSent
    fields = ("kind", "rule", "team", "period_start", "counterpart")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("提醒的工作要求")

    def has_add_permission(self, request, *args) -> bool:
        return False


class ReminderSectionSentInline(OfficeOnlyAdminMixin, admin.TabularInline):
    model = ReminderSectionSent
    fields = ("family", "key", "created")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("提醒的待办（各业务模块）")

    def has_add_permission(self, request, *args) -> bool:
        return False


class DigestStatusFilter(admin.SimpleListFilter):
    """Sent, waiting (not sent yet, or being sent), or failed at its last try (the task retries, the sweep requeues)."""

    title = _("发送状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("sent", _("已发送")), ("waiting", _("待发送")), ("failed", _("发送失败"))]

    def queryset(self, request, queryset):
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(sent_at__isnull=True, last_error="")
        if self.value() == "failed":
            return queryset.filter(sent_at__isnull=True).exclude(last_error="")
        return queryset


# How many reminded items the list names per email before "等 N 项".
DIGEST_ITEMS_SHOWN = 3


@admin.register(ReminderDigest)
class ReminderDigestAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    """The reminder emails sent (and waiting): to whom, at which address, in what state (when it went) and what each
    reminded of; the subject and when it was generated on the email's page. Searchable by the person's name or
    login, the address or the subject.

    The list is read on an office PC with the admin's menu and filters open (about 630 px of table at 1280 px): the
    recipient's address sits under the name and the subject (which says again, in short, what the reminded-of column
    says) is left to the email's page, so what went to whom is read without scrolling the table sideways (issue 8)."""

    list_display = ("recipient", "status", "reminded_of")
    list_display_links = ("recipient",)
    list_filter = (DigestStatusFilter, ("created", admin.DateFieldListFilter))
    search_fields = ("person__name", "person__user__username", "to_email", "subject")
    list_select_related = ("person",)
    list_per_page = 50
    readonly_fields = (
        "person",
        "to_email",
        "subject",
        "status",
        "created",
        "sent_at",
        "attempts",
        "last_error",
        "body_text",
    )
    fields = readonly_fields
    inlines = [ReminderSentInline, ReminderSectionSentInline]

    def get_queryset(self, request):
        # The items each row names: two queries for the whole page, whatever its length.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=ReminderSent.objects.select_related("rule", "counterpart").order_by(
                        "kind", "pk"
                    ),
                ),
                Prefetch("sections", queryset=ReminderSectionSent.objects.order_by("pk")),
            )
        )

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a record of what was sent: read, never edited

    class Media:
        css = {"all": ("css/admin-reminders.css",)}

    @admin.display(description=_("收件人"), ordering="person__name")
    def recipient(self, obj: ReminderDigest) -> str:
        return format_html('{}<br><span class="digest-address">{}</span>', obj.person, obj.to_email)

    @admin.display(description=_("状态"), ordering="sent_at")
    def status(self, obj: ReminderDigest) -> str:
        if obj.sent_at:
            return _("已发送（%(moment)s）") % {
                "moment": date_format(timezone.localtime(obj.sent_at), "SHORT_DATETIME_FORMAT")
            }
        if obj.last_error:
            return _("发送失败，将重试（已尝试 %(attempts)d 次）") % {"attempts": obj.attempts}
        if obj.claimed_until and obj.claimed_until > timezone.now():
            return _("发送中")
        return _("待发送")

    @admin.display(description=_("提醒内容"))
    def reminded_of(self, obj: ReminderDigest) -> str:
        items = list(obj.items.all())
        names = [
            f"{item.get_kind_display()}：{item.rule.title}"
            + (f"（与{item.counterpart.name}）" if item.counterpart else "")
            for item in items[:DIGEST_ITEMS_SHOWN]
        ]
        text = "；".join(names)
        if len(items) > DIGEST_ITEMS_SHOWN:
            text += _("等 %(count)d 项") % {"count": len(items)}
        by_family = Counter(section.family for section in obj.sections.all())
        if by_family:
            more = _("待办提醒：%(families)s") % {
                "families": "、".join(
                    _("%(family)s %(count)d 项") % {"family": _family_label(name), "count": count}
                    for name, count in by_family.items()
                )
            }
            text = f"{text}；{more}" if text else more
        return text or "—"


def _family_label(name: str) -> str:
    """A family's name as the menu shows it (督查督办), or its code when it is no longer installed."""
    family = families.get(name)
    return str(family.label) if family else name


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(OfficeOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("person", "created", "revoked_at")
    list_select_related = ("person",)
    search_fields = ("person__name",)
    readonly_fields = ("person", "created")
    exclude = ("token",)

    def has_add_permission(self, request, *args) -> bool:
        return False


# django-celery-beat registers its own admin (周期任务), which asks for model permissions the office group is not
# given: the office home's "发送时间（周期任务）" link answered 403 (found by tests/test_access_matrix.py). The same
# pages, office-only like every other page of the admin; the office changes when the reminders go out here.
class _TasksUsingScheduleInline(beat_admin.PeriodicTaskInline):
    def has_view_permission(self, request, obj=None) -> bool:
        return is_office(request.user)


for _model in (PeriodicTask, ClockedSchedule, CrontabSchedule, SolarSchedule, IntervalSchedule):
    _base = type(admin.site.get_model_admin(_model))
    _attrs: dict = {"__module__": __name__}
    if _TasksUsingScheduleInline.model is not _model:
        _attrs["inlines"] = [_TasksUsingScheduleInline]
    admin.site.unregister(_model)
    admin.site.register(_model, type(f"Office{_base.__name__}", (OfficeOnlyAdminMixin, _base), _attrs))
