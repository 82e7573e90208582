"""People, and the positions they hold in a leadership team over time."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PositionKind(models.TextChoices):
    SECRETARY = "secretary", _("党委书记")
    PRESIDENT = "president", _("校长/院长")
    DEPUTY_SECRETARY = "deputy_secretary", _("党委副书记")
    VICE_PRESIDENT = "vice_president", _("副校长/副院长")
    DISCIPLINE_SECRETARY = "discipline_secretary", _("纪委书记")
    COMMITTEE_MEMBER = "committee_member", _("党委委员")
    TEAM_MEMBER = "team_member", _("班子成员")
    BRANCH_SECRETARY = "branch_secretary", _("党支部书记")


# Positions only one person holds in a team at a time.
SINGLE_HOLDER_KINDS = frozenset(
    {PositionKind.SECRETARY, PositionKind.PRESIDENT, PositionKind.BRANCH_SECRETARY}
)
# 党政主要负责同志 (000 四（二）、四（五）; 001 三（一）): the secretary and the president/dean.
MAIN_LEADER_KINDS = frozenset({PositionKind.SECRETARY, PositionKind.PRESIDENT})


class Area(models.Model):
    """A field of work a leader is in charge of (分管), e.g. 教学, 科研, 财务 — used for 三重一大 consultation."""

    name = models.CharField(_("名称"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("分管领域")
        verbose_name_plural = _("分管领域")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text=_("可以为空：没有账号的人员也可以登记。"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    organization = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    title = models.CharField(_("职务（对外称谓）"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    is_party_member = models.BooleanField(_("中共党员"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_email(self) -> str:
        if self.email:
            return self.email
        return self.user.email if self.user_id and self.user else ""


class PositionQuerySet(models.QuerySet["Position"]):
    def active_on(self, day: dt.date) -> PositionQuerySet:
        return self.filter(Q(start__lte=day), Q(end__isnull=True) | Q(end__gte=day))

    def overlapping(self, start: dt.date, end: dt.date | None) -> PositionQuerySet:
        qs = self.filter(Q(end__isnull=True) | Q(end__gte=start))
        if end is not None:
            qs = qs.filter(start__lte=end)
        return qs

    def holder(self, organization, kind: str, on: dt.date) -> Person | None:
        """Who held position `kind` in `organization`'s team on `on` — e.g. the secretary of a college on a date."""
        position = (
            self.active_on(on)
            .filter(team__organization=organization, kind=kind)
            .select_related("person")
            .order_by("-start")
            .first()
        )
        return position.person if position else None


class Position(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="positions"
    )
    team = models.ForeignKey(
        "governance.LeadershipTeam",
        verbose_name=_("领导班子"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    kind = models.CharField(_("职务类别"), max_length=30, choices=PositionKind.choices)
    title = models.CharField(
        _("具体职务"), max_length=100, blank=True, help_text=_("如：党委副书记、纪委书记")
    )
    start = models.DateField(_("任职开始"))
    end = models.DateField(_("任职结束"), null=True, blank=True, help_text=_("在任则留空"))
    areas = models.ManyToManyField(Area, verbose_name=_("分管领域"), blank=True, related_name="positions")
    order = models.PositiveIntegerField(_("班子排序"), default=100)

    objects = PositionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["team", "order", "start"]
        indexes = [models.Index(fields=["team", "kind", "start"]), models.Index(fields=["person", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="position_end_not_before_start",
                violation_error_message=_("任职结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.team} · {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_main_leader(self) -> bool:
        return self.kind in MAIN_LEADER_KINDS

    def is_active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("任职结束日期不能早于开始日期。")})
        if self.kind in SINGLE_HOLDER_KINDS and self.team_id and self.start:
            clash = (
                Position.objects.filter(team_id=self.team_id, kind=self.kind)
                .exclude(pk=self.pk)
                .overlapping(self.start, self.end)
                .select_related("person")
                .first()
            )
            if clash:
                raise ValidationError(
                    _(
                        "同一时间只能有一位%(kind)s：%(person)s 自 %(start)s 起任该职。请先填写其任职结束日期。"
                    )
                    % {"kind": self.get_kind_display(), "person": clash.person, "start": clash.start}
                )
