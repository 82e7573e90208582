"""Reminder emails and calendar subscriptions.

A reminder is sent once (see governance.services.reminders): each item a person is reminded of is a unique
ReminderSent row, inserted in the same transaction as the ReminderDigest that carries it, so a second beat, a
retried task or a rerun of the cron command finds the row and sends nothing. The digest is the outgoing email:
written before sending, claimed with a conditional UPDATE by the one worker that sends it, marked sent after.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderDigest(models.Model):
    """One email to one person covering everything new that is due soon or overdue for them."""

    person = models.ForeignKey(
        "governance.Person",
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="reminder_digests",
    )
    created = models.DateTimeField(_("生成时间"), auto_now_add=True)
    to_email = models.EmailField(_("收件地址"))
    subject = models.CharField(_("主题"), max_length=200)
    body_text = models.TextField(_("正文（纯文本）"))
    body_html = models.TextField(_("正文（HTML）"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # The sending worker's claim: while it is in the future, no other worker sends this digest. A worker killed
    # mid-send leaves it to expire, and the next sweep queues the digest again.
    claimed_until = models.DateTimeField(_("发送锁定至"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)

    class Meta:
        verbose_name = _("提醒邮件")
        verbose_name_plural = _("提醒邮件")
        ordering = ["-created"]
        indexes = [models.Index(fields=["sent_at", "created"], name="reminderdigest_unsent")]

    def __str__(self) -> str:
        return f"{self.person} · {self.subject}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")


class ReminderSent(models.Model):
    """The claim that one item was (or is being) sent to one person: one row per obligation, person and kind.

    The obligation is (rule, team, period start, counterpart): counterpart is the other person of a pair rule
    as seen from `person` (the secretary's row names the dean and the dean's row the secretary), empty otherwise.
    An obligation owed by an event's people (no team, 003 第五条) is (rule, event key).
    """

    person = models.ForeignKey(
        "governance.Person", verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="reminders_sent"
    )
    rule = models.ForeignKey(
        "governance.ObligationRule",
        verbose_name=_("规则"),
        on_delete=models.CASCADE,
        related_name="reminders_sent",
    )
    # Empty for an obligation owed by an event's people (003 第五条: a task's report cycle), which `event_key` names.
    team = models.ForeignKey(
        "governance.LeadershipTeam",
        verbose_name=_("领导班子"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    event_key = models.CharField(_("活动（事项）标识"), max_length=100, blank=True, default="")
    period_start = models.DateField(_("周期开始"))
    counterpart = models.ForeignKey(
        "governance.Person",
        verbose_name=_("对象人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("提醒类型"), max_length=10, choices=ReminderKind.choices)
    digest = models.ForeignKey(
        ReminderDigest, verbose_name=_("提醒邮件"), on_delete=models.CASCADE, related_name="items"
    )
    created = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发送提醒")
        verbose_name_plural = _("已发送提醒")
        ordering = ["-created"]
        # NULL is distinct from NULL in a unique index (SQLite, and PostgreSQL by default), so the rows without a
        # counterpart get their own partial constraint.
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule", "team", "period_start", "counterpart", "kind"],
                condition=Q(counterpart__isnull=False),
                name="reminder_once_per_pair_item",
            ),
            models.UniqueConstraint(
                fields=["person", "rule", "team", "period_start", "kind"],
                condition=Q(counterpart__isnull=True),
                name="reminder_once_per_item",
            ),
            # An event's obligation (no team): once per person, rule, event and kind.
            models.UniqueConstraint(
                fields=["person", "rule", "event_key", "kind"],
                condition=Q(team__isnull=True),
                name="reminder_once_per_event_item",
            ),
        ]
        indexes = [models.Index(fields=["period_start"], name="remindersent_period_start")]

    def __str__(self) -> str:
        return f"{self.person} · {self.rule} · {self.period_start} · {self.get_kind_display()}"


class ReminderSectionSent(models.Model):
    """The claim that one family's digest section, in one state, was (or is being) sent to one person.

    A family names the state it reminds of in the section's key ("opinions:12,15"); the same state is not sent again,
    a changed one (a new agenda item awaiting the person's opinion) is. `key_hash` is the key's SHA-1, so a long key
    fits a unique index on every database."""

    person = models.ForeignKey(
        "governance.Person", verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="+"
    )
    family = models.CharField(_("业务模块"), max_length=40)
    key = models.TextField(_("提醒内容标识"))
    key_hash = models.CharField(_("标识摘要"), max_length=40)
    digest = models.ForeignKey(
        ReminderDigest, verbose_name=_("提醒邮件"), on_delete=models.CASCADE, related_name="sections"
    )
    created = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发送的模块提醒")
        verbose_name_plural = _("已发送的模块提醒")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["person", "family", "key_hash"], name="reminder_section_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.family} · {self.key[:40]}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a person's iCalendar subscription address (/calendar/<token>.ics, no login).

    Regenerating replaces the token, so the old address stops working at once; revoking keeps the row with
    `revoked_at` set and the address answers 404 until the person generates a new one."""

    person = models.OneToOneField(
        "governance.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("订阅密钥"), max_length=64, unique=True, default=new_feed_token)
    created = models.DateTimeField(_("生成时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self) -> str:
        return f"{self.person} · {_('已停用') if self.revoked_at else _('有效')}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
