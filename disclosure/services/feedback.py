"""Viewers' opinions on a published item and the office's answers (三（一）3: 公开期间，由党务公开工作办公室负责收集、整理
通过各种渠道反映的意见、建议……并说明情况; 四（三）信息反馈制度)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from disclosure.models import DisclosureItem, Feedback, ItemAction, ItemState
from disclosure.permissions import accepts_public_feedback, can_view_item, committee_members
from disclosure.sanitize import plain_text
from governance.errors import DomainError, clean_or_refuse
from governance.models import Organization
from governance.roles import is_office
from governance.services.reminders import site_link

from .items import actor_name, mail_after_commit, record_event

# At most this many opinions per person in the window: enough for anyone with something to say, too few to flood.
FEEDBACK_LIMIT = 5
FEEDBACK_WINDOW = dt.timedelta(hours=1)
MAX_FEEDBACK_CHARS = 2000
MAX_NOTE_CHARS = 1000
# Opinions left without logging in (社会): at most this many per client address in the window, counted in the cache
# (no account to count them by; the address is kept there hashed, never in the database).
PUBLIC_FEEDBACK_LIMIT = 3
PUBLIC_FEEDBACK_WINDOW = dt.timedelta(hours=1)
MAX_NAME_CHARS = 50
MAX_CONTACT_CHARS = 100
# A phone number as people write it: digits with spaces, dashes, brackets, an optional + and an extension.
PHONE = re.compile(r"^\+?[0-9()\- ]{7,24}(?:(?:转|ext\.?|x)[0-9]{1,6})?$", re.IGNORECASE)


@transaction.atomic
def feedback_leave(*, item: DisclosureItem, user: Any, text: str, anonymous: bool = False) -> Feedback:
    """A viewer in scope leaves an opinion while the item is published (公开期间). Tags are removed on save."""
    if not getattr(user, "is_authenticated", False):
        raise DomainError(_("请先登录再提出意见。"))
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    if not can_view_item(user, item):
        raise DomainError(_("您不在该事项的公开范围内。"))
    if item.state != ItemState.PUBLISHED:
        raise DomainError(_("该事项的意见征集已经结束（三（一）3：公开期间收集意见）。"))
    cleaned = plain_text(text)
    if not cleaned:
        raise DomainError({"text": _("请填写意见或建议。")})
    if len(cleaned) > MAX_FEEDBACK_CHARS:
        raise DomainError({"text": _("意见最多 %(n)d 字。") % {"n": MAX_FEEDBACK_CHARS}})
    since = timezone.now() - FEEDBACK_WINDOW
    if Feedback.objects.filter(author=user, created_at__gte=since).count() >= FEEDBACK_LIMIT:
        raise DomainError(
            _("您在一小时内已提出 %(n)d 条意见，请稍后再提；急事请直接联系党委办公室。")
            % {"n": FEEDBACK_LIMIT}
        )
    feedback = Feedback(
        recorded_by=user,
        item=item,
        author=user,
        author_name=actor_name(user),
        text=cleaned,
        anonymous=bool(anonymous),
        scope=item.scope,  # 三: given within this scope, shown within it even if the item is widened later
    )
    clean_or_refuse(feedback)
    feedback.save()
    return feedback


def _public_rate_key(client_ip: str | None) -> str:
    digest = hashlib.sha256((client_ip or "unknown").encode()).hexdigest()[:32]
    return f"disclosure:public-feedback:{digest}"


def _public_contact(value: str) -> str:
    """A phone number or an email address, as typed (trimmed); anything else is refused."""
    contact = plain_text(value)
    if not contact:
        raise DomainError({"contact": _("请留下电话或电子邮箱，党务公开工作办公室据此答复您。")})
    if len(contact) > MAX_CONTACT_CHARS:
        raise DomainError({"contact": _("联系方式最多 %(n)d 个字符。") % {"n": MAX_CONTACT_CHARS}})
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            raise DomainError({"contact": _("电子邮箱的格式不对，请检查。")}) from None
        return contact
    if not PHONE.match(contact) or sum(c.isdigit() for c in contact) < 7:
        raise DomainError({"contact": _("请填写电话号码（如 13812345678 或 0571-88881234）或电子邮箱。")})
    return contact


@transaction.atomic
def feedback_leave_public(
    *, item: DisclosureItem, name: str, contact: str, text: str, client_ip: str | None
) -> Feedback:
    """三（一）3 公开期间……通过各种渠道反映的意见: anyone, without logging in, leaves an opinion on a 社会 item while it
    collects opinions, with a name and a phone or email so the office can answer (说明情况). The office always sees who
    wrote; other viewers never do. Tags are removed on save; at most PUBLIC_FEEDBACK_LIMIT an hour per client address."""
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    if not accepts_public_feedback(item):
        raise DomainError(_("该事项现在不接收社会公众的意见（三（一）3：公开期间收集意见）。"))
    cleaned = plain_text(text)
    errors: dict[str, str] = {}
    if not cleaned:
        errors["text"] = _("请填写意见或建议。")
    elif len(cleaned) > MAX_FEEDBACK_CHARS:
        errors["text"] = _("意见最多 %(n)d 字。") % {"n": MAX_FEEDBACK_CHARS}
    author_name = plain_text(name)
    if not author_name:
        errors["name"] = _("请留下您的姓名，党务公开工作办公室答复时称呼您（其他查看人看不到）。")
    elif len(author_name) > MAX_NAME_CHARS:
        errors["name"] = _("姓名最多 %(n)d 字。") % {"n": MAX_NAME_CHARS}
    try:
        contact = _public_contact(contact)
    except DomainError as error:
        errors.update({field: e[0] for field, e in error.message_dict.items()})
    if errors:
        raise DomainError(errors)
    key = _public_rate_key(client_ip)
    window = int(PUBLIC_FEEDBACK_WINDOW.total_seconds())
    if int(cache.get(key, 0)) >= PUBLIC_FEEDBACK_LIMIT:
        raise DomainError(
            _(
                "一小时内从您的网络已提交 %(n)d 条意见，请一小时后再提；您填写的内容仍在下面。急事请直接联系党委办公室。"
            )
            % {"n": PUBLIC_FEEDBACK_LIMIT}
        )
    feedback = Feedback(
        item=item,
        author=None,
        author_name=author_name,
        contact=contact,
        text=cleaned,
        anonymous=True,  # never shown to other viewers, always to the office
        scope=item.scope,  # 社会
    )
    clean_or_refuse(feedback)
    feedback.save()
    # Counted when saved (not after commit): a rolled-back opinion still counts, which errs on the safe side.
    if cache.add(key, 1, timeout=window) is False:
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
    return feedback


def _reference_line(feedback: Feedback) -> str:
    return (_("意见编号：%(ref)s") % {"ref": feedback.reference} + "\n") if feedback.from_public else ""


@transaction.atomic
def feedback_respond(*, feedback: Feedback, user: Any, response: str) -> Feedback:
    """The office records the answer (说明情况); the person who raised it is emailed and sees it on the item."""
    if not is_office(user):
        raise DomainError(_("意见由党务公开工作办公室答复（三（一）3）。"))
    cleaned = plain_text(response)
    if not cleaned:
        raise DomainError({"response": _("请填写答复。")})
    if len(cleaned) > MAX_FEEDBACK_CHARS:
        raise DomainError({"response": _("答复最多 %(n)d 字。") % {"n": MAX_FEEDBACK_CHARS}})
    feedback = (
        Feedback.objects.select_for_update(of=("self",)).select_related("item", "author").get(pk=feedback.pk)
    )
    if feedback.item.state not in (ItemState.PUBLISHED, ItemState.RESPONDED):
        raise DomainError(
            _("“%(state)s”的事项不能再答复意见。") % {"state": feedback.item.get_state_display()}
        )
    feedback.response = cleaned
    feedback.responded_by = user
    feedback.responded_at = timezone.now()
    clean_or_refuse(feedback)
    feedback._history_user = user  # type: ignore[attr-defined]
    feedback.save()
    record_event(feedback.item, action=ItemAction.RESPOND, user=user, note=cleaned)
    with override(settings.LANGUAGE_CODE):
        mail_after_commit(
            feedback.reply_addresses(),
            _("您对党务公开事项的意见已答复：%(title)s") % {"title": feedback.item.title},
            _reference_line(feedback)
            + _("您的意见：%(text)s") % {"text": feedback.text}
            + "\n"
            + _("党务公开工作办公室的答复：%(response)s") % {"response": cleaned}
            + "\n"
            + f"{_('链接')}：{site_link(feedback.item.get_absolute_url())}",
        )
    return feedback


def _office_feedback(feedback: Feedback, user: Any) -> Feedback:
    """The opinion, locked, for a step only the office takes while its item collects or answers opinions."""
    if not is_office(user):
        raise DomainError(_("意见由党务公开工作办公室收集整理和办理（三（一）3、四（三））。"))
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("item", "author", "department")
        .get(pk=feedback.pk)
    )
    if feedback.item.state not in (ItemState.PUBLISHED, ItemState.RESPONDED):
        raise DomainError(
            _("“%(state)s”的事项不能再办理意见。") % {"state": feedback.item.get_state_display()}
        )
    return feedback


@transaction.atomic
def feedback_assign(*, feedback: Feedback, user: Any, department: Organization, note: str = "") -> Feedback:
    """三（一）3: 及时反馈给相关部门进行研究落实 — the office hands the opinion to a department (a college or a
    functional department) with a note; handing it on again to another department is recorded the same way."""
    feedback = _office_feedback(feedback, user)
    if department.kind not in (Organization.Kind.DEPARTMENT, Organization.Kind.COLLEGE):
        raise DomainError({"department": _("请选择职能部门或学院。")})
    cleaned = plain_text(note)
    if len(cleaned) > MAX_NOTE_CHARS:
        raise DomainError({"note": _("说明最多 %(n)d 字。") % {"n": MAX_NOTE_CHARS}})
    feedback.department = department
    feedback.assignment_note = cleaned
    feedback.assigned_at = timezone.now()
    feedback.department_response = ""
    feedback.department_responded_at = None
    clean_or_refuse(feedback)
    feedback._history_user = user  # type: ignore[attr-defined]
    feedback.save()
    record_event(
        feedback.item,
        action=ItemAction.ASSIGN,
        user=user,
        note=f"{department.name}：{cleaned}" if cleaned else department.name,
    )
    return feedback


@transaction.atomic
def feedback_record_department_response(*, feedback: Feedback, user: Any, response: str) -> Feedback:
    """三（一）3: 研究落实，并说明情况 — the office records what the department it handed the opinion to answered. The
    person who raised it sees it on the item's page and is emailed."""
    feedback = _office_feedback(feedback, user)
    if feedback.department_id is None:
        raise DomainError(_("请先把意见分派给承办部门。"))
    cleaned = plain_text(response)
    if not cleaned:
        raise DomainError({"response": _("请填写部门的研究落实情况。")})
    if len(cleaned) > MAX_FEEDBACK_CHARS:
        raise DomainError({"response": _("答复最多 %(n)d 字。") % {"n": MAX_FEEDBACK_CHARS}})
    feedback.department_response = cleaned
    feedback.department_responded_at = timezone.now()
    clean_or_refuse(feedback)
    feedback._history_user = user  # type: ignore[attr-defined]
    feedback.save()
    department = feedback.department.name if feedback.department else ""
    record_event(
        feedback.item, action=ItemAction.DEPARTMENT_RESPONSE, user=user, note=f"{department}：{cleaned}"
    )
    with override(settings.LANGUAGE_CODE):
        mail_after_commit(
            feedback.reply_addresses(),
            _("您对党务公开事项的意见有了部门答复：%(title)s") % {"title": feedback.item.title},
            _reference_line(feedback)
            + _("您的意见：%(text)s") % {"text": feedback.text}
            + "\n"
            + _("%(department)s的研究落实情况：%(response)s")
            % {"department": department, "response": cleaned}
            + "\n"
            + f"{_('链接')}：{site_link(feedback.item.get_absolute_url())}",
        )
    return feedback


@transaction.atomic
def feedback_escalate(*, feedback: Feedback, user: Any, reason: str) -> Feedback:
    """四（三）: 涉及重要事项或重大问题的，要及时向上级汇报 — the office escalates an important opinion to the committee
    (校党委) with its reason; who and when are recorded, the committee members are emailed and see it on their home."""
    feedback = _office_feedback(feedback, user)
    if feedback.escalated_at is not None:
        raise DomainError(_("该意见已经上报校党委。"))
    cleaned = plain_text(reason)
    if not cleaned:
        raise DomainError({"reason": _("请写明上报校党委的理由。")})
    if len(cleaned) > MAX_NOTE_CHARS:
        raise DomainError({"reason": _("理由最多 %(n)d 字。") % {"n": MAX_NOTE_CHARS}})
    feedback.escalated_by = user
    feedback.escalated_at = timezone.now()
    feedback.escalation_reason = cleaned
    clean_or_refuse(feedback)
    feedback._history_user = user  # type: ignore[attr-defined]
    feedback.save()
    record_event(feedback.item, action=ItemAction.ESCALATE, user=user, note=cleaned)
    with override(settings.LANGUAGE_CODE):
        mail_after_commit(
            [p.contact_email for p in committee_members().select_related("user")],
            _("党务公开意见上报校党委：%(title)s") % {"title": feedback.item.title},
            _("意见：%(text)s") % {"text": feedback.text}
            + "\n"
            + _("上报理由（四（三））：%(reason)s") % {"reason": cleaned}
            + "\n"
            + f"{_('链接')}：{site_link(feedback.item.get_absolute_url())}",
        )
    return feedback
