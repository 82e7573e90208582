"""联系基层、联系服务群众 (seeds 003 《校党委成员联系服务群众制度》 and 004 《关于进一步改进工作作风密切联系基层实施办法》):
each leader's linked units and non-party contacts (联系点) over time, and the activities a leader records there.

Who may see what is decided in outreach/permissions.py; the querysets here only narrow by dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import PrivateAttachment, RecordedModel
from governance.storage import PrivateUploadTo, private_storage
from governance.validators import MaxCharsValidator, validate_record_date

NOTE_MAX = 5_000  # 活动情况, 听课记录
NAME_MAX = 100

# ---------------------------------------------------------------------------------------------------------------
# 联系点: 003 二2 (相对固定地联系若干基层单位); 004 第五条1、3 (分管或联系的基层单位), 第五条5 (联系的党外人士、民主党派)


class ContactKind(models.TextChoices):
    UNIT = "unit", _("基层单位")  # 003 二2; 004 第五条1、3
    NON_PARTY_FIGURE = "non_party_figure", _("党外人士（无党派代表人士）")  # 004 第五条5
    DEMOCRATIC_PARTY = "democratic_party", _("民主党派组织")  # 004 第五条5


class LinkedContactQuerySet(models.QuerySet["LinkedContact"]):
    def active_on(self, day: dt.date) -> LinkedContactQuerySet:
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


class LinkedContact(RecordedModel):
    """A leader's 联系点 for a time: a grassroots unit of the organization tree, or a non-party figure or a
    democratic-party organization (named, they are not people of the portal). The office assigns them."""

    leader = models.ForeignKey(
        "governance.Person",
        verbose_name=_("班子成员"),
        on_delete=models.CASCADE,
        related_name="linked_contacts",
    )
    kind = models.CharField(
        _("联系对象类别"), max_length=20, choices=ContactKind.choices, default=ContactKind.UNIT
    )
    organization = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("联系的基层单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="linked_leaders",
    )
    name = models.CharField(
        _("党外人士或民主党派组织"),
        max_length=NAME_MAX,
        blank=True,
        help_text=_("如：民盟江城大学支部、张某（无党派代表人士）"),
    )
    start = models.DateField(_("联系开始"), validators=[validate_record_date])
    end = models.DateField(_("联系结束"), null=True, blank=True, help_text=_("仍在联系则留空"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = LinkedContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")
        ordering = ["leader__name", "kind", "start", "pk"]
        indexes = [models.Index(fields=["leader", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="outreach_contact_end_not_before_start",
                violation_error_message=_("联系结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.target}"

    @property
    def target(self) -> str:
        if self.kind == ContactKind.UNIT:
            return self.organization.name if self.organization_id and self.organization else ""
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == ContactKind.UNIT:
            if not self.organization_id:
                errors["organization"] = _("联系基层单位须选择单位（003 二2）。")
            self.name = ""
        else:
            if not self.name.strip():
                errors["name"] = _("请填写党外人士姓名或民主党派组织名称（004 第五条5）。")
            self.organization = None
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("联系结束日期不能早于开始日期。")
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------------------
# Activities


class ActivityKind(models.TextChoices):
    RESEARCH = "research", _("调研")  # 003 二1; 004 第五条3
    FORUM = "forum", _("座谈")  # 003 二2; 004 第五条3
    ORGANIZATIONAL_LIFE = "org_life", _("参加组织生活/民主生活会")  # 004 第五条1
    CLASS_OBSERVATION = "class_observation", _("听课")  # 004 第五条4
    FIRST_LESSON = "first_lesson", _("思政第一课")  # 004 第五条4
    FESTIVAL_VISIT = "festival_visit", _("节日走访慰问")  # 003 二3
    NON_PARTY_TALK = "non_party_talk", _("与党外人士谈心")  # 004 第五条5
    NON_PARTY_EVENT = "non_party_event", _("参加民主党派活动")  # 004 第五条5
    RETIREE_BRIEFING = "retiree_briefing", _("向离退休老同志通报")  # 004 第五条6


def hours_text(value: Decimal | None) -> str:
    """Class hours for a page: "2" for 2.0, "1.5" for 1.5, "" for none (the column holds one decimal place)."""
    if value is None:
        return ""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value.normalize():f}"


# Kinds whose counterpart is a non-party figure or a democratic-party organization, not a unit (004 第五条5).
NON_PARTY_KINDS = (ActivityKind.NON_PARTY_TALK, ActivityKind.NON_PARTY_EVENT)


class Festival(models.TextChoices):
    """003 二3: 每年元旦、春节和重阳节要广泛开展慰问老党员、老同志活动."""

    NEW_YEAR = "new_year", _("元旦")
    SPRING = "spring", _("春节")
    DOUBLE_NINTH = "double_ninth", _("重阳节")


class Activity(RecordedModel):
    """One outreach activity: what, when, which leaders, where (units or a non-party contact), how many took part,
    and for 听课 the course, the teacher, the class hours and the observation record (004 第五条4)."""

    date = models.DateField(_("日期"), validators=[validate_record_date])
    kind = models.CharField(_("活动类别"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("主题"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("所属领导班子的组织"),
        on_delete=models.PROTECT,
        related_name="outreach_activities",
        help_text=_("参加活动的班子成员所在班子的组织（学校或学院），班子整体的要求按它计算。"),
    )
    leaders = models.ManyToManyField(
        "governance.Person", verbose_name=_("参加的班子成员"), related_name="outreach_activities"
    )
    units = models.ManyToManyField(
        "governance.Organization", verbose_name=_("基层单位"), blank=True, related_name="outreach_visits"
    )
    contact = models.ForeignKey(
        LinkedContact,
        verbose_name=_("党外人士或民主党派组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    festival = models.CharField(_("节日"), max_length=20, choices=Festival.choices, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), null=True, blank=True)
    course = models.CharField(_("课程"), max_length=NAME_MAX, blank=True)
    teacher = models.CharField(_("授课教师"), max_length=50, blank=True)
    class_hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, null=True, blank=True)
    notes = models.TextField(_("活动情况/听课记录"), blank=True, validators=[MaxCharsValidator(NOTE_MAX)])

    _history_m2m_fields = ["leaders", "units"]

    class Meta:
        verbose_name = _("联系基层活动")
        verbose_name_plural = _("联系基层活动")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"]), models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_kind_display())

    def get_absolute_url(self) -> str:
        return reverse("outreach:activity_detail", args=[self.pk])

    @property
    def is_future(self) -> bool:
        return self.date > timezone.localdate()

    @property
    def class_hours_text(self) -> str:
        """学时 as people write them: "2", "1.5" (never "2.0")."""
        return hours_text(self.class_hours)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == ActivityKind.CLASS_OBSERVATION:
            if self.class_hours is None or self.class_hours <= 0:
                errors["class_hours"] = _("听课须填写学时（004 第五条4：每学期不少于4学时）。")
            elif self.class_hours > 12:
                errors["class_hours"] = _("一次听课的学时不超过 12。")
            if not self.course.strip():
                errors["course"] = _("听课须填写课程名称（004 第五条4：做好听课记录）。")
        elif self.class_hours is not None:
            self.class_hours = None  # only 听课 counts hours
        if self.kind == ActivityKind.FESTIVAL_VISIT:
            if not self.festival:
                errors["festival"] = _("节日走访须选择节日（003 二3：元旦、春节、重阳节）。")
        else:
            self.festival = ""
        if self.kind in NON_PARTY_KINDS:
            if not self.contact_id:
                errors["contact"] = _("请选择联系的党外人士或民主党派组织（004 第五条5）。")
        else:
            self.contact = None
        if errors:
            raise ValidationError(errors)


class ActivityAttachment(PrivateAttachment):
    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="attachments"
    )
    download_url_name = "outreach:attachment_download"

    file = models.FileField(
        _("文件"), storage=private_storage, upload_to=PrivateUploadTo("outreach"), max_length=255
    )

    class Meta:
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")
        ordering = ["uploaded_at", "pk"]


# ---------------------------------------------------------------------------------------------------------------
# 师生诉求 (issues raised): 004 第五条7 (意见箱……学校领导根据分工及时处理), 第六条3 (能答复或解决的应尽快答复或解决；不属于
# 自己分管的……移交), 第六条4 (及时向基层单位反馈进展情况); 件件有回音: closed only once the raiser has been given feedback.

ISSUE_TEXT_MAX = 2_000
ANSWER_MAX = 3_000


class IssueSource(models.TextChoices):
    MAILBOX = "mailbox", _("意见箱")  # 004 第五条7
    ACTIVITY = "activity", _("调研、座谈、走访中提出")  # 004 第六条3
    UNIT = "unit", _("联系单位反映")  # 004 第六条3—4
    RECEPTION = "reception", _("校领导接待日")  # 004 第五条8: 听取意见建议，协调解决实际困难


class IssueState(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class FeedbackChannel(models.TextChoices):
    PORTAL = "portal", _("门户答复（反映人登录可见）")
    FACE = "face", _("当面")
    PHONE = "phone", _("电话")
    WRITTEN = "written", _("书面")


class RaisedIssue(RecordedModel):
    """A problem or request raised by staff, students or a unit: who owns it (the leader in charge of the area), the
    answer, transfers (移交), the feedback given to the raiser, and whether it is closed."""

    title = models.CharField(_("诉求事项"), max_length=200)
    text = models.TextField(_("具体内容"), validators=[MaxCharsValidator(ISSUE_TEXT_MAX)])
    source = models.CharField(_("来源"), max_length=20, choices=IssueSource.choices)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("提出问题的活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
    )
    # 004 第五条8: what a visitor raised on a reception day belongs to that day (the duty leader sees it there).
    reception = models.ForeignKey(
        "outreach.ReceptionSession",
        verbose_name=_("提出问题的接待日"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反映人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outreach_issues",
    )
    raiser = models.CharField(
        _("反映人"), max_length=100, help_text=_("如：文学院2023级学生代表、理学院教工")
    )
    unit = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("反映单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outreach_issues",
    )
    owner = models.ForeignKey(
        "governance.Person",
        verbose_name=_("承办校领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_outreach_issues",
        help_text=_("按分工负责处理的校领导；意见箱中未指定的由党委办公室分送（004 第五条7）。"),
    )
    handling_unit = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("移交的职能部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_outreach_issues",
    )
    state = models.CharField(_("状态"), max_length=20, choices=IssueState.choices, default=IssueState.OPEN)
    answer = models.TextField(_("答复"), blank=True, validators=[MaxCharsValidator(ANSWER_MAX)])
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    feedback_channel = models.CharField(
        _("反馈方式"), max_length=20, choices=FeedbackChannel.choices, blank=True
    )
    feedback_note = models.CharField(_("反馈情况"), max_length=500, blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # 004 第六条4: 必要时可作为议题提请学校党委会或校长办公会研究解决 — the agenda item communication keeps; and a task
    # the 督查小组 supervises (003 督查督办 第二条（四）). Created only through those apps' services; the issue
    # stays open until its raiser has been given feedback (件件有回音).
    agenda_item = models.ForeignKey(
        "communication.AgendaItem",
        verbose_name=_("提请上会的议题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supervised_task = models.ForeignKey(
        "supervision.SupervisedTask",
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("师生诉求")
        verbose_name_plural = _("师生诉求")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "owner"]), models.Index(fields=["raised_by", "created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:issue_detail", args=[self.pk])


class IssueEventKind(models.TextChoices):
    RAISED = "raised", _("提出")
    ASSIGNED = "assigned", _("分送")
    TRANSFERRED = "transferred", _("移交")
    ESCALATED = "escalated", _("提请上会")  # 004 第六条4
    TASKED = "tasked", _("转为督办事项")  # 003 督查督办 第二条（四）
    # The leader in charge asks the office to do one of the two (议题由党委办公室列入, 001 三（三）; 督办事项由督查小组
    # 立项, 督查督办 第四条（一）); pending until the office has done it or the issue is closed.
    ASKED_AGENDA = "asked_agenda", _("请党委办公室提请上会")
    ASKED_TASK = "asked_task", _("请党委办公室转为督办")
    # The office answers a request with a reason instead (如：可由职能部门直接办理；不属于党委会议事范围): the request is no
    # longer pending and the leader may ask again. 议题由党委办公室列入 (001 三（三）) — listing is the office's decision.
    DECLINED_ASK = "declined_ask", _("党委办公室不予提请")
    ANSWERED = "answered", _("答复")
    FEEDBACK = "feedback", _("向反映人反馈")
    CLOSED = "closed", _("办结")


# 004 第六条4 names exactly these two meetings (communication's MeetingKind values, spelled here: outreach reads no
# other app's models).
ESCALATION_MEETING_CHOICES = [
    ("party_committee", _("党委会/党委常委会")),
    ("administrative", _("校长办公会")),
]


class IssueEvent(models.Model):
    """One step of an issue's handling, in order: who, when, what, and to whom it went (移交)."""

    issue = models.ForeignKey(
        RaisedIssue, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("环节"), max_length=20, choices=IssueEventKind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_person = models.ForeignKey(
        "governance.Person",
        verbose_name=_("交给"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("交给单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    meeting_kind = models.CharField(
        _("提请的会议"), max_length=30, choices=ESCALATION_MEETING_CHOICES, blank=True
    )
    # A DECLINED_ASK names the request it answers; a request with an answer is no longer pending.
    ask = models.ForeignKey(
        "self",
        verbose_name=_("答复的提请"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.issue} · {self.get_kind_display()}"


# ---------------------------------------------------------------------------------------------------------------
# 校领导接待日 (004 第五条8: 每两周一次，时间为双周一下午3:00—5:00，接待地点在当班领导办公室)


class ReceptionDuty(RecordedModel):
    """A leader on the reception rota (轮值名单) and where they receive visitors (their office, 第五条8)."""

    leader = models.OneToOneField(
        "governance.Person", verbose_name=_("校领导"), on_delete=models.CASCADE, related_name="reception_duty"
    )
    place = models.CharField(_("接待地点"), max_length=100, help_text=_("当班领导办公室，如：行政楼 305 室"))
    order = models.PositiveIntegerField(_("轮值顺序"), default=100)
    is_active = models.BooleanField(_("参加轮值"), default=True)

    class Meta:
        verbose_name = _("接待日轮值名单")
        verbose_name_plural = _("接待日轮值名单")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.leader} · {self.place}"


class ReceptionSession(RecordedModel):
    """One reception day: when, the duty leader and where; afterwards how many came and what they raised."""

    date = models.DateField(_("日期"), validators=[validate_record_date])
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    leader = models.ForeignKey(
        "governance.Person",
        verbose_name=_("当班校领导"),
        on_delete=models.PROTECT,
        related_name="reception_sessions",
    )
    place = models.CharField(_("接待地点"), max_length=100)
    moved_from = models.DateField(
        _("原定日期"), null=True, blank=True, help_text=_("原定周一遇法定节假日时顺延")
    )
    visitors = models.PositiveIntegerField(_("来访人数"), null=True, blank=True)
    summary = models.TextField(_("接待情况"), blank=True, validators=[MaxCharsValidator(NOTE_MAX)])

    class Meta:
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        ordering = ["date", "start_time", "pk"]
        constraints = [models.UniqueConstraint(fields=["date"], name="outreach_one_reception_a_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.leader}"
