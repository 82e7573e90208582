"""Widening an item's scope (三: 党务公开的基本程序是先党内、后党外; 对……重大事项，可采取仅限党内或先党内后党外的程序进行公开).

The office asks, with its reason, to widen a published item to a wider scope; a committee member approves (the
scope widens) or refuses with a reason (it stays). Both steps are recorded like every other step; one request waits
at a time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from disclosure.models import WIDENING_STATES, DisclosureItem, ItemAction, Scope, wider_scopes
from disclosure.permissions import committee_members, is_committee_member
from disclosure.sanitize import plain_text
from governance.errors import DomainError
from governance.roles import is_office
from governance.services.reminders import site_link

from .items import _locked, _mail_office, _save, actor_name, mail_after_commit, record_event


@transaction.atomic
def scope_widen_request(*, item: DisclosureItem, user: Any, scope: str, reason: str) -> DisclosureItem:
    """The office asks the committee to widen a published item's scope (先党内、后党外)."""
    if not is_office(user):
        raise DomainError(_("扩大公开范围由党务公开工作办公室提出，报校党委批准（三）。"))
    item = _locked(item)
    if item.state not in WIDENING_STATES:
        raise DomainError(_("“%(state)s”的事项不能扩大公开范围。") % {"state": item.get_state_display()})
    if item.widen_to:
        raise DomainError(_("该事项已有一份扩大公开范围的申请在等待批准。"))
    if scope not in wider_scopes(item.scope):
        raise DomainError(
            {"scope": _("请选择比现在（%(scope)s）更宽的范围。") % {"scope": item.get_scope_display()}}
        )
    reason = plain_text(reason)[:2000]
    if not reason:
        raise DomainError({"reason": _("请写明扩大公开范围的理由。")})
    item.widen_to = scope
    item.widen_reason = reason
    _save(item, user=user, reason=_("申请扩大公开范围"))
    record_event(
        item,
        action=ItemAction.WIDEN_REQUEST,
        user=user,
        note=_("由“%(old)s”扩大到“%(new)s”：%(reason)s")
        % {"old": item.get_scope_display(), "new": Scope(scope).label, "reason": reason},
    )
    _mail_widening_request(item, user=user)
    return item


def _mail_widening_request(item: DisclosureItem, *, user: Any) -> None:
    """The committee members' email for a widening: not a new item to approve but an item already out to one scope
    that the office asks to disclose to a wider one — from which scope to which, why, and where to decide (三: 先党内、
    后党外; 三（一）1: 报校党委批准)."""
    with override(settings.LANGUAGE_CODE):
        published = timezone.localdate(item.published_at) if item.published_at else item.publish_from
        mail_after_commit(
            [p.contact_email for p in committee_members().select_related("user")],
            _("扩大公开范围申请：%(title)s") % {"title": item.title},
            "\n".join(
                [
                    _(
                        "党务公开工作办公室申请扩大一项已公开事项的公开范围，请审批（三：党务公开的基本程序是先党内、后党外；"
                        "三（一）1：报校党委批准）。"
                    ),
                    "",
                    f"{_('公开事项')}：{item.title}",
                    _("公开范围：由“%(old)s”扩大到“%(new)s”")
                    % {"old": item.get_scope_display(), "new": Scope(item.widen_to).label},
                    f"{_('申请理由')}：{item.widen_reason}",
                    f"{_('申请人')}：{actor_name(user)}",
                    _("已于 %(date)s 向“%(old)s”公开，批准前公开范围不变。")
                    % {"date": published.isoformat(), "old": item.get_scope_display()},
                    "",
                    _("在事项页上“审批扩大公开范围”，批准或写明理由不同意：%(link)s")
                    % {"link": site_link(item.get_absolute_url())},
                ]
            ),
        )


@transaction.atomic
def scope_widen_decide(*, item: DisclosureItem, user: Any, approve: bool, note: str = "") -> DisclosureItem:
    """A committee member approves (the scope widens from now on) or refuses with a reason."""
    if not is_committee_member(user):
        raise DomainError(_("扩大公开范围由校党委成员批准（三（一）1）。"))
    item = _locked(item)
    if not item.widen_to:
        raise DomainError(_("没有等待批准的扩大公开范围申请，可能刚刚已被审批。"))
    note = plain_text(note)[:2000]
    if not approve and not note:
        raise DomainError({"note": _("不同意扩大公开范围时请写明理由。")})
    old, new = item.get_scope_display(), Scope(item.widen_to).label
    if approve:
        item.scope = item.widen_to
    item.widen_to = ""
    item.widen_reason = ""
    _save(item, user=user, reason=_("批准扩大公开范围") if approve else _("不同意扩大公开范围"))
    summary = _("由“%(old)s”扩大到“%(new)s”") % {"old": old, "new": new}
    record_event(
        item,
        action=ItemAction.WIDEN_APPROVE if approve else ItemAction.WIDEN_REFUSE,
        user=user,
        note=summary + (f"：{note}" if note else ""),
    )
    _mail_office(
        item,
        (_("扩大公开范围已批准：%(title)s") if approve else _("扩大公开范围未获批准：%(title)s"))
        % {"title": item.title},
        _("%(name)s%(decision)s%(summary)s。")
        % {
            "name": actor_name(user),
            "decision": _("批准") if approve else _("不同意"),
            "summary": summary,
        }
        + (f"\n{_('审批意见')}：{note}" if note else ""),
    )
    return item
