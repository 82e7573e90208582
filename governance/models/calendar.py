"""The academic calendar (academic years, semesters) and the office's own holiday table."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AcademicYearQuerySet(models.QuerySet["AcademicYear"]):
    def containing(self, day: dt.date) -> AcademicYearQuerySet:
        return self.filter(start__lte=day, end__gte=day)


class AcademicYear(models.Model):
    name = models.CharField(_("名称"), max_length=40, unique=True, help_text=_("如：2026—2027学年"))
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))

    objects = AcademicYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("学年")
        verbose_name_plural = _("学年")
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name as the office entered it; a name of the usual form ("2026—2027学年") in the reader's language
        ("2026–2027 academic year" in English)."""
        if self.start and self.end and self.name == f"{self.start.year}—{self.end.year}学年":
            return gettext("%(first)s—%(last)s学年") % {"first": self.start.year, "last": self.end.year}
        return self.name

    def clean(self) -> None:
        if self.start and self.end:
            if self.end <= self.start:
                raise ValidationError({"end": _("学年结束日期必须晚于开始日期。")})
            clash = (
                AcademicYear.objects.exclude(pk=self.pk)
                .filter(start__lte=self.end, end__gte=self.start)
                .first()
            )
            if clash:
                raise ValidationError(_("该学年与“%(other)s”的日期重叠。") % {"other": clash.name})


class SemesterQuerySet(models.QuerySet["Semester"]):
    def containing(self, day: dt.date) -> SemesterQuerySet:
        return self.filter(start__lte=day, end__gte=day)


class Semester(models.Model):
    class Term(models.TextChoices):
        FIRST = "first", _("第一学期（秋季）")
        SECOND = "second", _("第二学期（春季）")
        SUMMER = "summer", _("小学期（夏季）")

    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("学年"), on_delete=models.CASCADE, related_name="semesters"
    )
    term = models.CharField(_("学期"), max_length=10, choices=Term.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))

    objects = SemesterQuerySet.as_manager()

    class Meta:
        verbose_name = _("学期")
        verbose_name_plural = _("学期")
        ordering = ["-start"]
        constraints = [models.UniqueConstraint(fields=["academic_year", "term"], name="one_term_per_year")]

    def __str__(self) -> str:
        # "2026—2027学年第一学期（秋季）"; in English "First semester (autumn), 2026–2027 academic year".
        return gettext("%(academic_year)s%(term)s") % {
            "academic_year": self.academic_year.label,
            "term": self.get_term_display(),
        }

    @property
    def name(self) -> str:
        return str(self)

    def clean(self) -> None:
        if not (self.start and self.end):
            return
        if self.end <= self.start:
            raise ValidationError({"end": _("学期结束日期必须晚于开始日期。")})
        if self.academic_year_id:
            year = self.academic_year
            if self.start < year.start or self.end > year.end:
                raise ValidationError(
                    _("学期必须在所属学年（%(start)s 至 %(end)s）之内。")
                    % {"start": year.start, "end": year.end}
                )
        clash = Semester.objects.exclude(pk=self.pk).filter(start__lte=self.end, end__gte=self.start).first()
        if clash:
            raise ValidationError(
                _("该学期与“%(other)s”（%(start)s 至 %(end)s）的日期重叠。")
                % {"other": clash, "start": clash.start, "end": clash.end}
            )


class HolidayYear(models.Model):
    """A calendar year whose statutory holidays the office entered (from the State Council's notice).

    Entered years take precedence over the chinesecalendar package, which only knows years up to its release.
    """

    year = models.PositiveIntegerField(_("年份"), unique=True)
    notice = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度（办公室录入）")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)s年节假日安排") % {"year": self.year}

    def clean(self) -> None:
        if self.year is not None and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("请填写四位年份，如 2027。")})


class HolidayDate(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    year = models.ForeignKey(
        HolidayYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="dates"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=30, blank=True, help_text=_("如：春节、国庆节"))

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "workday"]), name="holiday_date_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        if self.date and self.year_id and self.date.year != self.year.year:
            raise ValidationError({"date": _("日期必须在 %(year)s 年内。") % {"year": self.year.year}})
