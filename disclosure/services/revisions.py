"""Re-disclosure (三（一）4 再公开程序: 对重要事项和重大问题，经研究后，进行必要的调整完善……调整后的内容要根据具体情况进行
再公开; 三（三）: 对于重大事项或复杂问题根据公开后反馈意见进行完善，必要时再公开).

The office starts a new version of a published item: a copy linked to it (`previous`, `version` + 1) that goes through
the whole workflow again (proposed → approval → published). When the new version is published, the one it replaces
goes to the archive (四（四）): both are kept, and the new one's page shows what changed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import SHOWN_STATES, DisclosureItem, ItemAction, ItemAttachment, ItemState
from disclosure.sanitize import plain_text
from governance.errors import DomainError
from governance.roles import is_office

from .items import _locked, _save, record_event

COPIED = ("title", "content", "category", "topic", "nature", "scope", "form", "publish_until", "follow_up_on")


def open_revision(item: DisclosureItem) -> DisclosureItem | None:
    """The newer version of `item` still on its way (not yet published), if any."""
    return item.revisions.exclude(state__in=[*SHOWN_STATES, ItemState.ARCHIVED]).first()


@transaction.atomic
def item_revise(*, item: DisclosureItem, user: Any, note: str = "") -> DisclosureItem:
    """A new version of a published item, proposed by the office, to be corrected, approved and published again."""
    if not is_office(user):
        raise DomainError(_("再公开由党务公开工作办公室提出（三（一）4）。"))
    item = _locked(item)
    if item.state not in SHOWN_STATES:
        raise DomainError(_("只有已公开的事项可以修订后再公开。"))
    if item.revisions.filter(state__in=SHOWN_STATES).exists():
        raise DomainError(_("该事项已有更新的版本公开。"))
    pending = open_revision(item)
    if pending is not None:
        raise DomainError(_("该事项的第 %(n)d 版正在办理中，请在那一版上修改。") % {"n": pending.version})
    revision = DisclosureItem(recorded_by=user, previous=item, version=item.version + 1)
    for name in COPIED:
        setattr(revision, name, getattr(item, name))
    revision.publish_from = max(item.publish_from, timezone.localdate())
    if revision.publish_until and revision.publish_until < revision.publish_from:
        revision.publish_until = None
    _save(revision, user=user, reason=_("再公开（修订）"))
    for attachment in item.attachments.all():
        ItemAttachment.objects.create(
            item=revision, file=attachment.file.name, name=attachment.name, uploaded_by=attachment.uploaded_by
        )
    note = plain_text(note)[:2000]
    record_event(
        revision,
        action=ItemAction.PROPOSE,
        user=user,
        note=_("第 %(n)d 版，修订自第 %(old)d 版。") % {"n": revision.version, "old": item.version}
        + (f"{note}" if note else ""),
    )
    record_event(
        item, action=ItemAction.REVISE, user=user, note=_("起草第 %(n)d 版。") % {"n": revision.version}
    )
    return revision


def supersede_previous(item: DisclosureItem, *, user: Any) -> None:
    """Called when a new version is published, in the same transaction: the previous version goes to the archive."""
    if item.previous_id is None:
        return
    previous = DisclosureItem.objects.get(pk=item.previous_id)
    if previous.state not in SHOWN_STATES:
        return
    before = str(previous.state)
    previous.supersede()
    previous.archived_at = timezone.now()
    _save(previous, user=user, reason=_("由新版本替代"))
    record_event(
        previous,
        action=ItemAction.SUPERSEDE,
        user=user,
        before=before,
        note=_("第 %(n)d 版已公开，本版归档（四（四））。") % {"n": item.version},
    )
