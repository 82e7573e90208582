"""Writes on disclosure items: proposing and editing (二（一）至（二）, 三（二）至（三）) and every step of the workflow
(三（一）: 审批程序、执行程序、意见的反馈程序; 四（四）资料归档).

Each step checks who may take it and from which state (the model's django-fsm-2 transitions), saves the item under
the concurrent-transition guard, records an `ItemEvent` (who, when, why) and the audit history (with the same
reason), and sends its emails after the commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_fsm import ConcurrentTransition, can_proceed

from disclosure.models import (
    EDITABLE_STATES,
    MATERIAL_FIELDS,
    DisclosureItem,
    ItemAction,
    ItemAttachment,
    ItemEvent,
    ItemState,
    Nature,
)
from disclosure.permissions import committee_members, person_of
from disclosure.sanitize import plain_text, sanitize_html
from governance.errors import DomainError, clean_or_refuse
from governance.roles import OFFICE, is_office
from governance.services.reminders import site_link

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
MAX_ATTACHMENTS = 10
NOT_CLEANED = ["state"]  # a protected FSM field refuses the assignment full_clean would make


def actor_name(user: Any) -> str:
    person = person_of(user)
    if person is not None:
        return person.name
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def record_event(
    item: DisclosureItem, *, action: str, user: Any, before: str = "", note: str = ""
) -> ItemEvent:
    return ItemEvent.objects.create(
        item=item,
        action=action,
        from_state=before,
        to_state=item.state if before or action == ItemAction.PROPOSE else "",
        actor=user,
        actor_name=actor_name(user),
        note=note,
    )


def _save(item: DisclosureItem, *, user: Any, reason: str) -> None:
    """Save under the concurrent-transition guard, with who and why in the audit history."""
    item._history_user = user  # type: ignore[attr-defined]
    item._change_reason = reason[:100]  # type: ignore[attr-defined]
    try:
        item.save()
    except ConcurrentTransition as error:
        raise DomainError(_("该事项刚刚已被他人处理，请刷新页面查看最新状态后再操作。")) from error


def mail_after_commit(addresses: Iterable[str], subject: str, body: str) -> None:
    """One email to the addresses, sent after the commit (never for a rolled-back step)."""
    found = sorted({a for a in addresses if a})
    if not found:
        return
    transaction.on_commit(
        partial(
            send_mail, f"{settings.EMAIL_SUBJECT_PREFIX}{subject}", body, None, found, fail_silently=True
        ),
        robust=True,
    )


def _office_addresses() -> list[str]:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(groups__name=OFFICE, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _item_lines(item: DisclosureItem) -> str:
    return "\n".join(
        [
            f"{_('公开事项')}：{item.title}",
            f"{_('公开内容类别')}：{item.get_category_display()}",
            f"{_('公开范围')}：{item.get_scope_display()}",
            f"{_('链接')}：{site_link(item.get_absolute_url())}",
        ]
    )


def _check_files(files: Sequence[UploadedFile], existing: int = 0) -> None:
    if existing + len(files) > MAX_ATTACHMENTS:
        raise DomainError({"files": _("每个事项最多 %(count)d 个附件。") % {"count": MAX_ATTACHMENTS}})
    for upload in files:
        if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
            raise DomainError({"files": _("附件“%(name)s”超过 50 MB。") % {"name": upload.name}})


def _attach(item: DisclosureItem, files: Sequence[UploadedFile], user: Any) -> None:
    for upload in files:
        attachment = ItemAttachment(item=item, file=upload, name=upload.name or "", uploaded_by=user)
        clean_or_refuse(attachment)
        attachment.save()


def _refuse_unless_office(user: Any) -> None:
    if not is_office(user):
        raise DomainError(_("公开事项由党务公开工作办公室（党委办公室）提出和办理（三（一）1）。"))


def _assign(item: DisclosureItem, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name == "content":
            value = sanitize_html(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(item, name, value)
    if not item.content:
        raise DomainError({"content": _("请填写公开内容（清除不安全的标记后为空）。")})
    # 三（三）: 阶段性工作完成后立即公开 — a phase of work is registered with the day to follow it up.
    if item.nature != Nature.PHASE:
        item.follow_up_on = None
    elif item.follow_up_on is None:
        raise DomainError(
            {"follow_up_on": _("阶段性工作须填写跟进日期（三（三）：阶段性工作完成后立即公开）。")}
        )


ITEM_FIELDS = (
    "title",
    "content",
    "category",
    "topic",
    "nature",
    "scope",
    "form",
    "publish_from",
    "publish_until",
    "follow_up_on",
)


@transaction.atomic
def item_propose(*, user: Any, files: Sequence[UploadedFile] = (), **fields: Any) -> DisclosureItem:
    """三（一）1: 由党务公开工作办公室提出公开事项. The content is sanitized on save (nh3, disclosure.sanitize)."""
    _refuse_unless_office(user)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    item = DisclosureItem(recorded_by=user)
    _assign(item, fields)
    clean_or_refuse(item, exclude=NOT_CLEANED)
    _check_files(files)
    _save(item, user=user, reason=_("提出公开事项"))
    _attach(item, files, user)
    record_event(item, action=ItemAction.PROPOSE, user=user)
    return item


def _locked(item: DisclosureItem) -> DisclosureItem:
    """The item as stored now (another user may have moved it since the page was shown)."""
    return DisclosureItem.objects.get(pk=item.pk)


@transaction.atomic
def item_update(
    *, item: DisclosureItem, user: Any, files: Sequence[UploadedFile] = (), note: str = "", **fields: Any
) -> DisclosureItem:
    """The office corrects an item before it is published. A material change (what, to whom, when:
    MATERIAL_FIELDS, or a new attachment) to an approved item sends it back for approval (三（一）1)."""
    _refuse_unless_office(user)
    item = _locked(item)
    if item.state not in EDITABLE_STATES:
        raise DomainError(_("“%(state)s”的事项不能修改。") % {"state": item.get_state_display()})
    before_values = {name: getattr(item, name) for name in MATERIAL_FIELDS}
    _assign(item, fields)
    clean_or_refuse(item, exclude=NOT_CLEANED)
    _check_files(files, existing=item.attachments.count())
    material = bool(files) or any(getattr(item, n) != v for n, v in before_values.items())
    if item.state == ItemState.APPROVED and material:
        before = item.state
        item.resubmit()
        item.approved_by = None
        item.approved_at = None
        _save(item, user=user, reason=_("修改后重新报批"))
        _attach(item, files, user)
        record_event(item, action=ItemAction.RESUBMIT, user=user, before=before, note=plain_text(note)[:2000])
        _mail_approvers(item, _("公开事项修改后重新报批：%(title)s"))
        return item
    _save(item, user=user, reason=_("修改"))
    _attach(item, files, user)
    record_event(item, action=ItemAction.EDIT, user=user, note=plain_text(note)[:2000])
    return item


def _step(
    item: DisclosureItem, transition: Callable[[], None], *, user: Any, action: str, refused: str
) -> str:
    """Run one transition for `user`: refused with a Chinese message when the state does not allow it or the user
    may not take it. Returns the state before."""
    label = ItemAction(action).label
    if not can_proceed(transition, check_conditions=False):
        raise DomainError(
            _("“%(state)s”的事项不能%(action)s。") % {"state": item.get_state_display(), "action": label}
        )
    if not transition._django_fsm.has_transition_perm(item, item.state, user):  # type: ignore[attr-defined]
        raise DomainError(refused)
    if not can_proceed(transition):
        raise DomainError(
            _("“%(state)s”的事项现在还不能%(action)s。")
            % {"state": item.get_state_display(), "action": label}
        )
    before = str(item.state)
    transition()
    return before


def _mail_approvers(item: DisclosureItem, subject: str) -> None:
    with override(settings.LANGUAGE_CODE):
        mail_after_commit(
            [p.contact_email for p in committee_members().select_related("user")],
            subject % {"title": item.title},
            _("党务公开工作办公室提出以下公开事项，请审批（三（一）1：报校党委批准）：")
            + "\n\n"
            + _item_lines(item),
        )


@transaction.atomic
def item_submit(*, item: DisclosureItem, user: Any, note: str = "") -> DisclosureItem:
    """三（一）1: 报校党委批准. The committee members are emailed."""
    item = _locked(item)
    before = _step(
        item,
        item.submit,
        user=user,
        action=ItemAction.SUBMIT,
        refused=_("公开事项由党务公开工作办公室（党委办公室）报批（三（一）1）。"),
    )
    _save(item, user=user, reason=_("报校党委审批"))
    record_event(item, action=ItemAction.SUBMIT, user=user, before=before, note=plain_text(note)[:2000])
    _mail_approvers(item, _("请审批党务公开事项：%(title)s"))
    return item


def _mail_office(item: DisclosureItem, subject: str, body: str) -> None:
    with override(settings.LANGUAGE_CODE):
        mail_after_commit(_office_addresses(), subject, body + "\n\n" + _item_lines(item))


@transaction.atomic
def item_approve(*, item: DisclosureItem, user: Any, note: str = "") -> DisclosureItem:
    """三（一）1: 报校党委批准 — a committee member approves; who, when and the notes are recorded."""
    item = _locked(item)
    before = _step(
        item,
        item.approve,
        user=user,
        action=ItemAction.APPROVE,
        refused=_("公开事项由校党委成员批准（三（一）1）。"),
    )
    item.approved_by = person_of(user)
    item.approved_at = timezone.now()
    _save(item, user=user, reason=_("批准公开"))
    note = plain_text(note)[:2000]
    record_event(item, action=ItemAction.APPROVE, user=user, before=before, note=note)
    _mail_office(
        item,
        _("党务公开事项已批准：%(title)s") % {"title": item.title},
        _("%(name)s已批准公开，可以按时限公开（三（一）2）。") % {"name": actor_name(user)}
        + (f"\n{_('审批意见')}：{note}" if note else ""),
    )
    return item


@transaction.atomic
def item_return(*, item: DisclosureItem, user: Any, reason: str) -> DisclosureItem:
    """Not approved: back to the office with the reasons, to be corrected and submitted again."""
    reason = plain_text(reason)[:2000]
    if not reason:
        raise DomainError({"reason": _("请写明退回的理由。")})
    item = _locked(item)
    before = _step(
        item,
        item.send_back,
        user=user,
        action=ItemAction.RETURN,
        refused=_("公开事项由校党委成员审批（三（一）1）。"),
    )
    _save(item, user=user, reason=_("退回"))
    record_event(item, action=ItemAction.RETURN, user=user, before=before, note=reason)
    _mail_office(
        item,
        _("党务公开事项被退回：%(title)s") % {"title": item.title},
        _("%(name)s退回了该事项，理由：%(reason)s") % {"name": actor_name(user), "reason": reason},
    )
    return item


@transaction.atomic
def item_publish(*, item: DisclosureItem, user: Any, note: str = "") -> DisclosureItem:
    """三（一）2: 按照规定的时限在一定范围内采取适当形式进行公开. Shown to its scope from `publish_from`."""
    item = _locked(item)
    before = _step(
        item,
        item.publish,
        user=user,
        action=ItemAction.PUBLISH,
        refused=_("公开由党务公开工作办公室执行（三（一）2）。"),
    )
    item.published_at = timezone.now()
    _save(item, user=user, reason=_("公开"))
    record_event(item, action=ItemAction.PUBLISH, user=user, before=before, note=plain_text(note)[:2000])
    from .revisions import supersede_previous

    supersede_previous(item, user=user)  # 三（一）4 再公开: the version it replaces goes to the archive
    return item


@transaction.atomic
def item_close_feedback(*, item: DisclosureItem, user: Any, summary: str) -> DisclosureItem:
    """三（一）4: 在充分听取群众意见后，将处理和落实情况予以公开. Every opinion must have its answer first."""
    summary = plain_text(summary)[:5000]
    if not summary:
        raise DomainError({"summary": _("请写明意见的处理和落实情况（三（一）4）。")})
    item = _locked(item)
    if item.state == ItemState.PUBLISHED and item.feedback.filter(responded_at__isnull=True).exists():
        raise DomainError(_("还有未答复的意见，答复后才能公开处理和落实情况（三（一）4）。"))
    before = _step(
        item,
        item.close_feedback,
        user=user,
        action=ItemAction.CLOSE_FEEDBACK,
        refused=_("意见由党务公开工作办公室收集、反馈（三（一）3）。"),
    )
    item.handling_summary = summary
    item.responded_at = timezone.now()
    _save(item, user=user, reason=_("公开处理和落实情况"))
    record_event(item, action=ItemAction.CLOSE_FEEDBACK, user=user, before=before, note=summary)
    return item


@transaction.atomic
def item_archive(*, item: DisclosureItem, user: Any, note: str = "") -> DisclosureItem:
    """四（四）: 对历次公开的内容和相关材料，由党务公开工作办公室负责收集整理，分类归档保存."""
    item = _locked(item)
    before = _step(
        item,
        item.archive,
        user=user,
        action=ItemAction.ARCHIVE,
        refused=_("归档由党务公开工作办公室进行（四（四））。"),
    )
    item.archived_at = timezone.now()
    _save(item, user=user, reason=_("归档"))
    record_event(item, action=ItemAction.ARCHIVE, user=user, before=before, note=plain_text(note)[:2000])
    return item
