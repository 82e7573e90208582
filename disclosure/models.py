"""党务公开 (seed 003, 《校党委党务公开工作制度》): disclosure items, their workflow, attachments and the feedback of
the people they were disclosed to.

An item's state changes only through its transitions (django-fsm-2, protected field), called by
disclosure.services, which record each step as an `ItemEvent` (who, when, why) and in the audit history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from disclosure.sanitize import sanitize_html
from governance.models.base import PrivateAttachment, RecordedModel
from governance.storage import PrivateUploadTo, private_storage
from governance.validators import MaxCharsValidator


class Category(models.TextChoices):
    """二（一）: 党务公开的内容，具体可分为五个方面."""

    OPERATION = "operation", _("党务运行基本情况")  # 二（一）1
    IDEOLOGY = "ideology", _("思想政治建设情况")  # 二（一）2
    ORGANIZATION = "organization", _("基层组织建设情况")  # 二（一）3
    CADRES = "cadres", _("干部选拔任用情况")  # 二（一）4
    INTEGRITY = "integrity", _("党风廉政建设")  # 二（一）5


# 二（一）1—5: the sub-items each category lists, offered as suggested topics (the list ends in 等: others are fine).
SUGGESTED_TOPICS: dict[str, tuple[str, ...]] = {
    Category.OPERATION: (
        "校领导工作职责",
        "校领导工作分工情况",
        "校领导接待日",
        "领导班子民主生活会召开情况",
        "年度党委工作计划",
        "学校强化校风校纪建设和加强学生管理的意见措施",
        "党务公开领导小组组成情况",
    ),
    Category.IDEOLOGY: (
        "对党的路线、方针、政策和上级党组织的决议、决定及工作部署的贯彻落实情况",
        "党委中心组学习情况",
        "党员教育工作计划及落实情况",
        "各项专题教育活动开展情况",
    ),
    Category.ORGANIZATION: (
        "基层党组织的设置",
        "党员队伍基本情况",
        "党总支组成及委员分工情况",
        "党组织换届选举工作规定及换届选举情况",
        "基层党组织发展党员的规定程序及年度发展党员情况",
        "先进党组织的评选表彰情况",
        "组织年度民主评议党员情况",
        "党费收缴管理情况",
    ),
    Category.CADRES: (
        "校党委讨论干部任免的有关规定",
        "校内选拔任用干部实施方案",
        "校内干部任职前公示及干部任免事项",
        "在职处级干部年度考核办法及优秀等次人员名单",
    ),
    Category.INTEGRITY: (
        "党风廉政建设的目标和责任分工、廉政教育计划及其执行情况",
        "校党政领导党风廉政建设责任制落实及廉洁自律执行情况",
        "校领导收入情况及报告内容情况",
        "学校财务年度收支预算、决算及制度规定与执行情况",
        "纠正行业不正之风和案件查处情况",
    ),
}


class Nature(models.TextChoices):
    """三（三）: 常规性工作每季度公开；阶段性工作完成后立即公开；临时性工作随时公开."""

    ROUTINE = "routine", _("常规性工作")
    PHASE = "phase", _("阶段性工作")
    TEMPORARY = "temporary", _("临时性工作")


class Scope(models.TextChoices):
    """三（二）: 党务公开的范围原则上确定为四个层次, from the narrowest to the widest."""

    LEADERS = "leaders", _("党政领导干部")
    MEMBERS = "members", _("全体党员")
    STAFF = "staff", _("全体教职工")
    PUBLIC = "public", _("社会")


SCOPE_ORDER = (Scope.LEADERS, Scope.MEMBERS, Scope.STAFF, Scope.PUBLIC)


def wider_scopes(scope: str) -> tuple[str, ...]:
    """The scopes wider than `scope` (三: 先党内、后党外)."""
    return SCOPE_ORDER[SCOPE_ORDER.index(scope) + 1 :] if scope in SCOPE_ORDER else ()


class Form(models.TextChoices):
    """二（二）: 党内——党内有关会议、下发通知、定期通报; 党外——公开栏、橱窗、会议通报、校园网."""

    MEETING = "meeting", _("党内会议")
    NOTICE = "notice", _("通知")
    BULLETIN = "bulletin", _("通报")
    BOARD = "board", _("公开栏/橱窗")
    WEBSITE = "website", _("校园网")


class ItemState(models.TextChoices):
    """三（一）: 审批程序 → 执行程序 → 意见的反馈程序 → (再公开程序); 四（四）资料归档."""

    PROPOSED = "proposed", _("拟公开")
    PENDING = "pending", _("待审批")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已批准")
    PUBLISHED = "published", _("已公开")
    RESPONDED = "responded", _("已反馈处理")
    ARCHIVED = "archived", _("已归档")


# The states in which the office may ask to widen the scope (the item is out, within its first scope).
WIDENING_STATES = (ItemState.PUBLISHED, ItemState.RESPONDED)
# What the people in scope may see (within the publication window); every other state is the office's only.
SHOWN_STATES = (ItemState.PUBLISHED, ItemState.RESPONDED)
# The office edits an item before it is published; an approved item edited in substance goes back for approval.
EDITABLE_STATES = (ItemState.PROPOSED, ItemState.RETURNED, ItemState.APPROVED)
# The fields whose change needs the committee's approval again (三（一）1: 报校党委批准 what is disclosed, to whom, when).
MATERIAL_FIELDS = ("title", "content", "category", "scope", "publish_from", "publish_until")


# Permissions the transitions check (django-fsm-2 calls them with the item and the user).
def _office(item: DisclosureItem, user: Any) -> bool:
    from governance.roles import is_office

    return is_office(user)


def _committee_member(item: DisclosureItem, user: Any) -> bool:
    from disclosure.permissions import is_committee_member

    return is_committee_member(user)


def _no_unanswered_feedback(item: DisclosureItem) -> bool:
    """三（一）4: 在充分听取群众意见后 — every opinion answered before the handling is closed."""
    return not item.feedback.filter(responded_at__isnull=True).exists()


class DisclosureItem(ConcurrentTransitionMixin, RecordedModel):
    """A matter the disclosure office (党务公开工作办公室, 四（一）) proposes to disclose."""

    title = models.CharField(_("公开事项"), max_length=200, validators=[MaxCharsValidator(200)])
    content = models.TextField(
        _("公开内容"),
        validators=[MaxCharsValidator(50000)],
        help_text=_("可用段落、加粗、列表、链接等简单格式；保存时清除脚本和不安全的标记"),
    )
    category = models.CharField(_("公开内容类别"), max_length=20, choices=Category.choices)
    topic = models.CharField(
        _("具体事项"),
        max_length=100,
        blank=True,
        validators=[MaxCharsValidator(100)],
        help_text=_("二（一）所列的具体事项，或其他师生员工普遍关注的事项"),
    )
    nature = models.CharField(_("工作性质"), max_length=20, choices=Nature.choices, default=Nature.TEMPORARY)
    scope = models.CharField(_("公开范围"), max_length=20, choices=Scope.choices)
    form = models.CharField(_("公开形式"), max_length=20, choices=Form.choices, default=Form.WEBSITE)
    publish_from = models.DateField(_("公开开始日期"))
    publish_until = models.DateField(_("公开截止日期"), null=True, blank=True, help_text=_("长期公开则留空"))
    # 三（三）: 阶段性工作完成后立即公开 — registered with a phase of work: the day it should be done; if it passes with
    # the item not yet published, the office is reminded once (disclosure/timing.py).
    follow_up_on = models.DateField(
        _("跟进日期"),
        null=True,
        blank=True,
        help_text=_(
            "阶段性工作预计完成的日期：过了这一天仍未公开，每日提醒邮件提醒党委办公室一次（三（三））"
        ),
    )
    state = FSMField(
        _("状态"), default=ItemState.PROPOSED, choices=ItemState.choices, protected=True, max_length=20
    )
    approved_by = models.ForeignKey(
        "governance.Person",
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    handling_summary = models.TextField(
        _("意见处理和落实情况"),
        blank=True,
        validators=[MaxCharsValidator(5000)],
        help_text=_("三（一）4：将处理和落实情况予以公开"),
    )
    responded_at = models.DateTimeField(_("反馈处理时间"), null=True, blank=True)
    # 三: 先党内、后党外 — widening a published item's scope is asked for by the office and approved by the committee.
    widen_to = models.CharField(_("申请扩大到的范围"), max_length=20, choices=Scope.choices, blank=True)
    widen_reason = models.TextField(_("扩大范围的理由"), blank=True, validators=[MaxCharsValidator(2000)])
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    # 三（一）4 再公开程序: a revised item is a new version linked to the one it replaces; both are kept (四（四）).
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上一版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("党务公开事项")
        verbose_name_plural = _("党务公开事项")
        ordering = ["-publish_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_until__isnull=True) | Q(publish_until__gte=models.F("publish_from")),
                name="disclosure_until_not_before_from",
                violation_error_message=_("公开截止日期不能早于开始日期。"),
            )
        ]
        indexes = [
            models.Index(fields=["state", "scope", "publish_from"], name="disclosure_state_scope_from"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosure:item_detail", args=[self.pk])

    @property
    def content_html(self) -> SafeString:
        """Sanitized on save (services) and again here, on render: nothing unsafe reaches a page."""
        return mark_safe(sanitize_html(self.content))  # noqa: S308 # nosec B308 B703 # nh3 with an allow-list

    # --- transitions (三（一）). The services check, save and record; these only move the state. ----------------

    @transition(
        field=state,
        source=[ItemState.PROPOSED, ItemState.RETURNED],
        target=ItemState.PENDING,
        permission=_office,
    )
    def submit(self) -> None:
        """三（一）1: 由党务公开工作办公室提出公开事项，报校党委批准."""

    @transition(field=state, source=ItemState.APPROVED, target=ItemState.PENDING, permission=_office)
    def resubmit(self) -> None:
        """An approved item edited in substance goes back for approval."""

    @transition(
        field=state, source=ItemState.PENDING, target=ItemState.APPROVED, permission=_committee_member
    )
    def approve(self) -> None:
        """三（一）1: 报校党委批准."""

    @transition(
        field=state, source=ItemState.PENDING, target=ItemState.RETURNED, permission=_committee_member
    )
    def send_back(self) -> None:
        """三（一）1: not approved — returned to the office with the reasons."""

    @transition(field=state, source=ItemState.APPROVED, target=ItemState.PUBLISHED, permission=_office)
    def publish(self) -> None:
        """三（一）2: 将已批准的公开事项和内容，按照规定的时限在一定范围内采取适当形式进行公开."""

    @transition(
        field=state,
        source=ItemState.PUBLISHED,
        target=ItemState.RESPONDED,
        permission=_office,
        conditions=[_no_unanswered_feedback],
    )
    def close_feedback(self) -> None:
        """三（一）3—4: 意见反馈后，将处理和落实情况予以公开."""

    @transition(field=state, source=ItemState.RESPONDED, target=ItemState.ARCHIVED, permission=_office)
    def archive(self) -> None:
        """四（四）: 对历次公开的内容和相关材料……分类归档保存."""

    @transition(field=state, source=SHOWN_STATES, target=ItemState.ARCHIVED, permission=_office)
    def supersede(self) -> None:
        """三（一）4: 调整后的内容……进行再公开 — once the new version is published, this one goes to the archive."""


class ItemAction(models.TextChoices):
    PROPOSE = "propose", _("提出公开事项")
    EDIT = "edit", _("修改")
    SUBMIT = "submit", _("报校党委审批")
    RESUBMIT = "resubmit", _("修改后重新报批")
    APPROVE = "approve", _("批准公开")
    RETURN = "return", _("退回")
    PUBLISH = "publish", _("公开")
    WIDEN_REQUEST = "widen_request", _("申请扩大公开范围")
    WIDEN_APPROVE = "widen_approve", _("批准扩大公开范围")
    WIDEN_REFUSE = "widen_refuse", _("不同意扩大公开范围")
    RESPOND = "respond", _("答复意见")
    CLOSE_FEEDBACK = "close_feedback", _("公开处理和落实情况")
    ARCHIVE = "archive", _("归档")
    REVISE = "revise", _("再公开（修订）")
    SUPERSEDE = "supersede", _("由新版本替代")
    ASSIGN = "assign", _("意见分派给部门")
    DEPARTMENT_RESPONSE = "department_response", _("登记部门研究落实情况")
    ESCALATE = "escalate", _("意见上报校党委")


class ItemEvent(models.Model):
    """One step of an item: who, when, what and why. Written by the services only, never changed."""

    item = models.ForeignKey(
        DisclosureItem, verbose_name=_("公开事项"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=ItemAction.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=ItemState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ItemState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("公开事项办理记录")
        verbose_name_plural = _("公开事项办理记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["item", "at"], name="disclosure_event_item_at")]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_action_display()}"


class ItemAttachment(PrivateAttachment):
    item = models.ForeignKey(
        DisclosureItem, verbose_name=_("公开事项"), on_delete=models.CASCADE, related_name="attachments"
    )
    download_url_name = "disclosure:attachment_download"

    file = models.FileField(
        _("文件"), storage=private_storage, upload_to=PrivateUploadTo("disclosure"), max_length=255
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公开事项附件")
        verbose_name_plural = _("公开事项附件")
        ordering = ["uploaded_at", "pk"]


class Feedback(RecordedModel):
    """An opinion a viewer in scope left on a published item (三（一）3, 四（三）), and the office's answer.
    `anonymous` hides the author from other viewers, never from the office.

    On a 社会 item anyone may write without logging in (三（一）3: 通过各种渠道反映的意见): such an opinion has no
    `author` account but a name and a `contact` (phone or email) so the office can answer; it is always anonymous
    to other viewers, never to the office.

    `scope` keeps the item's scope at the moment the opinion was given: an opinion given within the Party stays within
    the Party when the item is later widened to 社会 (三: 先党内、后党外)."""

    item = models.ForeignKey(
        DisclosureItem, verbose_name=_("公开事项"), on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("社会公众未登录提出的意见没有账号"),
    )
    author_name = models.CharField(_("提出人姓名"), max_length=100)
    contact = models.CharField(
        _("联系方式"),
        max_length=254,
        blank=True,
        validators=[MaxCharsValidator(254)],
        help_text=_("社会公众留下的电话或电子邮箱，只有党务公开工作办公室看到"),
    )
    text = models.TextField(_("意见建议"), validators=[MaxCharsValidator(2000)])
    anonymous = models.BooleanField(_("对其他查看人匿名"), default=False)
    # 三: 先党内、后党外 — the scope the item had when the opinion was given. Widening the item later does not widen
    # the opinion: it is shown only to the people of this scope (disclosure.permissions.feedback_visible_q).
    scope = models.CharField(
        _("提出时的公开范围"),
        max_length=20,
        choices=Scope.choices,
        help_text=_("意见只向这一范围内的人员显示；事项之后扩大公开范围，意见的范围不随之扩大（三）"),
    )
    response = models.TextField(_("答复"), blank=True, validators=[MaxCharsValidator(2000)])
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # 三（一）3: 及时反馈给相关部门进行研究落实，并说明情况 — the office hands the opinion to a department with a note and
    # records what the department answered.
    department = models.ForeignKey(
        "governance.Organization",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignment_note = models.TextField(_("分派说明"), blank=True, validators=[MaxCharsValidator(1000)])
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    department_response = models.TextField(
        _("部门研究落实情况"), blank=True, validators=[MaxCharsValidator(2000)]
    )
    department_responded_at = models.DateTimeField(_("部门答复时间"), null=True, blank=True)
    # 四（三）: 涉及重要事项或重大问题的，要及时向上级汇报 — escalated to the committee, with who, when and why.
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("上报校党委时间"), null=True, blank=True)
    escalation_reason = models.TextField(_("上报理由"), blank=True, validators=[MaxCharsValidator(1000)])

    class Meta:
        verbose_name = _("意见反馈")
        verbose_name_plural = _("意见反馈")
        ordering = ["created_at", "pk"]
        constraints = [
            # Whoever writes is known to the office (三（一）3: 说明情况 to them): an account, or a name and a contact.
            models.CheckConstraint(
                condition=Q(author__isnull=False) | (~Q(author_name="") & ~Q(contact="")),
                name="disclosure_feedback_author_or_contact",
                violation_error_message=_("请留下姓名和联系方式。"),
            )
        ]
        indexes = [
            models.Index(fields=["item", "responded_at"], name="disclosure_feedback_open"),
            models.Index(fields=["author", "created_at"], name="disclosure_feedback_author"),
            models.Index(fields=["escalated_at"], name="disclosure_feedback_escalated"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.author_name}"

    @property
    def from_public(self) -> bool:
        """Left without logging in on a 社会 item (a name and a contact, no account)."""
        return self.author_id is None

    @property
    def contact_is_email(self) -> bool:
        return "@" in self.contact

    @property
    def reference(self) -> str:
        """The number given to the person who wrote, to quote when they ask the office about it (意见编号)."""
        year = timezone.localtime(self.created_at).year if self.created_at else timezone.localdate().year
        return f"GK{year}-{self.pk:06d}"

    def reply_addresses(self) -> list[str]:
        """Where the office's answers are emailed: the account's address, or the email the visitor left."""
        if self.author_id is not None:
            return [self.author.email] if self.author and self.author.email else []
        return [self.contact] if self.contact_is_email else []
