"""Talks (谈心谈话): a leader records their own in a few clicks, and corrects or deletes what they recorded; the office
records, corrects and deletes anyone's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communication.models import Meeting, Talk, TalkChannel, TalkTopic
from communication.permissions import can_change_talk, person_of
from communication.selectors import SibitanMatrix, sibitan_matrix
from governance.models import Person
from governance.roles import is_office

from .changes import change_reason_or_refuse, same_people, stamp, stamped
from .common import DomainError, clean_or_refuse, refuse_unnamable


def _talk_people_or_refuse(user: Any, participants: Iterable[Person]) -> dict[int, Person]:
    """Who took part, once each: a leader only in talks they took part in; at least two people."""
    people: dict[int, Person] = {}
    for person in participants:
        people.setdefault(person.pk, person)
    if not is_office(user):
        me = person_of(user)
        if me is None:
            raise DomainError(_("您的账号尚未关联人员信息，无法登记谈心谈话，请联系党委办公室。"))
        if me.pk not in people:
            raise DomainError({"participants": _("只能登记本人参加的谈心谈话。")})
    if len(people) < 2:
        raise DomainError({"participants": _("谈心谈话至少需要两名参与人，请选择谈话对象。")})
    return people


def _topics_or_refuse(topics: Iterable[str]) -> list[str]:
    chosen = set(topics or ())
    if chosen - set(TalkTopic.values):
        raise DomainError({"topics": _("谈话内容只能从“思想、工作、学习、作风”中选择。")})
    return [t for t in TalkTopic.values if t in chosen]


def _refuse_unless_talk_valid(
    user: Any, talk: Talk, people: dict[int, Person], meeting: Meeting | None
) -> None:
    """What a recorded talk must satisfy, whether first entered or corrected (issue 7, hole 1; 000 四（二））."""
    if talk.date and talk.date > timezone.localdate():
        raise DomainError({"date": _("谈话日期不能晚于今天。")})
    clean_or_refuse(talk)
    refuse_unnamable(user, people.values(), on=talk.date, field="participants")
    if meeting is not None and not Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists():
        raise DomainError({"meeting": _("只能关联本人参加或所在领导班子召开的民主生活会。")})


@transaction.atomic
def talk_record(
    *,
    recorded_by_user,
    participants: Iterable[Person],
    date: dt.date,
    formal: bool,
    topics: Iterable[str],
    notes: str,
    meeting: Meeting | None = None,
    channel: str = TalkChannel.TALK,
) -> Talk:
    """Record a talk between two or more people.

    A leader records only talks they took part in, with people who sat on a leadership team with them on the talk's
    date; the office records anyone's (issue 7, hole 1). A talk linked to a democratic life meeting must fall
    within its preparation (000 四（二））."""
    people = _talk_people_or_refuse(recorded_by_user, participants)
    talk = Talk(
        date=date,
        formal=bool(formal),
        channel=channel or TalkChannel.TALK,
        topics=_topics_or_refuse(topics),
        notes=(notes or "").strip(),
        democratic_life_meeting=meeting,
        recorded_by=recorded_by_user if recorded_by_user.is_authenticated else None,
    )
    _refuse_unless_talk_valid(recorded_by_user, talk, people, meeting)
    with stamped([talk], by=recorded_by_user, reason=None):
        talk.save()
        talk.participants.set(list(people.values()))
    return talk


EDITABLE_FIELDS = ("date", "formal", "channel", "topics", "notes", "democratic_life_meeting_id")


@transaction.atomic
def talk_update(
    *,
    talk: Talk,
    changed_by,
    change_reason: str,
    participants: Iterable[Person],
    date: dt.date,
    formal: bool,
    topics: Iterable[str],
    notes: str,
    meeting: Meeting | None = None,
    channel: str = TalkChannel.TALK,
) -> Talk:
    """Correct a talk — a wrong date, a participant missed — with the checks of recording it; by whoever recorded it
    or the office. The reason is kept in the audit history; the obligation pages follow (their caches are stamped by
    the model signals, governance.services.freshness)."""
    if not can_change_talk(changed_by, talk):
        raise DomainError(_("只有登记这次谈心谈话的人和党委办公室可以修改它。"))
    change_reason = change_reason_or_refuse(change_reason)
    people = _talk_people_or_refuse(changed_by, participants)
    talk = Talk.objects.select_for_update().get(pk=talk.pk)
    before = {name: getattr(talk, name) for name in EDITABLE_FIELDS}
    talk.date = date
    talk.formal = bool(formal)
    talk.channel = channel or TalkChannel.TALK
    talk.topics = _topics_or_refuse(topics)
    talk.notes = (notes or "").strip()
    talk.democratic_life_meeting = meeting
    _refuse_unless_talk_valid(changed_by, talk, people, meeting)
    fields_changed = any(getattr(talk, name) != value for name, value in before.items())
    if not fields_changed and same_people(talk.participants.all(), people.values()):
        raise DomainError(_("没有需要保存的修改。"))
    with stamped([talk], by=changed_by, reason=change_reason):
        if fields_changed:
            talk.save()
        talk.participants.set(list(people.values()))
    return talk


@transaction.atomic
def talk_delete(*, talk: Talk, deleted_by, change_reason: str) -> None:
    """Delete a talk recorded in error, by whoever recorded it or the office; its audit history stays, the last entry
    saying who deleted it and why."""
    if not can_change_talk(deleted_by, talk):
        raise DomainError(_("只有登记这次谈心谈话的人和党委办公室可以删除它。"))
    change_reason = change_reason_or_refuse(change_reason, deleting=True)
    talk = Talk.objects.select_for_update().get(pk=talk.pk)
    stamp([talk], by=deleted_by, reason=change_reason)
    talk.delete()


def sibitan_remind_pairs(meeting: Meeting) -> list[tuple[Person, Person]]:
    """The pairs of the team who have not talked yet before `meeting` (000 四（二）“四必谈”); the reminder job emails
    both people of each pair."""
    matrix: SibitanMatrix = sibitan_matrix(meeting)
    return matrix.missing_pairs
