"""Regulations (制度) and their clauses, so every rule, reminder and page can cite "000 四（四）"."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Regulation(models.Model):
    class Level(models.TextChoices):
        UNIVERSITY = "university", _("学校")
        COLLEGE = "college", _("二级学院")

    code = models.CharField(_("编号"), max_length=40, unique=True, help_text=_("本系统内的简称，如 000、001"))
    title = models.CharField(_("标题"), max_length=200)
    issuing_body = models.CharField(_("发文机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices, default=Level.UNIVERSITY)
    family = models.CharField(_("业务类别"), max_length=20, blank=True)
    preamble = models.TextField(_("序言"), blank=True)

    class Meta:
        verbose_name = _("制度")
        verbose_name_plural = _("制度")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"《{self.title}》"


class Clause(models.Model):
    regulation = models.ForeignKey(
        Regulation, verbose_name=_("制度"), on_delete=models.CASCADE, related_name="clauses"
    )
    number = models.CharField(_("条款号"), max_length=40, help_text=_("如：四（四）、第五条3"))
    heading = models.CharField(_("标题"), max_length=200, blank=True)
    text = models.TextField(_("条文"), blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("条款")
        verbose_name_plural = _("条款")
        ordering = ["regulation", "order"]
        constraints = [models.UniqueConstraint(fields=["regulation", "number"], name="clause_number_unique")]

    def __str__(self) -> str:
        return self.citation

    @property
    def reference(self) -> str:
        """Short reference used across the site: "000 四（四）"."""
        return f"{self.regulation.code} {self.number}"

    @property
    def citation(self) -> str:
        """Full citation for emails and pages: "《…暂行办法》四（四）"."""
        return f"《{self.regulation.title}》{self.number}"
