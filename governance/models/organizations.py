"""The organization tree: university → secondary units (colleges, departments) → Party branches."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Organization(models.Model):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("学校")
        COLLEGE = "college", _("学院")
        DEPARTMENT = "department", _("职能部门")
        BRANCH = "branch", _("党支部")

    # Which kinds may sit under which: a university has no parent, a branch never has children.
    ALLOWED_PARENTS: dict[str, tuple[str, ...]] = {
        Kind.UNIVERSITY: (),
        Kind.COLLEGE: (Kind.UNIVERSITY,),
        Kind.DEPARTMENT: (Kind.UNIVERSITY,),
        Kind.BRANCH: (Kind.UNIVERSITY, Kind.COLLEGE, Kind.DEPARTMENT),
    }

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.SlugField(
        _("代码"), max_length=40, unique=True, help_text=_("英文字母、数字或连字符，如 wushu")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        allowed = self.ALLOWED_PARENTS.get(self.kind, ())
        if not allowed and self.parent_id:
            raise ValidationError({"parent": _("学校是组织树的根，不能有上级组织。")})
        if allowed and not self.parent_id:
            raise ValidationError({"parent": _("请为该组织选择上级组织。")})
        if self.parent_id and self.parent.kind not in allowed:
            raise ValidationError(
                {
                    "parent": _("“%(kind)s”不能隶属于“%(parent_kind)s”。")
                    % {"kind": self.get_kind_display(), "parent_kind": self.parent.get_kind_display()}
                }
            )
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级组织不能是它自己或它的下级。")})
            node = node.parent

    def ancestors(self) -> list[Organization]:
        """Parents from the nearest up to the root."""
        chain: list[Organization] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def university(self) -> Organization:
        chain = [self, *self.ancestors()]
        return chain[-1]


class LeadershipTeam(models.Model):
    """An organization's leadership team (领导班子). Each organization may have its own."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("所属组织"), on_delete=models.CASCADE, related_name="team"
    )
    name = models.CharField(_("班子名称"), max_length=100, help_text=_("如：学院党政领导班子"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("领导班子")
        verbose_name_plural = _("领导班子")
        ordering = ["organization__order", "organization__code"]

    def __str__(self) -> str:
        return self.name
