"""Writes on supervised tasks: registration (第四条（一）) and every step of the workflow (第四条（二）至（五）), progress
reports (第五条) and the office's urgings (第四条（三）).

Each step checks who may take it and from which state (the model's django-fsm-2 transitions), saves the task under
the concurrent-transition guard, records a `TaskEvent` (who, when, why) and the audit history (with the same reason),
and sends its emails after the commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_fsm import ConcurrentTransition, can_proceed

from governance.errors import DomainError, clean_or_refuse
from governance.models import Organization, Person
from governance.roles import is_office
from governance.services.reminders import site_link
from supervision.conf import setting
from supervision.models import (
    REPORTING_STATES,
    ApprovalChannel,
    NoticeMethod,
    ProgressAttachment,
    ProgressReport,
    SupervisedTask,
    TaskAction,
    TaskEvent,
    TaskKind,
    TaskState,
    UnitContact,
    Urging,
    UrgingChannel,
    amber_from,
)
from supervision.permissions import approves_on_behalf, can_view, person_of, reporting_units

from .numbering import number_allocate

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
MAX_ATTACHMENTS = 10
UNIT_KINDS = (Organization.Kind.COLLEGE, Organization.Kind.DEPARTMENT)
# Set by the services, not typed: the number and dates they derive, and the state, which only transitions change
# (a protected FSM field refuses the assignment full_clean would make).
NOT_CLEANED = ["year", "sequence", "number", "original_deadline", "amber_from", "state"]


def _actor_name(user: Any) -> str:
    person = person_of(user)
    if person is not None:
        return person.name
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _event(
    task: SupervisedTask, *, action: str, user: Any, before: str = "", note: str = "", **extra: Any
) -> TaskEvent:
    return TaskEvent.objects.create(
        task=task,
        action=action,
        from_state=before,
        to_state=task.state if before or action == TaskAction.REGISTER else "",
        actor=user,
        actor_name=_actor_name(user),
        note=note,
        **extra,
    )


def _save(task: SupervisedTask, *, user: Any, reason: str, fields: Sequence[str] = ()) -> None:
    """Save under the concurrent-transition guard, with who and why in the audit history."""
    task._history_user = user  # type: ignore[attr-defined]
    task._change_reason = reason[:100]  # type: ignore[attr-defined]
    try:
        task.save()
    except ConcurrentTransition as error:
        raise DomainError(_("该事项刚刚已被他人处理，请刷新页面查看最新状态后再操作。")) from error


def _unit_contacts(unit_id: int, today: dt.date) -> list[Person]:
    return [
        c.person
        for c in UnitContact.objects.active_on(today)
        .filter(organization_id=unit_id)
        .select_related("person__user")
        .order_by("role", "person__name")
    ]


def _mail_after_commit(people: Iterable[Person | None], subject: str, body: str) -> None:
    """One email to the people with an address, sent after the commit (never for a rolled-back step)."""
    addresses = sorted({p.contact_email for p in people if p is not None and p.contact_email})
    if not addresses:
        return
    full_subject = f"{settings.EMAIL_SUBJECT_PREFIX}{subject}"
    transaction.on_commit(
        partial(send_mail, full_subject, body, None, addresses, fail_silently=True), robust=True
    )


def _task_lines(task: SupervisedTask) -> str:
    return "\n".join(
        [
            f"{_('立项编号')}：{task.number}",
            f"{_('督办事项')}：{task.title}",
            f"{_('主办单位')}：{task.lead_unit.name}",
            f"{_('办理时限')}：{date_format(task.deadline, 'DATE_FORMAT')}",
            f"{_('办理链接')}：{site_link(task.get_absolute_url())}",
        ]
    )


def task_may_open(*, task: SupervisedTask, user: Any) -> bool:
    """Whether `user` may open the task's page: for another family linking to it (an outreach issue turned into a
    task, 督查督办 第二条（四）), which shows the task as text, not as a link that would 404, to anyone else."""
    return can_view(user, task)


def _refuse_unless_office(user: Any, message: str) -> None:
    if not is_office(user):
        raise DomainError(message)


# --- Registration (第四条（一）) --------------------------------------------------------------------------------


@transaction.atomic
def task_register(
    *,
    registered_by: Any,
    title: str,
    source: str,
    kind: str,
    assigned_on: dt.date,
    lead_unit: Organization,
    leader: Person,
    matter: str,
    deadline: dt.date,
    co_units: Iterable[Organization] = (),
    requirements: str = "",
    source_detail: str = "",
    meeting: Any = None,
    agenda_item: Any = None,
    report_cycle: int | None = None,
) -> SupervisedTask:
    """Register a task and give it the year's next number. A joint task or one with co-units then waits for the
    responsible leader's approval (第四条（一）) before its notice can go out."""
    _refuse_unless_office(registered_by, _("督办事项由督查小组（党委办公室）立项登记（第四条（一））。"))
    co_units = list(co_units)
    if lead_unit.kind not in UNIT_KINDS:
        raise DomainError({"lead_unit": _("主办单位须是学院或职能部门。")})
    if any(unit.pk == lead_unit.pk for unit in co_units):
        raise DomainError({"co_units": _("主办单位不必再列为协办单位。")})
    if any(unit.kind not in UNIT_KINDS for unit in co_units):
        raise DomainError({"co_units": _("协办单位须是学院或职能部门。")})
    task = SupervisedTask(
        recorded_by=registered_by,
        title=title.strip(),
        source=source,
        source_detail=source_detail.strip(),
        meeting=meeting,
        agenda_item=agenda_item,
        kind=kind,
        assigned_on=assigned_on,
        lead_unit=lead_unit,
        leader=leader,
        matter=matter.strip(),
        requirements=requirements.strip(),
        deadline=deadline,
        report_cycle=report_cycle,
    )
    if assigned_on and deadline:
        task.original_deadline = deadline
        task.amber_from = amber_from(assigned_on, deadline, float(setting("SUPERVISION_AMBER_SHARE")))
    clean_or_refuse(task, exclude=NOT_CLEANED)
    # The number last, just before the insert: the counter's lock is held as briefly as possible.
    task.year = assigned_on.year
    task.sequence, task.number = number_allocate(year=task.year)
    _save(task, user=registered_by, reason=_("立项登记"))
    task.co_units.set(co_units)
    _event(task, action=TaskAction.REGISTER, user=registered_by, before="")
    if task.needs_approval:
        with override(settings.LANGUAGE_CODE):
            _mail_after_commit(
                [task.leader],
                _("请审定督办事项立项：%(number)s") % {"number": task.number},
                _("以下督办事项涉及多个单位，按第四条（一）须经您审定后正式立项：")
                + "\n\n"
                + _task_lines(task),
            )
    return task


# --- Workflow (第四条（二）至（五）) ----------------------------------------------------------------------------


def _step(
    task: SupervisedTask,
    transition: Callable[[], None],
    *,
    user: Any,
    action: str,
    refused: str,
) -> str:
    """Run one transition on `task` for `user`: refused with a Chinese message when the state does not allow it or
    the user may not take it. Returns the state before."""
    if not can_proceed(transition, check_conditions=False):
        raise DomainError(
            _("“%(state)s”状态的事项不能%(action)s。")
            % {"state": task.get_state_display(), "action": TaskAction(action).label}
        )
    # The permission alone (the conditions were checked before with their own messages).
    if not transition._django_fsm.has_transition_perm(task, task.state, user):  # type: ignore[attr-defined]
        raise DomainError(refused)
    if not can_proceed(transition):
        raise DomainError(
            _("“%(state)s”状态的事项现在还不能%(action)s。")
            % {"state": task.get_state_display(), "action": TaskAction(action).label}
        )
    before = task.state
    transition()
    return before


def _locked(task: SupervisedTask) -> SupervisedTask:
    """The task as stored now (another user may have moved it since the page was shown)."""
    return (
        SupervisedTask.objects.select_related("lead_unit", "leader__user")
        .prefetch_related("co_units")
        .get(pk=task.pk)
    )


# Each workflow step's transition on the model (django-fsm-2), by the action it records.
TRANSITIONS: dict[str, str] = {
    TaskAction.APPROVE: "approve",
    TaskAction.NOTIFY: "notify",
    TaskAction.ACCEPT: "accept",
    TaskAction.SUBMIT: "submit",
    TaskAction.COMPLETE: "complete",
    TaskAction.RETURN: "send_back",
    TaskAction.ARCHIVE: "archive",
}

Changes = Mapping[str, Any] | Callable[[SupervisedTask], Mapping[str, Any]]


def _transition(
    task: SupervisedTask,
    *,
    user: Any,
    action: str,
    refused: str,
    check: Callable[[SupervisedTask], None] | None = None,
    changes: Changes | None = None,
    clean: bool = False,
    note: str | Callable[[SupervisedTask], str] = "",
    reason: Callable[[SupervisedTask], str] | None = None,
    **event: Any,
) -> SupervisedTask:
    """One workflow step, done the same way for every step: load the task as stored now; `check` it (the step's own
    refusals, before the state's); take the model's transition, refused in Chinese when the state or the user does
    not allow it; set the step's `changes` (a mapping, or a function of the loaded task); validate them when `clean`
    (the step stores what the user typed); save under the concurrent-transition guard with the step's name as the
    audit history's reason; record the TaskEvent (who, when, from which state, why — `note`, a text or a function of the
    loaded task, and `event`'s fields); `reason`, a function of the loaded task, words the history's reason itself.
    The step's emails are the caller's, queued after this returns and sent after the commit."""
    task = _locked(task)
    if check is not None:
        check(task)
    before = _step(task, getattr(task, TRANSITIONS[action]), user=user, action=action, refused=refused)
    values = changes(task) if callable(changes) else (changes or {})
    for field, value in values.items():
        setattr(task, field, value)
    if clean:
        clean_or_refuse(task, exclude=NOT_CLEANED)
    _save(task, user=user, reason=reason(task) if reason else str(TaskAction(action).label))
    _event(
        task, action=action, user=user, before=before, note=note(task) if callable(note) else note, **event
    )
    return task


def _check_approvable(task: SupervisedTask) -> None:
    if not task.needs_approval:
        raise DomainError(_("该事项不涉及多个单位，无需审定，可直接发出督办通知。"))
    if task.approved_at is not None:
        raise DomainError(_("该事项已经审定立项。"))


def on_behalf_note(said: str, channel: str) -> str:
    """The timeline's and the audit history's words for a leader's decision the office entered on the leader's behalf
    (第四条（一） an approval, 第五条 an extension's answer): "代为登记：分管校领导孙海涛已审定（书面）". `said` is what the
    leader decided, `channel` how they gave it (an ApprovalChannel value, '' when not said). The event's and the
    history's user is the one who entered it."""
    if channel:
        return _("代为登记：分管校领导%(said)s（%(channel)s）") % {
            "said": said,
            "channel": ApprovalChannel(channel).label,
        }
    return _("代为登记：分管校领导%(said)s") % {"said": said}


@transaction.atomic
def task_approve(*, task: SupervisedTask, user: Any, note: str = "", channel: str = "") -> SupervisedTask:
    """第四条（一）: 督查小组提出立项意见后，报请学校主管领导审定后正式立项. The approval is the responsible leader's: the
    leader approves here, or the office enters the approval the leader gave on paper (the 立项审批表), by phone or in
    person (`channel`), and the task and its record then say who entered it and how — never that the leader did it
    in the portal."""
    me = person_of(user)
    on_behalf = approves_on_behalf(user, task)
    note = note.strip()
    if on_behalf and channel and channel not in ApprovalChannel.values:
        raise DomainError({"channel": _("请选择分管校领导审定的方式：书面、电话或当面。")})
    if not on_behalf:
        channel = ""

    def changes(task: SupervisedTask) -> dict[str, Any]:
        return {
            "approved_by": task.leader if on_behalf else me,
            "approved_at": timezone.now(),
            "approval_recorded_by_name": _actor_name(user)[:100] if on_behalf else "",
            "approval_channel": channel,
        }

    def on_behalf_of(task: SupervisedTask) -> str:
        return on_behalf_note(_("%(leader)s已审定") % {"leader": task.leader.name}, channel)

    return _transition(
        task,
        user=user,
        action=TaskAction.APPROVE,
        refused=_("只有分管校领导（或受其委托的党委办公室）可以审定立项（第四条（一））。"),
        check=_check_approvable,
        changes=changes,
        note=(lambda task: f"{on_behalf_of(task)}。{note}") if on_behalf else note,
        reason=(lambda task: f"{TaskAction.APPROVE.label}（{on_behalf_of(task)}）") if on_behalf else None,
    )


@transaction.atomic
def task_notify(*, task: SupervisedTask, user: Any, method: str, note: str = "") -> SupervisedTask:
    """第四条（二）: the notice (督查督办通知单), or by phone / in person for a task whose meeting already named the
    unit and deadline, or a leader's instruction. The lead unit's and the co-units' heads and liaisons are emailed the
    notice's content (_notice_mail_after_commit)."""

    def check(task: SupervisedTask) -> None:
        if method not in NoticeMethod.values:
            raise DomainError({"method": _("请选择通知方式。")})
        if task.state == TaskState.REGISTERED and task.needs_approval and task.approved_at is None:
            raise DomainError(
                _("该事项涉及多个单位，须经分管校领导%(leader)s审定后才能发出督办通知（第四条（一））。")
                % {"leader": task.leader.name}
            )

    task = _transition(
        task,
        user=user,
        action=TaskAction.NOTIFY,
        refused=_("督办通知由督查小组（党委办公室）发出（第四条（二））。"),
        check=check,
        changes=lambda task: {"notice_method": method, "notified_at": timezone.now()},
        note=note.strip() or (str(NoticeMethod(method).label) if method in NoticeMethod.values else ""),
    )
    _notice_mail_after_commit(task, timezone.localdate())
    return task


def _notice_body(task: SupervisedTask, co_unit_names: str) -> str:
    """What the 督查督办通知单 says (第四条（一）、（二）): the matter, the content, the requirements, the deadline, the
    report cycle (第五条), the lead and co-units and the link."""
    lines = [
        f"{_('立项编号')}：{task.number}",
        f"{_('督办事项')}：{task.title}",
        f"{_('主办单位')}：{task.lead_unit.name}",
        f"{_('协办单位')}：{co_unit_names or _('无')}",
        f"{_('分管校领导')}：{task.leader.name}",
        f"{_('办理时限')}：{date_format(task.deadline, 'DATE_FORMAT')}",
    ]
    if task.report_cycle:
        lines.append(
            _("进展反馈：%(cycle)s向督查小组报送一次办理进展（第五条）")
            % {"cycle": task.get_report_cycle_display()}
        )
    lines += ["", f"{_('督办内容')}：", task.matter]
    if task.requirements:
        lines += ["", f"{_('工作要求')}：", task.requirements]
    lines += ["", f"{_('办理链接')}：{site_link(task.get_absolute_url())}"]
    return "\n".join(lines)


def _notice_mail_after_commit(task: SupervisedTask, today: dt.date) -> None:
    """第四条（二）: the notice goes to every 承办单位 — the lead unit's head and liaisons (主办), and each co-unit's (协办,
    told they are a co-unit and who leads: 第一条（一）牵头单位负责落实，相关单位协同办理). One query for the contacts."""
    co_units = sorted(task.co_units.all(), key=lambda unit: (unit.order, unit.code))
    co_unit_names = "、".join(unit.name for unit in co_units)
    lead_people: dict[int, Person] = {}
    co_people: dict[int, Person] = {}
    for contact in (
        UnitContact.objects.active_on(today)
        .filter(organization_id__in=[task.lead_unit_id, *(unit.pk for unit in co_units)])
        .select_related("person__user")
        .order_by("role", "person__name")
    ):
        target = lead_people if contact.organization_id == task.lead_unit_id else co_people
        target[contact.person_id] = contact.person
    with override(settings.LANGUAGE_CODE):
        body = _notice_body(task, co_unit_names)
        lead_intro = _(
            "贵单位主办以下督办事项，请按要求认真办理，并在办理时限内将办理结果反馈督查小组（第四条（三））。"
        )
        if co_units:
            lead_intro += _("协办单位%(units)s协同办理，请牵头协调（第一条（一））。") % {
                "units": co_unit_names
            }
        _mail_after_commit(
            lead_people.values(),
            _("督查督办通知：%(number)s %(title)s") % {"number": task.number, "title": task.title},
            lead_intro + "\n\n" + body,
        )
        _mail_after_commit(
            [person for pk, person in co_people.items() if pk not in lead_people],
            _("督查督办通知（协办）：%(number)s %(title)s") % {"number": task.number, "title": task.title},
            _(
                "贵单位是以下督办事项的协办单位，主办单位是%(lead)s。请配合主办单位协同办理，并在事项页面报送本单位承担部分的"
                "办理进展（第一条（一）：牵头单位负责落实，相关单位协同办理）。"
            )
            % {"lead": task.lead_unit.name}
            + "\n\n"
            + body,
        )


@transaction.atomic
def task_accept(*, task: SupervisedTask, user: Any, note: str = "") -> SupervisedTask:
    """第四条（三）: 承办单位收到督查督办通知单后，按照要求认真办理."""
    return _transition(
        task,
        user=user,
        action=TaskAction.ACCEPT,
        refused=_("只有主办单位的负责人、联络员（或党委办公室）可以签收办理。"),
        note=note.strip(),
    )


@transaction.atomic
def task_submit(*, task: SupervisedTask, user: Any, result: str) -> SupervisedTask:
    """第四条（三）: 将办理结果在规定时限内反馈至督查小组. Urging stops from here on."""
    result = (result or "").strip()

    def check(task: SupervisedTask) -> None:
        if not result:
            raise DomainError({"result": _("请填写办理结果。")})

    return _transition(
        task,
        user=user,
        action=TaskAction.SUBMIT,
        refused=_("只有主办单位的负责人、联络员（或党委办公室）可以报结。"),
        check=check,
        changes=lambda task: {"result": result, "submitted_at": timezone.now()},
        clean=True,
        note=result,
    )


@transaction.atomic
def task_complete(*, task: SupervisedTask, user: Any, note: str = "") -> SupervisedTask:
    """第四条（四）: 督查小组审核办理情况，认可后办结. A unit never reviews its own completion."""
    task = _transition(
        task,
        user=user,
        action=TaskAction.COMPLETE,
        refused=_("办结审核由督查小组（党委办公室）进行（第四条（四）），承办单位不能审核本单位的办理情况。"),
        changes=lambda task: {"completed_at": timezone.now()},
        note=note.strip(),
    )
    with override(settings.LANGUAGE_CODE):
        _mail_after_commit(
            _unit_contacts(task.lead_unit_id, timezone.localdate()),
            _("督办事项已办结：%(number)s") % {"number": task.number},
            _("督查小组已审核，以下督办事项已办结：") + "\n\n" + _task_lines(task),
        )
    return task


@transaction.atomic
def task_return(*, task: SupervisedTask, user: Any, reason: str, new_deadline: dt.date) -> SupervisedTask:
    """第四条（四）: 凡是应办理而未办理或未办理好的，责成承办单位限期办理并报告落实情况 — with the reasons and a new
    deadline. The deadline colours and urging run again from the new deadline."""
    reason = (reason or "").strip()
    today = timezone.localdate()

    def check(task: SupervisedTask) -> None:
        errors: dict[str, str] = {}
        if not reason:
            errors["reason"] = _("请写明退回的理由：哪些应办理而未办理或未办理好。")
        if new_deadline is None:
            errors["new_deadline"] = _("请给出新的办理时限。")
        elif new_deadline <= today:
            errors["new_deadline"] = _("新的办理时限须晚于今天。")
        if errors:
            raise DomainError(errors)

    task = _transition(
        task,
        user=user,
        action=TaskAction.RETURN,
        refused=_("退回由督查小组（党委办公室）在办结审核时作出（第四条（四））。"),
        check=check,
        changes=lambda task: {
            "deadline": new_deadline,
            "amber_from": amber_from(today, new_deadline, float(setting("SUPERVISION_AMBER_SHARE"))),
            "submitted_at": None,
        },
        clean=True,
        note=reason,
        new_deadline=new_deadline,
    )
    with override(settings.LANGUAGE_CODE):
        _mail_after_commit(
            _unit_contacts(task.lead_unit_id, today),
            _("督办事项退回限期办理：%(number)s") % {"number": task.number},
            _("督查小组审核后，责成贵单位限期办理并报告落实情况（第四条（四））。")
            + "\n"
            + _("退回理由：%(reason)s") % {"reason": reason}
            + "\n\n"
            + _task_lines(task),
        )
    return task


@transaction.atomic
def task_archive(*, task: SupervisedTask, user: Any, note: str = "") -> SupervisedTask:
    """第四条（五）: 督查事项办结后……立卷归档、妥善保管."""
    return _transition(
        task,
        user=user,
        action=TaskAction.ARCHIVE,
        refused=_("立卷归档由督查小组（党委办公室）进行（第四条（五））。"),
        changes=lambda task: {"archived_at": timezone.now()},
        note=note.strip(),
    )


# --- Progress (第五条) and urging (第四条（三）) ------------------------------------------------------------------


@transaction.atomic
def progress_report(
    *,
    task: SupervisedTask,
    user: Any,
    unit: Organization,
    text: str,
    reported_on: dt.date | None = None,
    files: Sequence[UploadedFile] = (),
) -> ProgressReport:
    """A unit's progress report, or a co-unit's part (协同办理), with attachments in private storage."""
    task = _locked(task)
    if task.state not in REPORTING_STATES:
        raise DomainError(_("“%(state)s”状态的事项不再接收进展反馈。") % {"state": task.get_state_display()})
    if unit.pk not in reporting_units(user, task):
        raise DomainError({"unit": _("您只能为本人负责或联络的主办、协办单位反馈进展。")})
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError({"files": _("一次最多上传 %(count)d 个附件。") % {"count": MAX_ATTACHMENTS}})
    for upload in files:
        if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
            raise DomainError({"files": _("附件“%(name)s”超过 50 MB。") % {"name": upload.name}})
    report = ProgressReport(
        recorded_by=user,
        task=task,
        unit=unit,
        reported_on=reported_on or timezone.localdate(),
        text=(text or "").strip(),
    )
    clean_or_refuse(report)
    report.save()
    for upload in files:
        attachment = ProgressAttachment(report=report, file=upload, name=upload.name or "", uploaded_by=user)
        clean_or_refuse(attachment)
        attachment.save()
    _event(task, action=TaskAction.REPORT, user=user, note=f"{unit.name}：{report.text}")
    return report


@transaction.atomic
def urging_record(
    *, task: SupervisedTask, user: Any, channel: str, urged_on: dt.date | None = None, note: str = ""
) -> Urging:
    """The office logs an urging it made by phone, in a meeting (约见) or by letter (第四条（三）)."""
    _refuse_unless_office(user, _("催办由督查小组（党委办公室）进行并登记（第四条（三））。"))
    task = _locked(task)
    if not task.is_open:
        raise DomainError(_("“%(state)s”状态的事项无需催办。") % {"state": task.get_state_display()})
    if channel not in UrgingChannel.values or channel == UrgingChannel.EMAIL:
        raise DomainError({"channel": _("请选择电话、约见或书面；催办邮件由系统按周期自动发送并记录。")})
    urging = Urging(
        recorded_by=user,
        task=task,
        channel=channel,
        urged_on=urged_on or timezone.localdate(),
        note=note.strip(),
    )
    clean_or_refuse(urging)
    urging.save()
    _event(
        task,
        action=TaskAction.URGE,
        user=user,
        note=f"{urging.get_channel_display()}：{urging.note}".rstrip("："),
    )
    return urging


def kind_needs_approval(kind: str, co_units: Sequence[Any]) -> bool:
    """Whether a task of `kind` with `co_units` will wait for the leader's approval (the register form says so)."""
    return kind == TaskKind.JOINT or bool(co_units)
