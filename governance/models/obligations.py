"""Obligation rules: who must do what, how much, how often, and what counts as evidence. Rules are data, edited
in the admin or loaded from a policy pack (governance/policies/packs/*.yaml)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.engine.periods import PERIOD_KIND_LABELS, PeriodKind
from governance.validators import EARLIEST_RECORD_DATE, latest_record_date, validate_record_date


class PolicyPack(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    regulation = models.ForeignKey(
        "governance.Regulation", verbose_name=_("依据制度"), on_delete=models.PROTECT, related_name="packs"
    )
    version = models.CharField(_("版本"), max_length=20, blank=True)
    description = models.TextField(_("说明"), blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        verbose_name = _("制度规则包")
        verbose_name_plural = _("制度规则包")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class Subject(models.TextChoices):
    TEAM = "team", _("领导班子整体")
    EACH_MEMBER = "each_member", _("每位班子成员")
    POSITION = "position", _("特定职务")
    # 003 第五条: owed by the people the event's source names (a unit's head and liaisons for each cycle of a task)
    EVENT_OWNERS = "event_owners", _("活动（事项）的承办人员")


class Counterpart(models.TextChoices):
    NONE = "none", _("无（个人或班子义务）")
    POSITION = "position", _("特定职务（如院长）")
    EACH_OTHER_MEMBER = "each_other_member", _("其他每位班子成员")


class Measure(models.TextChoices):
    COUNT = "count", _("次数")
    SUM = "sum", _("累计量（如学时）")


PERIOD_CHOICES = [(k.value, label) for k, label in PERIOD_KIND_LABELS.items()] + [
    ("before_event", _("活动召开前"))
]


class HolidayShift(models.TextChoices):
    NONE = "none", _("不调整")
    PREVIOUS = "previous", _("提前到前一个工作日")
    NEXT = "next", _("顺延到下一个工作日")


class Season(models.TextChoices):
    ALWAYS = "always", _("全年")
    SEMESTER = "semester", _("仅学期内")


WEEKDAY_CHOICES = [
    (0, _("周一")),
    (1, _("周二")),
    (2, _("周三")),
    (3, _("周四")),
    (4, _("周五")),
    (5, _("周六")),
    (6, _("周日")),
]


class ObligationRule(models.Model):
    code = models.SlugField(
        _("规则代码"),
        max_length=60,
        help_text=_("稳定的英文代码，如 000-coordination-meeting；同一组织内唯一"),
    )
    title = models.CharField(_("规则名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    pack = models.ForeignKey(
        PolicyPack,
        verbose_name=_("规则包"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
    )
    clause = models.ForeignKey(
        "governance.Clause", verbose_name=_("依据条款"), on_delete=models.PROTECT, related_name="rules"
    )
    organization = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("适用组织"),
        on_delete=models.CASCADE,
        related_name="obligation_rules",
        help_text=_("采用该制度的组织；其领导班子承担此义务"),
    )
    include_sub_units = models.BooleanField(
        _("二级单位参照执行"),
        default=False,
        help_text=_("勾选后，下级学院、部门的领导班子也承担此义务（如 001 第四条）"),
    )

    subject = models.CharField(_("义务主体"), max_length=20, choices=Subject.choices)
    subject_positions = models.JSONField(
        _("主体职务"),
        default=list,
        blank=True,
        help_text=_("主体为“特定职务”时的职务类别；班子整体义务时为负责人（收到提醒的人）"),
    )
    counterpart = models.CharField(
        _("谈话/沟通对象"), max_length=20, choices=Counterpart.choices, default=Counterpart.NONE
    )
    counterpart_positions = models.JSONField(_("对象职务"), default=list, blank=True)

    evidence_source = models.CharField(
        _("计入的记录"),
        max_length=60,
        help_text=_("业务模块注册的记录来源，写作“模块.记录”，如会议、谈心谈话"),
    )
    evidence_params = models.JSONField(
        _("记录条件"), default=dict, blank=True, help_text=_('如 {"kind": "coordination"}')
    )
    measure = models.CharField(_("计量方式"), max_length=10, choices=Measure.choices, default=Measure.COUNT)
    target = models.DecimalField(_("要求数量"), max_digits=8, decimal_places=2, default=1)
    unit = models.CharField(_("单位"), max_length=10, default="次")

    period = models.CharField(_("周期"), max_length=20, choices=PERIOD_CHOICES)
    season = models.CharField(_("适用时段"), max_length=10, choices=Season.choices, default=Season.ALWAYS)
    weekday = models.PositiveSmallIntegerField(_("约定星期"), null=True, blank=True, choices=WEEKDAY_CHOICES)
    anchor = models.DateField(_("双周起算日"), null=True, blank=True, help_text=_("留空则用系统默认起算日"))
    holiday_shift = models.CharField(
        _("遇节假日"), max_length=10, choices=HolidayShift.choices, default=HolidayShift.NONE
    )
    event_source = models.CharField(
        _("活动来源"),
        max_length=60,
        blank=True,
        help_text=_("周期为“活动召开前”时，业务模块注册的活动来源（如民主生活会所在的会议）"),
    )
    event_params = models.JSONField(
        _("活动条件"), default=dict, blank=True, help_text=_('如 {"kind": "democratic_life"}')
    )
    remind_days_before = models.PositiveSmallIntegerField(_("提前提醒天数"), default=7)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("义务规则")
        verbose_name_plural = _("义务规则")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="rule_code_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pair_rule(self) -> bool:
        return self.counterpart != Counterpart.NONE

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.subject == Subject.POSITION and not self.subject_positions:
            errors["subject_positions"] = _("主体为“特定职务”时，请填写职务类别。")
        if self.counterpart == Counterpart.POSITION and not self.counterpart_positions:
            errors["counterpart_positions"] = _("对象为“特定职务”时，请填写对象的职务类别。")
        if self.subject == Subject.TEAM and self.counterpart != Counterpart.NONE:
            errors["counterpart"] = _("班子整体义务不能设置谈话对象。")
        if self.period == PeriodKind.BIWEEK.value and self.weekday is None:
            errors["weekday"] = _("双周规则请选择约定的星期（如周五）。")
        if self.period == "before_event" and not self.event_source:
            errors["event_source"] = _("周期为“活动召开前”时，请填写活动来源。")
        if self.subject == Subject.EVENT_OWNERS and self.period != "before_event":
            errors["period"] = _("义务主体为活动（事项）的承办人员时，周期须为“活动召开前”。")
        if self.subject == Subject.EVENT_OWNERS and self.counterpart != Counterpart.NONE:
            errors["counterpart"] = _("义务主体为活动（事项）的承办人员时，不能设置谈话对象。")
        if self.target is not None and self.target <= 0:
            errors["target"] = _("要求数量必须大于 0。")
        if errors:
            raise ValidationError(errors)


class ObligationExcuse(models.Model):
    """The office excuses one period of a rule, with a reason (e.g. every meeting day of the cycle was a holiday).
    An excused period is never overdue and shows why."""

    rule = models.ForeignKey(
        ObligationRule, verbose_name=_("规则"), on_delete=models.CASCADE, related_name="excuses"
    )
    period_start = models.DateField(_("周期开始"), validators=[validate_record_date])
    team = models.ForeignKey(
        "governance.LeadershipTeam",
        verbose_name=_("领导班子"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    person = models.ForeignKey(
        "governance.Person",
        verbose_name=_("主体人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    counterpart = models.ForeignKey(
        "governance.Person",
        verbose_name=_("对象人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    event_key = models.CharField(
        _("活动（事项）标识"),
        max_length=100,
        blank=True,
        default="",
        help_text=_(
            "仅用于按活动（事项）承担的规则：免于考核的是哪一个活动或周期（如某督办事项的一个反馈周期）"
        ),
    )
    reason = models.CharField(_("理由"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("免于考核的周期")
        verbose_name_plural = _("免于考核的周期")
        ordering = ["-period_start"]
        indexes = [models.Index(fields=["rule", "period_start"])]

    def __str__(self) -> str:
        return f"{self.rule} · {self.period_start} · {self.reason}"

    def clean(self) -> None:
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("请填写免于考核的理由。")})
        # Only a period the rule really has (issue 7, hole 5); a date out of range is the field validator's to refuse.
        day = self.period_start
        if self.rule_id and day and EARLIEST_RECORD_DATE <= day <= latest_record_date():
            from governance.selectors.excuses import rule_period_starting  # the selectors import the models

            if rule_period_starting(self.rule, self.team, day) is None:
                raise ValidationError(
                    {
                        "period_start": _("“%(rule)s”没有自%(day)s开始的周期，不能登记免于考核。")
                        % {"rule": self.rule.title, "day": date_format(day, "DATE_FORMAT")}
                    }
                )
