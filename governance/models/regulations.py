"""Regulations (制度) and their clauses, so every rule, reminder and page can cite "000 四（四）".

Two kinds of regulation live here. The shipped ones (governance/policies/regulations/*.yaml) are other institutions'
real regulations, on which the policy packs were modelled. When an organization adopts a pack, the office names its
own regulation — its title, document number (文号) and date — and the rules cite that one; the shipped regulation it
was modelled on stays as its reference (参照), shown beside the citation. An own regulation carries a copy of its
reference's clauses (the pack's rules cite clause numbers), which the office may edit in the admin.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
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
    organization = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("制定单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulations",
        help_text=_("本单位自己的制度：采用规则包时由党委办公室写明标题、文号和日期"),
    )
    reference = models.ForeignKey(
        "self",
        verbose_name=_("参照"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
        help_text=_("本制度参照的制度：规则包据以编写的其他单位的制度"),
    )

    class Meta:
        verbose_name = _("制度")
        verbose_name_plural = _("制度")
        ordering = ["code"]
        constraints = [
            # An organization names one regulation of its own per reference (adopting again renames it).
            models.UniqueConstraint(
                fields=["organization", "reference"],
                condition=models.Q(reference__isnull=False),
                name="regulation_adopted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"《{self.title}》"

    def clean(self) -> None:
        if self.reference_id is not None:
            if self.organization_id is None:
                raise ValidationError({"organization": _("参照其他制度的本单位制度须写明制定单位。")})
            if self.reference_id == self.pk or self.reference.reference_id is not None:
                raise ValidationError(
                    {"reference": _("只能参照随系统提供的制度，不能参照另一份本单位制度。")}
                )

    @property
    def short_code(self) -> str:
        """The code clause references start with ("001 三（一）"): an own regulation is cited by its reference's code,
        the policy pack's number (read `reference` with select_related where many are cited)."""
        return self.reference.code if self.reference_id is not None and self.reference else self.code

    @property
    def cited_as(self) -> str:
        """Title with its issuing body when the title does not name it: "武术与表演学院党委《关于……暂行办法》"."""
        body = self.issuing_body
        if body and body not in self.title:
            return f"{body}《{self.title}》"
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
        return f"{self.regulation.short_code} {self.number}"

    @property
    def citation(self) -> str:
        """Full citation for emails and pages: "《…暂行办法》四（四）" (an adopted pack: the organization's own title)."""
        return f"《{self.regulation.title}》{self.number}"

    @property
    def source_citation(self) -> str:
        """The clause of the regulation this one's was modelled on, shown as 参照："《…》三（一）"; "" for a shipped
        regulation's own clause."""
        reference = self.regulation.reference if self.regulation.reference_id is not None else None
        return f"{reference.cited_as}{self.number}" if reference is not None else ""
