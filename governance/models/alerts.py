"""Alerts the office has been sent, one row per key, so a retried or doubled job never sends twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficeAlert(models.Model):
    key = models.CharField(_("键"), max_length=100, unique=True)
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    recipients = models.TextField(_("收件人"), blank=True)
    created = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办公室提醒")
        verbose_name_plural = _("办公室提醒")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.subject
