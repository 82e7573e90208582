"""Talks (谈心谈话): a leader records their own in a few clicks; the office records anyone's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communication.models import Meeting, Talk, TalkChannel, TalkTopic
from communication.permissions import person_of
from communication.selectors import SibitanMatrix, sibitan_matrix
from governance.models import Person
from governance.roles import is_office

from .common import DomainError, clean_or_refuse, refuse_unnamable


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
    people: dict[int, Person] = {}
    for person in participants:
        people.setdefault(person.pk, person)
    if not is_office(recorded_by_user):
        me = person_of(recorded_by_user)
        if me is None:
            raise DomainError(_("您的账号尚未关联人员信息，无法登记谈心谈话，请联系党委办公室。"))
        if me.pk not in people:
            raise DomainError({"participants": _("只能登记本人参加的谈心谈话。")})
    if len(people) < 2:
        raise DomainError({"participants": _("谈心谈话至少需要两名参与人，请选择谈话对象。")})
    if date and date > timezone.localdate():
        raise DomainError({"date": _("谈话日期不能晚于今天。")})
    chosen = set(topics or ())
    if chosen - set(TalkTopic.values):
        raise DomainError({"topics": _("谈话内容只能从“思想、工作、学习、作风”中选择。")})
    topic_list = [t for t in TalkTopic.values if t in chosen]
    talk = Talk(
        date=date,
        formal=bool(formal),
        channel=channel or TalkChannel.TALK,
        topics=topic_list,
        notes=(notes or "").strip(),
        democratic_life_meeting=meeting,
        recorded_by=recorded_by_user if recorded_by_user.is_authenticated else None,
    )
    clean_or_refuse(talk)
    refuse_unnamable(recorded_by_user, people.values(), on=date, field="participants")
    if (
        meeting is not None
        and not Meeting.objects.visible_to(recorded_by_user).filter(pk=meeting.pk).exists()
    ):
        raise DomainError({"meeting": _("只能关联本人参加或所在领导班子召开的民主生活会。")})
    talk.save()
    talk.participants.set(list(people.values()))
    return talk


def sibitan_remind_pairs(meeting: Meeting) -> list[tuple[Person, Person]]:
    """The pairs of the team who have not talked yet before `meeting` (000 四（二）“四必谈”); the reminder job emails
    both people of each pair."""
    matrix: SibitanMatrix = sibitan_matrix(meeting)
    return matrix.missing_pairs
