"""Leadership communication (党政领导经常性沟通), seeds 000 and 001: meetings, agenda items with their pre-meeting
consultation, talks, absences with handovers.

Who may see what is decided in communication/permissions.py; the querysets here only delegate to it, so the
object predicates and the list filters share one module.
"""

from __future__ import annotations

import datetime as dt
from typing import Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communication import permissions
from governance.models import PrivateAttachment, RecordedModel
from governance.storage import PrivateUploadTo, private_storage
from governance.validators import MaxCharsValidator, validate_record_date

# How long each text may be (issue 7, hole 5): room for what the field is for, never a dump.
AGENDA_MAX = 5_000  # a meeting's 议题 (000 四（三）: set and announced beforehand)
MINUTES_MAX = 20_000  # 会议纪要
DESCRIPTION_MAX = 5_000  # 议题说明, 会议决定
COMMENT_MAX = 2_000  # 具体意见, 取得共识情况
NOTES_MAX = 10_000  # 谈话要点
REASON_MAX = 500  # 外出事由
DUTIES_MAX = 1_000  # 代管工作
MAX_HANDOVERS = 10  # 001 三（七）: 委托班子其他成员代管相关工作 — a team has a handful of members

# ---------------------------------------------------------------------------------------------------------------
# Meetings


class MeetingKind(models.TextChoices):
    COORDINATION = "coordination", _("碰头会")  # 000 四（四）; 001 一（二）
    RETREAT = "retreat", _("务虚会")  # 000 四（三）
    PARTY_COMMITTEE = "party_committee", _("党委会/党委常委会")  # 000 四（一）; 001 三（三）
    JOINT = "joint", _("党政联席会")  # 000 四（一）
    ADMINISTRATIVE = "administrative", _("校长办公会/院务会")  # 000 四（一）; 001 三（三）
    SECRETARY_SPECIAL = "secretary_special", _("书记专题会")  # 001 一（一）
    DEMOCRATIC_LIFE = "democratic_life", _("民主生活会")  # 000 四（二）


_M = TypeVar("_M", bound="Meeting")


# Generic in its rows, as django-stubs' QuerySet is: the fields .annotate() adds stay typed on the meetings it yields.
class MeetingQuerySet(models.QuerySet[_M, _M]):
    def visible_to(self, user) -> Self:
        """Meetings whose basic facts (kind, date, attendees, agenda) the user may see."""
        return permissions.filter_meetings_visible(self, user)

    def records_visible_to(self, user) -> Self:
        """Meetings whose minutes and attachments the user may read (001 三（八）: confidential)."""
        return permissions.filter_meeting_records_visible(self, user)


class Meeting(RecordedModel):
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    organization = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("召开单位"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    title = models.CharField(_("会议名称"), max_length=200)
    date = models.DateField(_("会议日期"), validators=[validate_record_date])
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    # 000 四（三）、四（四）: 一般由党委书记主持.
    chair = models.ForeignKey(
        "governance.Person",
        verbose_name=_("主持人"),
        on_delete=models.PROTECT,
        related_name="meetings_chaired",
    )
    attendees = models.ManyToManyField(
        "governance.Person", verbose_name=_("参会人员"), blank=True, related_name="meetings_attended"
    )
    # 001 一（二）: 列席人员为校党委办公室主任、校长办公室主任.
    observers = models.ManyToManyField(
        "governance.Person", verbose_name=_("列席人员"), blank=True, related_name="meetings_observed"
    )
    agenda = models.TextField(
        _("议题"),
        blank=True,
        max_length=AGENDA_MAX,
        validators=[MaxCharsValidator(AGENDA_MAX)],
        help_text=_("务虚会须事先设置议题并预告（000 四（三））"),
    )
    minutes = models.TextField(
        _("会议纪要"), blank=True, max_length=MINUTES_MAX, validators=[MaxCharsValidator(MINUTES_MAX)]
    )
    # 001 三（八）: 沟通交流会议实行保密制度.
    confidential = models.BooleanField(
        _("保密"),
        default=True,
        help_text=_("保密会议的纪要和附件仅参会、列席人员和党委办公室可见（001 三（八））"),
    )
    # 000 四（三）: 务虚会议题设置和预告制度.
    topics_announced_on = models.DateField(
        _("议题预告日期"), null=True, blank=True, validators=[validate_record_date]
    )
    # 000 四（二）: 民主生活会召开前要深入开展谈心谈话 — the 四必谈 window starts here.
    preparation_start = models.DateField(
        _("谈心谈话开始日期"),
        null=True,
        blank=True,
        validators=[validate_record_date],
        help_text=_("民主生活会必填：会前谈心谈话自该日起计入“四必谈”"),
    )

    objects = MeetingQuerySet.as_manager()
    _history_m2m_fields = ["attendees", "observers"]

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-date", "-start_time"]
        indexes = [
            models.Index(fields=["date"], name="comm_meeting_date"),
            models.Index(fields=["organization", "kind", "date"], name="comm_meeting_org_kind_date"),
            models.Index(fields=["kind", "date"], name="comm_meeting_kind_date"),
            # The admin changelist, newest first (Meta.ordering, then -pk): all colleges, and one.
            models.Index(fields=["-date", "-start_time", "-id"], name="comm_meeting_admin_list"),
            models.Index(
                fields=["organization", "-date", "-start_time", "-id"], name="comm_meeting_admin_org_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("communication:meeting_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("结束时间必须晚于开始时间。")
        if self.kind == MeetingKind.RETREAT:
            # 000 四（三）: 要建立务虚会议题设置和预告制度.
            if not (self.agenda or "").strip():
                errors["agenda"] = _("务虚会须事先设置议题（000 四（三）“议题设置和预告制度”），请填写议题。")
            if not self.topics_announced_on:
                errors["topics_announced_on"] = _("务虚会议题须提前预告（000 四（三）），请填写预告日期。")
            elif self.date and self.topics_announced_on >= self.date:
                errors["topics_announced_on"] = _(
                    "务虚会议题须在会议召开前预告（000 四（三）），预告日期应早于会议日期。"
                )
        if self.kind == MeetingKind.DEMOCRATIC_LIFE:
            # 000 四（二）: 民主生活会召开前要深入开展谈心谈话.
            if not self.preparation_start:
                errors["preparation_start"] = _("民主生活会须填写会前谈心谈话的开始日期（000 四（二））。")
            elif self.date and self.preparation_start > self.date:
                errors["preparation_start"] = _("谈心谈话开始日期不能晚于民主生活会召开日期。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_democratic_life(self) -> bool:
        return self.kind == MeetingKind.DEMOCRATIC_LIFE


class MeetingAttachment(PrivateAttachment):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attachments"
    )
    download_url_name = "communication:attachment_download"

    file = models.FileField(
        _("文件"),
        storage=private_storage,
        upload_to=PrivateUploadTo("communication/meetings"),
        max_length=255,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议附件")
        verbose_name_plural = _("会议附件")
        ordering = ["uploaded_at", "pk"]


# ---------------------------------------------------------------------------------------------------------------
# Agenda items (议题) and their pre-meeting consultation: 000 四（一）; 001 三（三）


class AgendaItemStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    CONSULTING = "consulting", _("待征求意见")
    READY = "ready", _("可以上会")
    # 000 四（一）; 001 三（三）: 意见不一致的议题暂缓上会.
    HELD_BACK = "held_back", _("暂缓上会（意见不一致）")
    SCHEDULED = "scheduled", _("已安排上会")
    DECIDED = "decided", _("已决定")


class AgendaItem(RecordedModel):
    title = models.CharField(_("议题名称"), max_length=200)
    organization = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    meeting_kind = models.CharField(_("拟提交会议"), max_length=20, choices=MeetingKind.choices)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("上会会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    proposer = models.ForeignKey(
        "governance.Person",
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="proposed_agenda_items",
    )
    description = models.TextField(
        _("议题说明"), blank=True, max_length=DESCRIPTION_MAX, validators=[MaxCharsValidator(DESCRIPTION_MAX)]
    )
    # 001 三（三）: 属学校“三重一大”范畴的决策议题 → 与分管相关业务的班子成员充分沟通.
    is_major = models.BooleanField(_("属于“三重一大”事项"), default=False)
    areas = models.ManyToManyField(
        "governance.Area",
        verbose_name=_("涉及分管领域"),
        blank=True,
        related_name="agenda_items",
        help_text=_("“三重一大”议题须听取分管这些领域的班子成员的意见（001 三（三））"),
    )
    # Kept by communication.services from the opinions; never edited by hand.
    status = models.CharField(
        _("状态"), max_length=20, choices=AgendaItemStatus.choices, default=AgendaItemStatus.DRAFT
    )
    decision = models.TextField(
        _("会议决定"), blank=True, max_length=DESCRIPTION_MAX, validators=[MaxCharsValidator(DESCRIPTION_MAX)]
    )

    _history_m2m_fields = ["areas"]

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="comm_item_status_created"),
            models.Index(fields=["organization", "status"], name="comm_item_org_status"),
            models.Index(fields=["meeting_kind", "status"], name="comm_item_kind_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("communication:agenda_item_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.meeting_id and self.meeting:
            if self.meeting.kind != self.meeting_kind:
                errors["meeting"] = _("所选会议是“%(actual)s”，与议题拟提交的“%(wanted)s”不符。") % {
                    "actual": self.meeting.get_kind_display(),
                    "wanted": self.get_meeting_kind_display(),
                }
            elif self.organization_id and self.meeting.organization_id != self.organization_id:
                errors["meeting"] = _("所选会议不是本单位的会议。")
        if errors:
            raise ValidationError(errors)


class OpinionStance(models.TextChoices):
    PENDING = "pending", _("待征求")
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    COMMENT = "comment", _("提出意见建议")


class Opinion(models.Model):
    """One leader's opinion on an agenda item, heard before the meeting (000 四（一）; 001 三（三））."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="opinions"
    )
    person = models.ForeignKey(
        "governance.Person",
        verbose_name=_("征求对象"),
        on_delete=models.PROTECT,
        related_name="agenda_opinions",
    )
    required = models.BooleanField(_("必须听取"), default=True)
    reason = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("为什么必须听取其意见（条款）")
    )
    stance = models.CharField(
        _("意见"), max_length=10, choices=OpinionStance.choices, default=OpinionStance.PENDING
    )
    comment = models.TextField(
        _("具体意见"), blank=True, max_length=COMMENT_MAX, validators=[MaxCharsValidator(COMMENT_MAX)]
    )
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # 意见不一致 → 进一步交换意见、取得共识: the office records how the disagreement was settled.
    resolution_note = models.TextField(
        _("取得共识情况"), blank=True, max_length=COMMENT_MAX, validators=[MaxCharsValidator(COMMENT_MAX)]
    )
    resolved_at = models.DateTimeField(_("取得共识时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("共识登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会前意见")
        verbose_name_plural = _("会前意见")
        ordering = ["item", "-required", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="comm_opinion_one_per_person")]
        indexes = [models.Index(fields=["person", "stance"], name="comm_opinion_person_stance")]

    def __str__(self) -> str:
        return f"{self.person}：{self.get_stance_display()}"

    @property
    def is_pending(self) -> bool:
        return self.stance == OpinionStance.PENDING

    @property
    def is_unresolved_disagreement(self) -> bool:
        return self.stance == OpinionStance.DISAGREE and self.resolved_at is None


# ---------------------------------------------------------------------------------------------------------------
# Talks (谈心谈话): 000 四（二）、四（五）—四（七）; 001 一（三）、一（四）、三（一）、三（六）


class TalkTopic(models.TextChoices):
    # 000 四（五）: 思想、工作、学习; 001 三（六）: 思想、工作、作风、学习.
    THOUGHT = "thought", _("思想")
    WORK = "work", _("工作")
    STUDY = "study", _("学习")
    STYLE = "style", _("作风")


class TalkChannel(models.TextChoices):
    TALK = "talk", _("谈心谈话")
    # 001 三（一）: 校党委书记、校长原则上每周沟通不少于1次 — a working exchange counts as 沟通.
    COMMUNICATION = "communication", _("沟通交流")


def _topic_list_default() -> list[str]:
    return []


class TalkQuerySet(models.QuerySet["Talk"]):
    def visible_to(self, user) -> TalkQuerySet:
        """Talks the user may see at all (the list, the detail page)."""
        return permissions.filter_talks_visible(self, user)

    def notes_visible_to(self, user) -> TalkQuerySet:
        """Talks whose confidential notes the user may read."""
        return permissions.filter_talk_notes_visible(self, user)

    def between(self, start: dt.date, end: dt.date) -> TalkQuerySet:
        return self.filter(date__gte=start, date__lte=end)


class Talk(RecordedModel):
    participants = models.ManyToManyField("governance.Person", verbose_name=_("参与人"), related_name="talks")
    date = models.DateField(_("谈话日期"), validators=[validate_record_date])
    # 000 四（五）: 正式谈心 vs 不定期沟通.
    formal = models.BooleanField(_("正式谈心"), default=False)
    channel = models.CharField(
        _("形式"), max_length=20, choices=TalkChannel.choices, default=TalkChannel.TALK
    )
    topics = models.JSONField(
        _("谈话内容"), default=_topic_list_default, blank=True, help_text=_("思想、工作、学习、作风")
    )
    # Confidential to the participants and the office (DESIGN: communication/).
    notes = models.TextField(
        _("谈话要点"), blank=True, max_length=NOTES_MAX, validators=[MaxCharsValidator(NOTES_MAX)]
    )
    # 000 四（二）: counted for the 四必谈 of this democratic life meeting.
    democratic_life_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("民主生活会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="preparation_talks",
        limit_choices_to={"kind": MeetingKind.DEMOCRATIC_LIFE},
    )

    objects = TalkQuerySet.as_manager()
    # The history (RecordedModel) copies the confidential notes: its pages are in the office-only admin.
    _history_m2m_fields = ["participants"]

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["date"], name="comm_talk_date"),
            models.Index(fields=["formal", "date"], name="comm_talk_formal_date"),
            # The admin changelist, newest first (Meta.ordering): unfiltered, and by channel (formal: above).
            models.Index(fields=["-date", "-id"], name="comm_talk_admin_list"),
            models.Index(fields=["channel", "-date", "-id"], name="comm_talk_admin_channel_list"),
        ]

    def __str__(self) -> str:
        return _("%(date)s 谈心谈话") % {"date": f"{self.date:%Y-%m-%d}"}

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("communication:talk_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        topics = self.topics or []
        if not isinstance(topics, list) or any(t not in TalkTopic.values for t in topics):
            errors["topics"] = _("谈话内容只能从“思想、工作、学习、作风”中选择。")
        if self.democratic_life_meeting_id and self.democratic_life_meeting:
            meeting = self.democratic_life_meeting
            if meeting.kind != MeetingKind.DEMOCRATIC_LIFE:
                errors["democratic_life_meeting"] = _("只能关联民主生活会。")
            elif (
                self.date
                and meeting.preparation_start
                and not (meeting.preparation_start <= self.date <= meeting.date)
            ):
                errors["democratic_life_meeting"] = _(
                    "谈话日期不在该民主生活会的会前谈心谈话期间（%(start)s 至 %(end)s）。"
                ) % {"start": meeting.preparation_start, "end": meeting.date}
        if errors:
            raise ValidationError(errors)

    def topic_labels(self) -> list[str]:
        labels = dict(TalkTopic.choices)
        return [str(labels[t]) for t in self.topics or [] if t in labels]


# ---------------------------------------------------------------------------------------------------------------
# Absence and handover (外出与工作交接): 001 三（七）


class AbsenceKind(models.TextChoices):
    TRIP = "trip", _("出差")
    STUDY = "study", _("学习")
    SECONDMENT = "secondment", _("挂职")
    OTHER = "other", _("其他")


class AbsenceQuerySet(models.QuerySet["Absence"]):
    def visible_to(self, user) -> AbsenceQuerySet:
        return permissions.filter_absences_visible(self, user)

    def current_or_upcoming(self, today: dt.date) -> AbsenceQuerySet:
        return self.filter(end__gte=today)


class Absence(RecordedModel):
    person = models.ForeignKey(
        "governance.Person", verbose_name=_("外出人员"), on_delete=models.PROTECT, related_name="absences"
    )
    kind = models.CharField(
        _("外出类型"), max_length=20, choices=AbsenceKind.choices, default=AbsenceKind.TRIP
    )
    start = models.DateField(_("开始日期"), validators=[validate_record_date])
    end = models.DateField(_("结束日期"), validators=[validate_record_date])
    destination = models.CharField(_("地点"), max_length=200, blank=True)
    reason = models.TextField(
        _("事由"), blank=True, max_length=REASON_MAX, validators=[MaxCharsValidator(REASON_MAX)]
    )
    # 001 三（七）: 党政主要领导出差、学习等情况，要及时相互通报.
    notified = models.ManyToManyField(
        "governance.Person", verbose_name=_("已通报"), blank=True, related_name="absences_notified"
    )
    # 001 三（七）: 班子其他成员出差、学习、挂职等情况，须向主要领导请假.
    leave_approved_by = models.ForeignKey(
        "governance.Person",
        verbose_name=_("准假领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absences_approved",
    )

    objects = AbsenceQuerySet.as_manager()
    _history_m2m_fields = ["notified"]

    class Meta:
        verbose_name = _("外出报备")
        verbose_name_plural = _("外出报备")
        ordering = ["-start", "-pk"]
        indexes = [
            models.Index(fields=["end", "start"], name="comm_absence_end_start"),
            models.Index(fields=["person", "start"], name="comm_absence_person_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="comm_absence_end_not_before_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.start:%Y-%m-%d}—{self.end:%Y-%m-%d}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开始日期。")})
        if self.leave_approved_by_id and self.leave_approved_by_id == self.person_id:
            raise ValidationError({"leave_approved_by": _("准假领导不能是外出人员本人。")})


class Handover(models.Model):
    """Who covers which duties while a leader is away (001 三（七）: 委托班子其他成员代管相关工作)."""

    absence = models.ForeignKey(
        Absence, verbose_name=_("外出报备"), on_delete=models.CASCADE, related_name="handovers"
    )
    covering = models.ForeignKey(
        "governance.Person",
        verbose_name=_("代管人"),
        on_delete=models.PROTECT,
        related_name="handovers_covering",
    )
    duties = models.TextField(
        _("代管工作"), max_length=DUTIES_MAX, validators=[MaxCharsValidator(DUTIES_MAX)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作交接")
        verbose_name_plural = _("工作交接")
        ordering = ["absence", "pk"]
        indexes = [models.Index(fields=["covering", "absence"], name="comm_handover_covering")]

    def __str__(self) -> str:
        return f"{self.covering}：{self.duties[:30]}"

    def clean(self) -> None:
        if self.absence_id and self.covering_id and self.absence.person_id == self.covering_id:
            raise ValidationError({"covering": _("代管人不能是外出人员本人。")})
