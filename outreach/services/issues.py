"""师生诉求 (issues raised): the mailbox (意见箱, 004 第五条7), issues recorded from forums and visits (第六条3), their
handling by the leader in charge — answer, transfer to another leader or a department (移交, 第六条3) — feedback to
whoever raised it and closing, which needs that feedback first (件件有回音; 第六条4: 及时向基层单位反馈). Each step is one
transaction and one IssueEvent."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from governance.errors import DomainError, clean_or_refuse
from governance.models import Organization, Person
from governance.roles import is_office
from outreach.models import (
    Activity,
    FeedbackChannel,
    IssueEvent,
    IssueEventKind,
    IssueSource,
    IssueState,
    RaisedIssue,
    ReceptionSession,
)
from outreach.permissions import can_handle_issue, person_of
from outreach.services.escalation import pending_asks
from outreach.services.reception import can_record_session

# Control characters other than tab and newline; text from a browser never needs them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """What the mailbox keeps of a text: no markup, no control or direction characters, trimmed lines."""
    text = _CONTROL.sub("", strip_tags(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def mailbox_limits() -> tuple[int, int]:
    """(issues a day per account, seconds between two): settings OUTREACH_MAILBOX_PER_DAY and _MIN_SECONDS."""
    return (
        int(getattr(settings, "OUTREACH_MAILBOX_PER_DAY", 3)),
        int(getattr(settings, "OUTREACH_MAILBOX_MIN_SECONDS", 60)),
    )


def _name_of(user: Any) -> str:
    person = person_of(user)
    if person is not None:
        return person.name
    return user.get_full_name() or user.username


def _event(issue: RaisedIssue, kind: str, by: Any, **kwargs: Any) -> IssueEvent:
    return IssueEvent.objects.create(
        issue=issue, kind=kind, by=by if by and by.is_authenticated else None, **kwargs
    )


@transaction.atomic
def mailbox_raise(*, by: Any, title: str, text: str, owner: Person | None = None) -> RaisedIssue:
    """A logged-in member of staff or a student writes to the mailbox. At most OUTREACH_MAILBOX_PER_DAY a day and one
    every OUTREACH_MAILBOX_MIN_SECONDS seconds per account (counted under a lock on the account's row)."""
    if not getattr(by, "is_authenticated", False):
        raise DomainError(_("请先登录再提交。"))
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()  # one letter at a time per account
    per_day, min_seconds = mailbox_limits()
    now = timezone.now()
    mine = RaisedIssue.objects.filter(raised_by=by, source=IssueSource.MAILBOX)
    # Both limits are stated on the page; a refusal says how long to wait (the input is kept by the view).
    last = (
        mine.filter(created_at__gte=now - dt.timedelta(seconds=min_seconds)).order_by("-created_at").first()
    )
    if last is not None:
        wait = math.ceil((last.created_at + dt.timedelta(seconds=min_seconds) - now).total_seconds())
        raise DomainError(
            _("提交太频繁：两次提交至少间隔 %(gap)d 秒，请 %(n)d 秒后再提交。")
            % {"gap": min_seconds, "n": max(wait, 1)}
        )
    day = list(mine.filter(created_at__gte=now - dt.timedelta(days=1)).order_by("created_at")[:per_day])
    if len(day) >= per_day:
        again = timezone.localtime(day[0].created_at + dt.timedelta(days=1))
        raise DomainError(
            _("24 小时内最多提交 %(n)d 条，请于 %(when)s 以后再提交。如有急事，请直接联系党委办公室。")
            % {"n": per_day, "when": date_format(again, "MONTH_DAY_FORMAT") + again.strftime(" %H:%M")}
        )
    title, text = clean_text(title), clean_text(text)
    errors = {}
    if not title:
        errors["title"] = [_("请写明反映的事项。")]
    if not text:
        errors["text"] = [_("请写明具体情况。")]
    if errors:
        raise DomainError(errors)
    issue = RaisedIssue(
        title=title[:200],
        text=text,
        source=IssueSource.MAILBOX,
        raised_by=by,
        raiser=_name_of(by)[:100],
        owner=owner,
        recorded_by=by,
    )
    clean_or_refuse(issue)
    issue.save()
    _event(issue, IssueEventKind.RAISED, by, to_person=owner)
    return issue


@transaction.atomic
def issue_record(
    *,
    by: Any,
    title: str,
    text: str,
    raiser: str,
    owner: Person | None,
    activity: Activity | None = None,
    reception: ReceptionSession | None = None,
    unit: Organization | None = None,
) -> RaisedIssue:
    """An issue raised at a forum, a visit or by a linked unit (004 第六条3), recorded by the office or by a leader
    who took part in the activity; or by a visitor on a reception day (004 第五条8), recorded by the office or that
    day's duty leader."""
    me = person_of(by)
    if activity is not None and reception is not None:
        raise DomainError(_("一条诉求只能来自一次活动或一个接待日。"))
    if reception is not None:
        if not can_record_session(by, reception):
            raise DomainError(_("只有党委办公室和当班校领导可以登记接待日上提出的诉求。"))
        if reception.date > timezone.localdate():
            raise DomainError(_("接待日还没到，不能登记来访者提出的诉求。"))
        source = IssueSource.RECEPTION
    else:
        took_part = activity is not None and me is not None and activity.leaders.filter(pk=me.pk).exists()
        if not (is_office(by) or took_part):
            raise DomainError(_("只有党委办公室和参加该活动的班子成员可以登记活动中提出的问题。"))
        source = IssueSource.ACTIVITY if activity is not None else IssueSource.UNIT
    issue = RaisedIssue(
        title=clean_text(title)[:200],
        text=clean_text(text),
        source=source,
        activity=activity,
        reception=reception,
        raiser=clean_text(raiser)[:100],
        unit=unit,
        owner=owner,
        recorded_by=by,
    )
    clean_or_refuse(issue)
    issue.save()
    _event(issue, IssueEventKind.RAISED, by, to_person=owner)
    return issue


def _locked(issue: RaisedIssue, by: Any) -> RaisedIssue:
    issue = RaisedIssue.objects.select_for_update().get(pk=issue.pk)
    if not can_handle_issue(by, issue):
        raise DomainError(_("只有承办的校领导和党委办公室可以办理这条诉求。"))
    if issue.state == IssueState.CLOSED:
        raise DomainError(_("这条诉求已办结。"))
    return issue


@transaction.atomic
def issue_assign(issue: RaisedIssue, *, by: Any, owner: Person) -> RaisedIssue:
    """The office sends a mailbox issue to the leader in charge of its area (004 第五条7: 根据分工)."""
    if not is_office(by):
        raise DomainError(_("意见箱中的诉求由党委办公室分送。"))
    issue = _locked(issue, by)
    issue.owner = owner
    issue.save(update_fields=["owner", "updated_at"])
    _event(issue, IssueEventKind.ASSIGNED, by, to_person=owner)
    return issue


@transaction.atomic
def issue_transfer(
    issue: RaisedIssue,
    *,
    by: Any,
    note: str,
    to_person: Person | None = None,
    to_unit: Organization | None = None,
) -> RaisedIssue:
    """移交 (004 第六条3: 不属于自己分管工作范围的……协调相关校领导和职能部门移交): to another leader, who then owns it,
    or to a department, which handles it while the leader keeps following it."""
    issue = _locked(issue, by)
    if (to_person is None) == (to_unit is None):
        raise DomainError({"to_person": [_("请选择移交给一位校领导或一个职能部门（二选一）。")]})
    if not note.strip():
        raise DomainError({"note": [_("请写明移交的理由（如：属于某位校领导分管的工作）。")]})
    if to_person is not None:
        if to_person.pk == issue.owner_id:
            raise DomainError({"to_person": [_("这条诉求已由该校领导承办。")]})
        issue.owner = to_person
    else:
        issue.handling_unit = to_unit
    issue.save(update_fields=["owner", "handling_unit", "updated_at"])
    _event(
        issue, IssueEventKind.TRANSFERRED, by, to_person=to_person, to_unit=to_unit, note=note.strip()[:500]
    )
    return issue


@transaction.atomic
def issue_answer(issue: RaisedIssue, *, by: Any, answer: str) -> RaisedIssue:
    """答复 (004 第六条3: 能答复或解决的应尽快予以答复或解决); a later answer replaces it, both kept in the record."""
    issue = _locked(issue, by)
    answer = answer.strip()
    if not answer:
        raise DomainError({"answer": [_("请填写答复内容。")]})
    issue.answer = answer
    issue.answered_at = timezone.now()
    issue.state = IssueState.ANSWERED
    clean_or_refuse(issue)
    issue.save(update_fields=["answer", "answered_at", "state", "updated_at"])
    _event(issue, IssueEventKind.ANSWERED, by)
    return issue


@transaction.atomic
def issue_feedback(issue: RaisedIssue, *, by: Any, channel: str, note: str = "") -> RaisedIssue:
    """The raiser has been told the answer (件件有回音; 004 第六条4: 及时向基层单位反馈). Through the portal only when they
    raised it with an account (they then see the answer on the issue's page)."""
    issue = _locked(issue, by)
    if not issue.answer:
        raise DomainError(_("请先答复，再向反映人反馈。"))
    if channel not in FeedbackChannel.values:
        raise DomainError({"channel": [_("请选择反馈方式。")]})
    if channel == FeedbackChannel.PORTAL and issue.raised_by_id is None:
        raise DomainError({"channel": [_("反映人没有通过门户提交，请选择当面、电话或书面反馈。")]})
    issue.feedback_channel = channel
    issue.feedback_note = note.strip()[:500]
    issue.feedback_at = timezone.now()
    issue.save(update_fields=["feedback_channel", "feedback_note", "feedback_at", "updated_at"])
    _event(issue, IssueEventKind.FEEDBACK, by, note=issue.feedback_note)
    return issue


@transaction.atomic
def issue_close(issue: RaisedIssue, *, by: Any) -> RaisedIssue:
    """办结, only once the raiser has been given feedback (件件有回音), and not while the leader's request to the office
    to escalate it (提请上会, 转为督办) waits for the office.

    Refused rather than closed out: 004 第六条4 has such a problem taken to the 党委会 or 校长办公会 "必要时" and the raiser
    kept informed of its progress (及时向基层单位反馈进展情况), and whether it goes on an agenda is the office's decision
    (议题由党委办公室列入, 001 三（三）; 督办事项由督查小组立项, 督查督办 第四条（一）). Closing the issue under a pending
    request would end that decision unseen — the request would vanish from the office home with no answer recorded.
    So the office acts on it or declines it with a reason (DECLINED_ASK, recorded and mailed to the leader), then the
    issue is closed."""
    issue = _locked(issue, by)
    if issue.feedback_at is None:
        raise DomainError(_("尚未向反映人反馈，不能办结（件件有回音）。请先登记反馈。"))
    waiting = pending_asks(issue)
    if waiting:
        raise DomainError(
            _(
                "%(asks)s尚待党委办公室办理，暂不能办结：党委办公室列为议题、转为督办事项或答复不予提请后才能办结"
                "（004 第六条4）。"
            )
            % {"asks": "、".join(f"“{e.get_kind_display()}”" for e in waiting)}
        )
    issue.state = IssueState.CLOSED
    issue.closed_at = timezone.now()
    issue.save(update_fields=["state", "closed_at", "updated_at"])
    _event(issue, IssueEventKind.CLOSED, by)
    return issue
