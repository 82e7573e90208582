"""Viewers' opinions on a published item and the office's answers (三（一）3: 公开期间，由党务公开工作办公室负责收集、整理
通过各种渠道反映的意见、建议……并说明情况; 四（三）信息反馈制度)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from disclosure.models import DisclosureItem, Feedback, ItemAction, ItemState
from disclosure.permissions import can_view_item
from disclosure.sanitize import plain_text
from governance.errors import DomainError, clean_or_refuse
from governance.roles import is_office
from governance.services.reminders import site_link

from .items import actor_name, mail_after_commit, record_event

# At most this many opinions per person in the window: enough for anyone with something to say, too few to flood.
FEEDBACK_LIMIT = 5
FEEDBACK_WINDOW = dt.timedelta(hours=1)
MAX_FEEDBACK_CHARS = 2000


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
    )
    clean_or_refuse(feedback)
    feedback.save()
    return feedback


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
    feedback = Feedback.objects.select_for_update().select_related("item", "author").get(pk=feedback.pk)
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
            [feedback.author.email],
            _("您对党务公开事项的意见已答复：%(title)s") % {"title": feedback.item.title},
            _("您的意见：%(text)s") % {"text": feedback.text}
            + "\n"
            + _("党务公开工作办公室的答复：%(response)s") % {"response": cleaned}
            + "\n"
            + f"{_('链接')}：{site_link(feedback.item.get_absolute_url())}",
        )
    return feedback
