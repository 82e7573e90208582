"""督查督办 (seed 003, 《校党委工作落实督查督办工作制度》): units' people, supervised tasks and their workflow, progress
reports, urgings and the per-year number counter.

The task's state changes only through its transitions (django-fsm-2, protected field), called by
supervision.services.tasks, which record each step as a `TaskEvent` and in the audit history."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from governance.models.base import PrivateAttachment, RecordedModel
from governance.storage import PrivateUploadTo, private_storage
from governance.validators import MaxCharsValidator, validate_record_date

# ---------------------------------------------------------------------------------------------------------------
# Units' people (第一条（一）: 牵头单位负责落实; the unit's head and liaison staff answer for its tasks)


class UnitRole(models.TextChoices):
    HEAD = "head", _("单位负责人")
    LIAISON = "liaison", _("联络员")


class UnitContactQuerySet(models.QuerySet["UnitContact"]):
    def active_on(self, day: dt.date) -> UnitContactQuerySet:
        return self.filter(Q(start__lte=day), Q(end__isnull=True) | Q(end__gte=day))


class UnitContact(RecordedModel):
    """A person answering for a unit's supervised tasks: its head (单位负责人) or a liaison (联络员)."""

    organization = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind__in": ["college", "department"]},
    )
    person = models.ForeignKey(
        "governance.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("身份"), max_length=20, choices=UnitRole.choices)
    start = models.DateField(_("开始日期"), default=timezone.localdate)
    end = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("仍在岗则留空"))

    objects = UnitContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位负责人/联络员")
        verbose_name_plural = _("单位负责人/联络员")
        ordering = ["organization__order", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person", "role", "start"], name="unit_contact_once"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="unit_contact_end_not_before_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_role_display()} · {self.person}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


# ---------------------------------------------------------------------------------------------------------------
# Supervised tasks (督办事项)


class TaskSource(models.TextChoices):
    """第二条: 学校督查小组督查督办的工作范围."""

    HIGHER = "higher", _("上级交办、批示事项")  # 第二条（一）
    WORK_PLAN = "work_plan", _("年度工作要点、折子工程")  # 第二条（二）
    MEETING = "meeting", _("会议决议、决定")  # 第二条（三）
    LEADER = "leader", _("主要领导批示、交办")  # 第二条（四）


class TaskKind(models.TextChoices):
    """第三条: 督查督办的基本形式."""

    PERIODIC = "periodic", _("定期督查")  # 第三条（一）: 年度重点工作，原则上每半年一次
    SPECIAL = "special", _("专项督查")  # 第三条（二）: 限期完成的专项工作、会议决议、领导批示
    JOINT = "joint", _("联合督查")  # 第三条（三）: 涉及面广，从相关职能部门抽调人员


class TaskState(models.TextChoices):
    """第四条: 立项登记 → 督办通知 → 督查催办（办理中）→ 办结审核 → 立卷归档."""

    REGISTERED = "registered", _("立项登记")
    NOTIFIED = "notified", _("已通知")
    IN_PROGRESS = "in_progress", _("办理中")
    SUBMITTED = "submitted", _("已报结")
    RETURNED = "returned", _("已退回")
    COMPLETED = "completed", _("已办结")
    ARCHIVED = "archived", _("已归档")


# The states in which the task is the lead unit's to do: its deadline runs, it is coloured and urged.
OPEN_STATES = (TaskState.REGISTERED, TaskState.NOTIFIED, TaskState.IN_PROGRESS, TaskState.RETURNED)
# A progress report (第五条) is accepted while the unit works on it.
REPORTING_STATES = (TaskState.NOTIFIED, TaskState.IN_PROGRESS, TaskState.RETURNED)


class NoticeMethod(models.TextChoices):
    """第四条（二）: 督查督办通知单; tasks whose meeting already named unit and deadline, and leaders' instructions, may
    be notified by phone or in person, without a notice."""

    NOTICE = "notice", _("督查督办通知单")
    PHONE = "phone", _("电话通知")
    IN_PERSON = "in_person", _("口头督办")


class ApprovalChannel(models.TextChoices):
    """How the leader in charge gave a decision the office records on their behalf: the approval of a registration
    (第四条（一）: 报请……审定, the request usually goes on paper, the 立项审批表) or the answer to an extension request
    (第五条: 与具体工作的分管校领导请示). Blank when the leader decided in the portal themselves."""

    PAPER = "paper", _("书面")
    PHONE = "phone", _("电话")
    IN_PERSON = "in_person", _("当面")


def recorded_on_behalf(said: str, *, recorder: str, channel: str = "") -> str:
    """A leader's decision the office entered, as the pages say it: who entered it, what the leader decided (`said`,
    "孙海涛已审定", "孙海涛同意延期") and how the leader gave it (`channel`, the ApprovalChannel's label; '' when not
    recorded): "张敏代为登记：孙海涛同意延期（书面）" (第四条（一）、第五条)."""
    if channel:
        return _("%(recorder)s代为登记：%(said)s（%(channel)s）") % {
            "recorder": recorder,
            "said": said,
            "channel": channel,
        }
    return _("%(recorder)s代为登记：%(said)s") % {"recorder": recorder, "said": said}


@dataclass(frozen=True)
class ReportPeriod:
    """One progress-report cycle of a task (第五条): the `number`-th (from 1), from `start` to `end`, due on `end`."""

    number: int
    start: dt.date
    end: dt.date


def report_cycles(
    notice_day: dt.date, cycle: int | None, deadline: dt.date, start: dt.date, end: dt.date
) -> list[ReportPeriod]:
    """The cycles of `cycle` days from `notice_day` that end by `deadline` and overlap [start, end] (see
    SupervisedTask.report_cycles)."""
    if not cycle or cycle <= 0:
        return []
    step = dt.timedelta(days=cycle)
    # The first cycle that may overlap: the one holding `start` (or the first).
    k = max((start - notice_day).days // cycle, 0)
    found = []
    while True:
        first = notice_day + k * step
        last = first + step - dt.timedelta(days=1)
        if first > end or last > deadline:
            return found
        if last >= start:
            found.append(ReportPeriod(k + 1, first, last))
        k += 1


class ReportCycle(models.IntegerChoices):
    """第五条: 办理周期较长的事项，承办单位定期反馈进展."""

    WEEKLY = 7, _("每周")
    BIWEEKLY = 14, _("每两周")
    MONTHLY = 30, _("每月")


class TaskColour(models.TextChoices):
    GREEN = "green", _("正常")
    AMBER = "amber", _("临近期限")
    RED = "red", _("已逾期")


def amber_from(assigned_on: dt.date, deadline: dt.date, share: float) -> dt.date:
    """The first day on which less than `share` of the time from `assigned_on` to `deadline` remains."""
    total = max((deadline - assigned_on).days, 0)
    return deadline - dt.timedelta(days=math.ceil(share * total) - 1) if total else deadline


# Permissions checked by the transitions (django-fsm-2 calls them with the task and the user).
def _office(task: SupervisedTask, user: Any) -> bool:
    from governance.roles import is_office

    return is_office(user)


def _lead_unit_or_office(task: SupervisedTask, user: Any) -> bool:
    from supervision.permissions import can_act_for_lead_unit

    return can_act_for_lead_unit(user, task)


def _responsible_leader_or_office(task: SupervisedTask, user: Any) -> bool:
    from supervision.permissions import can_approve_registration

    return can_approve_registration(user, task)


def _approved_if_needed(task: SupervisedTask) -> bool:
    """第四条（一）: 涉及部门较多的重大事项或综合性事项……报请学校主管领导审定后正式立项."""
    return task.approved_at is not None or not task.needs_approval


def _not_approved(task: SupervisedTask) -> bool:
    return task.approved_at is None


class SupervisedTask(ConcurrentTransitionMixin, RecordedModel):
    """A supervised task (督办事项), one matter per task (一事一项, 第四条（一）)."""

    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    sequence = models.PositiveIntegerField(_("年度序号"), editable=False)
    number = models.CharField(_("立项编号"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("督办事项"), max_length=200, validators=[MaxCharsValidator(200)])
    source = models.CharField(_("事项来源"), max_length=20, choices=TaskSource.choices)
    source_detail = models.CharField(
        _("来源说明"),
        max_length=200,
        blank=True,
        validators=[MaxCharsValidator(200)],
        help_text=_("如文件名称与文号、批示领导、会议名称"),
    )
    meeting = models.ForeignKey(
        "communication.Meeting",
        verbose_name=_("来源会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agenda_item = models.ForeignKey(
        "communication.AgendaItem",
        verbose_name=_("来源议题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("督查形式"), max_length=20, choices=TaskKind.choices, default=TaskKind.SPECIAL)
    assigned_on = models.DateField(_("交办时间"), validators=[validate_record_date])
    lead_unit = models.ForeignKey(
        "governance.Organization", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    co_units = models.ManyToManyField(
        "governance.Organization", verbose_name=_("协办单位"), blank=True, related_name="+"
    )
    leader = models.ForeignKey(
        "governance.Person",
        verbose_name=_("分管校领导"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("第一条（一）：校领导为其分管工作督查督办的第一责任人"),
    )
    matter = models.TextField(_("督办内容"), validators=[MaxCharsValidator(5000)])
    requirements = models.TextField(_("工作要求"), blank=True, validators=[MaxCharsValidator(5000)])
    deadline = models.DateField(_("办理时限"), validators=[validate_record_date])
    original_deadline = models.DateField(_("原定办理时限"), editable=False)
    amber_from = models.DateField(_("临近期限起始日"), editable=False)
    report_cycle = models.PositiveSmallIntegerField(
        _("进展反馈周期"),
        choices=ReportCycle.choices,
        null=True,
        blank=True,
        help_text=_("第五条：办理周期较长的事项，承办单位定期反馈进展"),
    )
    state = FSMField(
        _("办理状态"), default=TaskState.REGISTERED, choices=TaskState.choices, protected=True, max_length=20
    )
    approved_by = models.ForeignKey(
        "governance.Person",
        verbose_name=_("立项审定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("立项审定时间"), null=True, blank=True)
    # 第四条（一）: the approval is the leader's (报请学校主管领导审定); when the office enters an approval the leader gave
    # on paper, by phone or in person, the task says who entered it and how, never that the leader clicked.
    approval_recorded_by_name = models.CharField(
        _("代为登记审定的人"), max_length=100, blank=True, editable=False
    )
    approval_channel = models.CharField(
        _("审定方式"), max_length=20, choices=ApprovalChannel.choices, blank=True, editable=False
    )
    notice_method = models.CharField(_("通知方式"), max_length=20, choices=NoticeMethod.choices, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True, validators=[MaxCharsValidator(5000)])
    submitted_at = models.DateTimeField(_("报结时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    _history_m2m_fields = ["co_units"]

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="supervised_task_number_once"),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("assigned_on")),
                name="supervised_task_deadline_not_before_assigned",
                violation_error_message=_("办理时限不能早于交办时间。"),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"], name="task_state_deadline"),
            models.Index(fields=["lead_unit", "state"], name="task_lead_unit_state"),
            models.Index(fields=["leader", "state"], name="task_leader_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:task_detail", args=[self.pk])

    def clean(self) -> None:
        if self.assigned_on and self.deadline and self.deadline < self.assigned_on:
            raise ValidationError({"deadline": _("办理时限不能早于交办时间。")})
        if self.source == TaskSource.MEETING and not (self.meeting_id or self.source_detail):
            raise ValidationError(
                {"source_detail": _("会议决议事项请选择来源会议，或写明会议名称（第二条（三））。")}
            )

    @property
    def needs_approval(self) -> bool:
        """第四条（一）: a joint task, or one with co-units, is approved by the leader in charge before it is
        formally registered. Read after the co-units are saved (the service sets them first)."""
        if self.kind == TaskKind.JOINT:
            return True
        if self.pk is None:
            return False
        cached = getattr(self, "_prefetched_objects_cache", {}).get("co_units")
        return bool(cached) if cached is not None else self.co_units.exists()

    @property
    def approval_text(self) -> str:
        """Who approved the registration (第四条（一）), as the task's page says it: "孙海涛已审定立项" when the leader
        approved in the portal, "张敏代为登记：孙海涛已审定（书面）" when the office entered the leader's approval. ''
        before approval. Reads `approved_by` (select it with the task)."""
        if self.approved_at is None:
            return ""
        leader = self.approved_by.name if self.approved_by_id else ""
        if not self.approval_recorded_by_name:
            return _("%(leader)s已审定立项") % {"leader": leader}
        return recorded_on_behalf(
            _("%(leader)s已审定") % {"leader": leader},
            recorder=self.approval_recorded_by_name,
            channel=self.get_approval_channel_display(),
        )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def colour(self, today: dt.date, workday_edge: dt.date) -> str:
        """Red when overdue; amber when less than the configured share of the time remains or the deadline is
        within the configured working days (`workday_edge`, supervision.selectors.workday_edge); else green. Only
        open tasks are coloured; a submitted or finished one is ''."""
        if not self.is_open:
            return ""
        if self.deadline < today:
            return TaskColour.RED
        if today >= self.amber_from or self.deadline <= workday_edge:
            return TaskColour.AMBER
        return TaskColour.GREEN

    @property
    def notice_day(self) -> dt.date:
        """The day the lead unit was notified (第四条（二）), from which its report cycle runs (第五条); the day assigned
        when no notice was recorded."""
        if self.notified_at is not None:
            return timezone.localdate(self.notified_at)
        return self.assigned_on

    def report_cycles(self, start: dt.date, end: dt.date) -> list[ReportPeriod]:
        """The progress-report cycles (第五条: 办理周期较长的事项，承办单位定期反馈进展) overlapping [start, end]: from the
        notice day in steps of `report_cycle` days, each due on its last day, as long as a whole cycle ends by the
        deadline (the result itself is due then, 第四条（三）). The engine's rule 003-supervision-progress-report and
        the unit panel's 下一步 both read them. Only a task with a cycle; whatever its state."""
        return report_cycles(self.notice_day, self.report_cycle, self.deadline, start, end)

    # --- transitions (第四条). The service checks, saves and records; these only move the state. ----------------

    @transition(
        field=state,
        source=TaskState.REGISTERED,
        target=TaskState.REGISTERED,
        permission=_responsible_leader_or_office,
        conditions=[_not_approved],
    )
    def approve(self) -> None:
        """第四条（一）: 报请学校主管领导审定后正式立项."""

    @transition(
        field=state,
        source=TaskState.REGISTERED,
        target=TaskState.NOTIFIED,
        permission=_office,
        conditions=[_approved_if_needed],
    )
    def notify(self) -> None:
        """第四条（二）: 督查小组向承办单位发出督查督办通知单（或电话、口头通知）."""

    @transition(
        field=state, source=TaskState.NOTIFIED, target=TaskState.IN_PROGRESS, permission=_lead_unit_or_office
    )
    def accept(self) -> None:
        """第四条（三）: 承办单位收到督查督办通知单后，按照要求认真办理."""

    @transition(
        field=state,
        source=[TaskState.IN_PROGRESS, TaskState.RETURNED],
        target=TaskState.SUBMITTED,
        permission=_lead_unit_or_office,
    )
    def submit(self) -> None:
        """第四条（三）: 将办理结果在规定时限内反馈至督查小组."""

    @transition(field=state, source=TaskState.SUBMITTED, target=TaskState.COMPLETED, permission=_office)
    def complete(self) -> None:
        """第四条（四）: 督查小组对承办单位报送的办理情况进行严格审查."""

    @transition(field=state, source=TaskState.SUBMITTED, target=TaskState.RETURNED, permission=_office)
    def send_back(self) -> None:
        """第四条（四）: 应办理而未办理或未办理好的，责成承办单位限期办理并报告落实情况."""

    @transition(field=state, source=TaskState.COMPLETED, target=TaskState.ARCHIVED, permission=_office)
    def archive(self) -> None:
        """第四条（五）: 办结后按文书档案管理要求立卷归档."""


class TaskNumberCounter(models.Model):
    """The last number given in a year (第四条（一）: 立项编号). Locked with select_for_update while a task is
    registered, in the same transaction, so numbers are unique and without gaps."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    last = models.PositiveIntegerField(_("已用到的序号"), default=0)

    class Meta:
        verbose_name = _("立项编号计数")
        verbose_name_plural = _("立项编号计数")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class TaskAction(models.TextChoices):
    REGISTER = "register", _("立项登记")
    APPROVE = "approve", _("审定立项")
    NOTIFY = "notify", _("督办通知")
    ACCEPT = "accept", _("签收办理")
    REPORT = "report", _("反馈进展")
    SUBMIT = "submit", _("报结")
    COMPLETE = "complete", _("审核办结")
    RETURN = "return", _("退回限期办理")
    ARCHIVE = "archive", _("立卷归档")
    URGE = "urge", _("催办")
    EXTENSION_REQUEST = "ext_request", _("申请延期")
    EXTENSION_APPROVE = "ext_approve", _("同意延期")
    EXTENSION_REFUSE = "ext_refuse", _("不同意延期")
    WARN = "warn", _("发出预警")


class TaskEvent(models.Model):
    """One step of a task: who, when, what and why (the task's timeline). Written by the services only, never
    changed."""

    task = models.ForeignKey(
        SupervisedTask, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=TaskAction.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=TaskState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=TaskState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)
    new_deadline = models.DateField(_("新的办理时限"), null=True, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["task", "at"], name="taskevent_task_at"),
            # The statistics' returns (第四条（四）) of a year's tasks: the few return events, not every event of 4,000
            # tasks (7.6 → 2.2 ms at 20,000 tasks and 130,000 events).
            models.Index(fields=["action", "task"], name="taskevent_action_task"),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.get_action_display()}"


class ProgressReport(RecordedModel):
    """A unit's progress report (第五条), or its part of one as a co-unit (协同办理, 第一条（一）)."""

    task = models.ForeignKey(
        SupervisedTask, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        "governance.Organization", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    reported_on = models.DateField(
        _("报送日期"), default=timezone.localdate, validators=[validate_record_date]
    )
    text = models.TextField(_("进展情况"), validators=[MaxCharsValidator(5000)])

    class Meta:
        verbose_name = _("进展反馈")
        verbose_name_plural = _("进展反馈")
        ordering = ["reported_on", "pk"]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.unit} · {self.reported_on}"


class ProgressAttachment(PrivateAttachment):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展反馈"), on_delete=models.CASCADE, related_name="attachments"
    )
    download_url_name = "supervision:attachment_download"

    file = models.FileField(
        _("文件"), storage=private_storage, upload_to=PrivateUploadTo("supervision"), max_length=255
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("进展附件")
        verbose_name_plural = _("进展附件")
        ordering = ["uploaded_at", "pk"]


class UrgingChannel(models.TextChoices):
    """第四条（三）: 对未按时完成的督办工作通过约见、邮件、电话等方式及时进行催办."""

    EMAIL = "email", _("邮件")
    PHONE = "phone", _("电话")
    MEETING = "meeting", _("约见")
    LETTER = "letter", _("书面")


class Urging(RecordedModel):
    """An urging the office logs by hand (phone, 约见, letter). The portal's own urging emails are recorded by the
    reminder outbox (governance ReminderSectionSent, key "urging:<task>:<deadline>:<round>") and shown beside these."""

    task = models.ForeignKey(
        SupervisedTask, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="urgings"
    )
    channel = models.CharField(_("催办方式"), max_length=20, choices=UrgingChannel.choices)
    urged_on = models.DateField(_("催办日期"), default=timezone.localdate, validators=[validate_record_date])
    note = models.TextField(_("催办情况"), blank=True, validators=[MaxCharsValidator(2000)])

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["urged_on", "pk"]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.get_channel_display()} · {self.urged_on}"


# ---------------------------------------------------------------------------------------------------------------
# Extension requests (第五条: 确因特殊情况不能按时、按要求办结的，承办单位须及时与具体工作的分管校领导请示，并将相关情况
# 向督查小组反馈)


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待分管校领导审批")
    APPROVED = "approved", _("同意延期")
    REFUSED = "refused", _("不同意延期")


class ExtensionRequest(RecordedModel):
    """The lead unit asks the responsible leader for a later deadline, with its reason (第五条). The task keeps its
    original deadline (`SupervisedTask.original_deadline`): the statistics count it against that, and separately as
    extended. At most one request of a task waits at a time."""

    task = models.ForeignKey(
        SupervisedTask, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="extensions"
    )
    reason = models.TextField(_("延期理由"), validators=[MaxCharsValidator(2000)])
    current_deadline = models.DateField(_("申请时的办理时限"))
    proposed_deadline = models.DateField(_("申请延至"))
    status = models.CharField(
        _("审批结果"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "governance.Person",
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True, validators=[MaxCharsValidator(2000)])
    # 第五条: the answer is the responsible leader's (`decided_by`); when the office enters an answer the leader gave on
    # paper, by phone or in person, the request says who entered it and how, never that the leader clicked (as the
    # approval of a registration does, SupervisedTask.approval_recorded_by_name).
    decision_recorded_by_name = models.CharField(
        _("代为登记审批意见的人"), max_length=100, blank=True, editable=False
    )
    decision_channel = models.CharField(
        _("答复方式"), max_length=20, choices=ApprovalChannel.choices, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_task",
                violation_error_message=_("该事项已有一份延期申请在等待审批。"),
            ),
            models.CheckConstraint(
                condition=Q(proposed_deadline__gt=models.F("current_deadline")),
                name="extension_later_than_current",
                violation_error_message=_("申请延至的日期须晚于现在的办理时限。"),
            ),
        ]
        indexes = [models.Index(fields=["status", "task"], name="extension_status_task")]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.proposed_deadline} · {self.get_status_display()}"

    @property
    def decision_text(self) -> str:
        """The leader's answer (第五条), as the task's page says it: "孙海涛同意延期" when the leader answered in the
        portal, "张敏代为登记：孙海涛同意延期（书面）" when the office entered it. '' while the request waits. Reads
        `decided_by` (select it with the request)."""
        if self.decided_at is None:
            return ""
        leader = self.decided_by.name if self.decided_by_id else ""
        said = (
            _("%(leader)s同意延期") if self.status == ExtensionStatus.APPROVED else _("%(leader)s不同意延期")
        ) % {"leader": leader}
        if not self.decision_recorded_by_name:
            return said
        return recorded_on_behalf(
            said, recorder=self.decision_recorded_by_name, channel=self.get_decision_channel_display()
        )


# ---------------------------------------------------------------------------------------------------------------
# Graded warning notices (黄色预警通知单, 红色预警督办单): issued by the office at a task's deadline colour


class WarningLevel(models.TextChoices):
    AMBER = "amber", _("黄色预警通知单")
    RED = "red", _("红色预警督办单")


class WarningNotice(RecordedModel):
    """A graded warning the office issued on a task, printed like the 督查督办通知单: yellow when its deadline is
    near, red when it is overdue (第四条（三）督查催办, 第六条). Once per level and deadline (a new deadline after a
    return or an extension may need new warnings)."""

    task = models.ForeignKey(
        SupervisedTask, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="warnings"
    )
    level = models.CharField(_("预警等级"), max_length=10, choices=WarningLevel.choices)
    deadline = models.DateField(_("预警时的办理时限"))
    issued_on = models.DateField(_("发出日期"), default=timezone.localdate)
    note = models.TextField(_("督办要求"), blank=True, validators=[MaxCharsValidator(2000)])

    class Meta:
        verbose_name = _("预警通知")
        verbose_name_plural = _("预警通知")
        ordering = ["issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "level", "deadline"],
                name="warning_once_per_level_and_deadline",
                violation_error_message=_("该事项在这个办理时限下已发出过同一等级的预警。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.get_level_display()} · {self.issued_on}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:warning_print", args=[self.task_id, self.pk])


# ---------------------------------------------------------------------------------------------------------------
# Periodic supervision (第三条（一）: 定期督查主要针对学校年度重点工作的完成情况，原则上每半年进行一次)


class SupervisionRound(RecordedModel):
    """A round of periodic supervision: the date, what was found, and the checklist of open tasks of the year's key
    work (年度工作要点、折子工程, or tasks registered as 定期督查) that were checked. Counted by the engine rule
    "003-supervision-periodic-round" (the policy pack 003-supervision) through the evidence source
    "supervision.round" (supervision/evidence.py)."""

    organization = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("开展督查的学校（其领导班子承担该项规则）"),
    )
    held_on = models.DateField(_("督查日期"), validators=[validate_record_date])
    title = models.CharField(_("名称"), max_length=100, validators=[MaxCharsValidator(100)])
    findings = models.TextField(_("督查情况"), validators=[MaxCharsValidator(5000)])
    tasks = models.ManyToManyField(
        SupervisedTask, verbose_name=_("督查的事项"), blank=True, related_name="rounds"
    )

    class Meta:
        verbose_name = _("定期督查")
        verbose_name_plural = _("定期督查")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organization", "held_on"], name="round_org_held_on")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:round_list") + f"#round-{self.pk}"
