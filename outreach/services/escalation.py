"""An issue that a leader cannot settle alone goes on: escalated to an agenda item of the 党委会 or 校长办公会 (004 第六条4:
对基层单位反映……共性难点问题，必要时可作为议题提请学校党委会或校长办公会研究解决), or turned into a task the 督查小组
supervises (003《校党委工作落实督查督办工作制度》第二条（四）: 其他需要督查督办的事项; 第三条（二）专项督查).

Only through communication.services and supervision.services (import-linter contract
`outreach-communication-supervision`): the agenda item and the task are made by those apps' own services, with their
rules and refusals; the issue keeps a link to what was made, and the made record names the issue and its page. Both
are prepared by the office — agenda items by the office (communication: 001 三（三）), tasks by the 督查小组 (003
督查督办 第四条（一）立项登记) — on the proposal of the leader in charge, who stays the agenda item's proposer and the
task's responsible leader. Neither closes the issue: it is closed only after its raiser has been given feedback
(件件有回音; 004 第六条4: 及时向基层单位反馈进展情况)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communication.services.agenda import agenda_item_create
from governance.errors import DomainError
from governance.models import Organization, Person, Position
from governance.roles import is_leader, is_office
from outreach.models import (
    ESCALATION_MEETING_CHOICES,
    IssueEvent,
    IssueEventKind,
    IssueState,
    RaisedIssue,
)
from outreach.permissions import person_of
from outreach.services.mail import mail_after_commit, office_recipients, site_link
from supervision.services.tasks import task_register

# 004 第六条4 names exactly these two meetings (communication's MeetingKind values, passed as strings: outreach
# reads no other app's models).
ESCALATION_MEETING_KINDS = tuple(value for value, _label in ESCALATION_MEETING_CHOICES)
ASK_AGENDA = "agenda"
ASK_TASK = "task"
REASON_MAX = 500
# 003 督查督办 第二条（四）其他需要督查督办的事项; 第三条（二）专项督查: 领导批示、交办的工作, 视任务要求不定期进行.
TASK_SOURCE = "leader"
TASK_KIND = "special"


def _issue_locked(issue: RaisedIssue, by: Any, message: str) -> tuple[RaisedIssue, Person]:
    if not is_office(by):
        raise DomainError(message)
    issue = (
        RaisedIssue.objects.select_for_update(of=("self",)).select_related("owner", "unit").get(pk=issue.pk)
    )
    if issue.state == IssueState.CLOSED:
        raise DomainError(_("这条诉求已办结。"))
    if issue.owner is None:
        raise DomainError(_("请先把诉求分送承办校领导（004 第五条7），再由其提请。"))
    return issue, issue.owner


def _reference(issue: RaisedIssue) -> str:
    """What the agenda item or the task says about where it came from: the issue's number, source and page."""
    unit = f"（{issue.unit.name}）" if issue.unit_id and issue.unit else ""
    return _("来源：师生诉求 #%(pk)d（%(source)s%(unit)s，%(day)s 提出），诉求页：%(url)s") % {
        "pk": issue.pk,
        "source": issue.get_source_display(),
        "unit": unit,
        "day": timezone.localtime(issue.created_at).date().isoformat(),
        "url": issue.get_absolute_url(),
    }


def _university_of(person: Person) -> Organization | None:
    position = (
        Position.objects.active_on(timezone.localdate())
        .filter(person=person, team__organization__kind=Organization.Kind.UNIVERSITY)
        .select_related("team__organization")
        .first()
    )
    return position.team.organization if position is not None else None


@transaction.atomic
def issue_escalate(issue: RaisedIssue, *, by: Any, meeting_kind: str, note: str = "") -> RaisedIssue:
    """提请上会 (004 第六条4): an agenda item of the 党委会 or 校长办公会, proposed by the leader in charge; its
    consultation and scheduling then follow communication's rules (001 三（三）)."""
    issue, owner = _issue_locked(
        issue, by, _("议题由党委办公室列入（001 三（三）），请承办校领导向党委办公室提请。")
    )
    if issue.agenda_item_id:
        raise DomainError(_("这条诉求已提请上会。"))
    if meeting_kind not in ESCALATION_MEETING_KINDS:
        raise DomainError({"meeting_kind": [_("请选择党委会或校长办公会（004 第六条4）。")]})
    university = _university_of(owner)
    if university is None:
        raise DomainError(_("承办人不是现任校领导，不能以其名义提请学校会议研究。请先移交给校领导。"))
    note = note.strip()
    description = "\n\n".join(part for part in (issue.text, note, _reference(issue)) if part)
    item = agenda_item_create(
        created_by=by,
        organization=university,
        title=issue.title,
        meeting_kind=meeting_kind,
        proposer=owner,
        description=description,
    )
    issue.agenda_item = item
    issue.save(update_fields=["agenda_item", "updated_at"])
    IssueEvent.objects.create(
        issue=issue,
        kind=IssueEventKind.ESCALATED,
        by=by,
        to_person=owner,
        note=(item.get_meeting_kind_display() + (f"：{note}" if note else ""))[:500],
    )
    return issue


@transaction.atomic
def issue_to_task(
    issue: RaisedIssue,
    *,
    by: Any,
    lead_unit: Organization,
    deadline: dt.date,
    matter: str,
    requirements: str = "",
) -> RaisedIssue:
    """转为督办事项 (003 督查督办 第二条（四）, 第三条（二）专项督查): the 督查小组 registers a task for the unit that must
    solve it, the leader in charge as its responsible leader; supervision numbers, notifies and urges it."""
    issue, owner = _issue_locked(
        issue, by, _("督办事项由督查小组（党委办公室）立项登记（督查督办 第四条（一））。")
    )
    if issue.supervised_task_id:
        raise DomainError(_("这条诉求已转为督办事项。"))
    today = timezone.localdate()
    if deadline is None or deadline <= today:
        raise DomainError({"deadline": [_("办理时限须晚于今天。")]})
    if not matter.strip():
        raise DomainError({"matter": [_("请写明督办事项。")]})
    task = task_register(
        registered_by=by,
        title=issue.title,
        source=TASK_SOURCE,
        kind=TASK_KIND,
        assigned_on=today,
        lead_unit=lead_unit,
        leader=owner,
        matter=matter,
        deadline=deadline,
        requirements=requirements,
        source_detail=_reference(issue)[:200],
    )
    issue.supervised_task = task
    issue.save(update_fields=["supervised_task", "updated_at"])
    IssueEvent.objects.create(
        issue=issue,
        kind=IssueEventKind.TASKED,
        by=by,
        to_unit=lead_unit,
        note=_("督办编号 %(number)s，办理时限 %(deadline)s") % {"number": task.number, "deadline": deadline},
    )
    return issue


def pending_asks(issue: RaisedIssue) -> list[IssueEvent]:
    """The leader's requests the office has not acted on yet: an agenda request while the issue has no agenda item,
    a task request while it has no task, and neither once the office has declined it (a reply names it); none once
    the issue is closed. One query."""
    if issue.state == IssueState.CLOSED:
        return []
    kinds = []
    if not issue.agenda_item_id:
        kinds.append(IssueEventKind.ASKED_AGENDA)
    if not issue.supervised_task_id:
        kinds.append(IssueEventKind.ASKED_TASK)
    if not kinds:
        return []
    return list(
        issue.events.filter(kind__in=kinds, replies__isnull=True)
        .select_related("by", "to_person")
        .order_by("at", "pk")
    )


def _asked_for(event: IssueEvent) -> str:
    """What a request asks for, as the issue page shows it: 请党委办公室提请上会（校长办公会）."""
    text = event.get_kind_display()
    return f"{text}（{event.get_meeting_kind_display()}）" if event.meeting_kind else text


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _name_of(user: Any) -> str:
    person = person_of(user)
    return person.name if person is not None else (user.get_full_name() or user.username)


def _issue_line(issue: RaisedIssue) -> str:
    return _("诉求：#%(pk)d %(title)s（%(source)s，%(day)s 提出）") % {
        "pk": issue.pk,
        "title": issue.title,
        "source": issue.get_source_display(),
        "day": timezone.localtime(issue.created_at).date().isoformat(),
    }


@transaction.atomic
def issue_ask_escalation(
    issue: RaisedIssue, *, by: Any, target: str, reason: str, meeting_kind: str = ""
) -> IssueEvent:
    """The leader in charge asks the office to escalate (004 第六条4: 必要时可作为议题提请学校党委会或校长办公会研究解决)
    or to have the 督查小组 supervise it (督查督办 第二条（四）): they cannot do either themselves — agenda items are
    listed by the office (001 三（三）), tasks registered by the 督查小组 (督查督办 第四条（一）). Recorded as an issue
    event with the reason; the office then acts with issue_escalate or issue_to_task. Nothing else changes."""
    if is_office(by):
        raise DomainError(_("党委办公室可直接列为议题或转为督办事项，无需提请。"))
    me = person_of(by) if is_leader(by) else None
    issue = RaisedIssue.objects.select_for_update().get(pk=issue.pk)
    if me is None or issue.owner_id != me.pk:
        raise DomainError(_("只有承办这条诉求的校领导可以向党委办公室提请。"))
    if issue.state == IssueState.CLOSED:
        raise DomainError(_("这条诉求已办结。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("请写明提请理由。")]})
    if len(reason) > REASON_MAX:
        raise DomainError({"reason": [_("提请理由最多 %(n)d 字。") % {"n": REASON_MAX}]})
    if target == ASK_AGENDA:
        if issue.agenda_item_id:
            raise DomainError(_("这条诉求已提请上会。"))
        if meeting_kind not in ESCALATION_MEETING_KINDS:
            raise DomainError({"meeting_kind": [_("请选择党委会或校长办公会（004 第六条4）。")]})
        kind = IssueEventKind.ASKED_AGENDA
    elif target == ASK_TASK:
        if issue.supervised_task_id:
            raise DomainError(_("这条诉求已转为督办事项。"))
        kind, meeting_kind = IssueEventKind.ASKED_TASK, ""
    else:
        raise DomainError({"target": [_("请选择提请上会或转为督办。")]})
    # Refused only while the same request waits for the office; after a decline the leader may ask again.
    if issue.events.filter(kind=kind, replies__isnull=True).exists():
        raise DomainError(_("已向党委办公室提请过，请等待办理。"))
    event = IssueEvent.objects.create(
        issue=issue, kind=kind, by=by, to_person=me, meeting_kind=meeting_kind, note=reason
    )
    # The office home's panel lists pending requests: a change of the issue makes the cached pages be read afresh.
    issue.save(update_fields=["updated_at"])
    subject = (
        _("校领导提请上会：%(title)s")
        if kind == IssueEventKind.ASKED_AGENDA
        else _("校领导提请转为督办：%(title)s")
    ) % {"title": issue.title}
    mail_after_commit(
        office_recipients(),
        subject,
        "\n".join(
            [
                _("承办校领导%(name)s向党委办公室提请（004 第六条4）：") % {"name": me.name},
                "",
                _issue_line(issue),
                _("提请人：%(name)s（承办校领导）") % {"name": me.name},
                _("提请事项：%(what)s") % {"what": _asked_for(event)},
                _("提请理由：%(reason)s") % {"reason": reason},
                _("诉求页：%(url)s") % {"url": site_link(issue.get_absolute_url())},
                "",
                _(
                    "请在诉求页办理：列为议题（001 三（三））、转为督办事项（督查督办 第四条（一）），"
                    "或写明理由不予提请。"
                ),
            ]
        ),
    )
    return event


@transaction.atomic
def issue_decline_ask(issue: RaisedIssue, *, by: Any, ask_id: int, reason: str) -> IssueEvent:
    """The office answers a leader's request without acting on it, with its reason (如：可由职能部门直接办理；不属于党委会
    议事范围): listing an agenda item is the office's decision (001 三（三）), registering a task the 督查小组's (督查督办
    第四条（一）). Recorded as an issue event that names the request, which is then no longer pending, so the leader may
    ask again; the leader is emailed after the commit. The issue stays with the leader, open."""
    if not is_office(by):
        raise DomainError(_("只有党委办公室可以答复校领导的提请。"))
    issue = RaisedIssue.objects.select_for_update(of=("self",)).get(pk=issue.pk)
    if issue.state == IssueState.CLOSED:
        raise DomainError(_("这条诉求已办结。"))
    ask = next((e for e in pending_asks(issue) if e.pk == ask_id), None)
    if ask is None:
        raise DomainError(_("这项提请已办理或已答复，请刷新页面查看。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("请写明不予提请的理由。")]})
    if len(reason) > REASON_MAX:
        raise DomainError({"reason": [_("理由最多 %(n)d 字。") % {"n": REASON_MAX}]})
    event = IssueEvent.objects.create(
        issue=issue,
        kind=IssueEventKind.DECLINED_ASK,
        by=by,
        to_person=ask.to_person,
        meeting_kind=ask.meeting_kind,
        ask=ask,
        note=reason,
    )
    issue.save(update_fields=["updated_at"])  # the office panel and the leader's pages are read afresh
    leader = ask.to_person
    if leader is not None:
        mail_after_commit(
            [leader.contact_email],
            _("党委办公室不予提请：%(title)s") % {"title": issue.title},
            "\n".join(
                [
                    _("%(name)s：党委办公室答复了您的提请，不予提请。") % {"name": leader.name},
                    "",
                    _issue_line(issue),
                    _("您的提请：%(what)s，%(when)s") % {"what": _asked_for(ask), "when": _when(ask.at)},
                    _("您的理由：%(reason)s") % {"reason": ask.note},
                    _("不予提请的理由：%(reason)s") % {"reason": reason},
                    _("答复人：%(name)s（党委办公室），%(when)s")
                    % {"name": _name_of(by), "when": _when(event.at)},
                    _("诉求页：%(url)s") % {"url": site_link(issue.get_absolute_url())},
                    "",
                    _(
                        "诉求仍由您承办（004 第六条3：能答复或解决的应尽快答复或解决）；"
                        "如仍需学校研究或督办，可在诉求页补充理由后再次提请。"
                    ),
                ]
            ),
        )
    return event
