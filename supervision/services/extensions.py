"""Extension requests (第五条): 确因特殊情况不能按时、按要求办结的，承办单位须及时与具体工作的分管校领导请示，并将相关情况
向督查小组反馈.

The lead unit asks (reason and proposed date); the responsible leader approves or refuses. An approval moves the task's
deadline (its colours and urging follow the new one); the task keeps `original_deadline`, so the statistics still
count it against the deadline it was given, and separately as extended. Each step is a `TaskEvent` and a line of
the audit history; the emails go after the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from governance.errors import DomainError, clean_or_refuse
from supervision.conf import setting
from supervision.models import (
    REPORTING_STATES,
    ApprovalChannel,
    ExtensionRequest,
    ExtensionStatus,
    SupervisedTask,
    TaskAction,
    amber_from,
)
from supervision.permissions import approves_on_behalf, can_act_for_lead_unit, can_decide_extension

from .tasks import (
    NOT_CLEANED,
    _actor_name,
    _event,
    _locked,
    _mail_after_commit,
    _save,
    _task_lines,
    _unit_contacts,
    on_behalf_note,
)


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


# django-simple-history keeps a change's reason in 100 characters (tasks._save cuts there).
REASON_MAX = 100


def _request_reason(proposed_deadline: dt.date, reason: str) -> str:
    """申请延期至 <date>（理由：…）, the request's reason shortened (…) to fit the history's reason, the closing
    bracket kept."""
    text = _("申请延期至 %(new)s（理由：%(reason)s）")
    full = text % {"new": _day(proposed_deadline), "reason": reason}
    if len(full) <= REASON_MAX:
        return full
    room = REASON_MAX - len(text % {"new": _day(proposed_deadline), "reason": ""}) - 1
    return text % {"new": _day(proposed_deadline), "reason": reason[: max(room, 0)] + "…"}


@transaction.atomic
def extension_request(
    *, task: SupervisedTask, user: Any, reason: str, proposed_deadline: dt.date | None
) -> ExtensionRequest:
    """The lead unit's head or liaison (or the office on its behalf) asks the responsible leader for a later
    deadline. Only while the unit is working on the task, and one request at a time."""
    task = _locked(task)
    if not can_act_for_lead_unit(user, task):
        raise DomainError(_("只有主办单位的负责人、联络员（或党委办公室代为登记）可以申请延期（第五条）。"))
    if task.state not in REPORTING_STATES:
        raise DomainError(
            _("“%(state)s”状态的事项不能申请延期：签收办理后、报结之前才能申请。")
            % {"state": task.get_state_display()}
        )
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = _("请写明不能按时办结的特殊情况（第五条）。")
    today = timezone.localdate()
    if proposed_deadline is None:
        errors["proposed_deadline"] = _("请填写申请延至的日期。")
    elif proposed_deadline <= task.deadline:
        errors["proposed_deadline"] = _("申请延至的日期须晚于现在的办理时限（%(deadline)s）。") % {
            "deadline": _day(task.deadline)
        }
    elif proposed_deadline <= today:
        errors["proposed_deadline"] = _("申请延至的日期须晚于今天。")
    if errors:
        raise DomainError(errors)
    if ExtensionRequest.objects.filter(task=task, status=ExtensionStatus.PENDING).exists():
        raise DomainError(_("该事项已有一份延期申请在等待分管校领导审批。"))
    assert proposed_deadline is not None  # noqa: S101 - checked above
    extension = ExtensionRequest(
        recorded_by=user,
        task=task,
        reason=reason.strip(),
        current_deadline=task.deadline,
        proposed_deadline=proposed_deadline,
    )
    clean_or_refuse(extension)
    try:
        with transaction.atomic():
            extension.save()
    except IntegrityError as error:  # a second request saved at the same moment
        raise DomainError(_("该事项已有一份延期申请在等待分管校领导审批。")) from error
    # The audit history's line too (第五条: the request is a step of the task's record like the leader's answer): who
    # asked, when, for which date and why, though no field of the task changes until the answer.
    _save(task, user=user, reason=_request_reason(proposed_deadline, extension.reason))
    _event(
        task,
        action=TaskAction.EXTENSION_REQUEST,
        user=user,
        note=_("申请由 %(old)s 延至 %(new)s。理由：%(reason)s")
        % {"old": _day(task.deadline), "new": _day(proposed_deadline), "reason": extension.reason},
        new_deadline=proposed_deadline,
    )
    with override(settings.LANGUAGE_CODE):
        _mail_after_commit(
            [task.leader],
            _("延期申请待您审批：%(number)s") % {"number": task.number},
            _("主办单位%(unit)s因特殊情况申请将以下督办事项的办理时限由 %(old)s 延至 %(new)s（第五条）。")
            % {
                "unit": task.lead_unit.name,
                "old": _day(extension.current_deadline),
                "new": _day(proposed_deadline),
            }
            + "\n"
            + _("延期理由：%(reason)s") % {"reason": extension.reason}
            + "\n\n"
            + _task_lines(task),
        )
    return extension


def _pending(extension: ExtensionRequest) -> ExtensionRequest:
    found = (
        ExtensionRequest.objects.select_for_update()
        .filter(pk=extension.pk, status=ExtensionStatus.PENDING)
        .first()
    )
    if found is None:
        raise DomainError(_("这份延期申请已经审批过了。"))
    return found


@transaction.atomic
def extension_decide(
    *, extension: ExtensionRequest, user: Any, approve: bool, note: str = "", channel: str = ""
) -> ExtensionRequest:
    """The responsible leader approves or refuses (第五条: 与具体工作的分管校领导请示). The answer is the leader's: the
    leader answers here, or the office enters the answer the leader gave on paper, by phone or in person (`channel`,
    required then), and the request, the timeline, the audit history and the unit's email then say who entered it and
    how — never that the leader did it in the portal (as task_approve does for a registration's approval). A refusal
    says why. An approval moves the deadline; the original deadline stays on the task. Either answer is a line of
    the task's audit history."""
    extension = _pending(extension)
    task = _locked(extension.task)
    if not can_decide_extension(user, task):
        raise DomainError(
            _("延期申请由分管校领导%(leader)s审批（第五条），承办单位不能审批本单位的申请。")
            % {"leader": task.leader.name}
        )
    on_behalf = approves_on_behalf(user, task)
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if on_behalf and channel not in ApprovalChannel.values:
        errors["channel"] = _("请选择分管校领导答复的方式：书面、电话或当面。")
    if not approve and not note:
        errors["note"] = _("不同意延期时，请写明理由，以便承办单位抓紧办理。")
    if errors:
        raise DomainError(errors)
    if approve and not task.is_open:
        raise DomainError(_("“%(state)s”状态的事项无需再延期。") % {"state": task.get_state_display()})
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = task.leader  # the answer is the leader's, whoever enters it
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension.decision_recorded_by_name = _actor_name(user)[:100] if on_behalf else ""
    extension.decision_channel = channel if on_behalf else ""
    extension._history_user = user  # type: ignore[attr-defined]
    clean_or_refuse(extension)
    extension.save()
    action = TaskAction.EXTENSION_APPROVE if approve else TaskAction.EXTENSION_REFUSE
    entered = ""
    if on_behalf:
        said = _("%(leader)s同意延期") if approve else _("%(leader)s不同意延期")
        entered = on_behalf_note(said % {"leader": task.leader.name}, channel)
    old = task.deadline
    if approve:
        task.deadline = extension.proposed_deadline
        task.amber_from = amber_from(
            task.assigned_on, task.deadline, float(setting("SUPERVISION_AMBER_SHARE"))
        )
        clean_or_refuse(task, exclude=NOT_CLEANED)
        text = _("同意由 %(old)s 延至 %(new)s。") % {"old": _day(old), "new": _day(task.deadline)}
    else:
        text = _("不同意延期，办理时限仍为 %(old)s。") % {"old": _day(old)}
    # The audit history's line: a refusal changes no field of the task but is said there too, with who entered it.
    label = str(TaskAction(action).label)
    _save(task, user=user, reason=f"{label}（{entered}）" if entered else label)
    _event(
        task,
        action=action,
        user=user,
        note=(f"{entered}。" if entered else "") + text + (f"{_('审批意见')}：{note}" if note else ""),
        new_deadline=task.deadline if approve else None,
    )
    with override(settings.LANGUAGE_CODE):
        subject = (_("延期申请已同意：%(number)s") if approve else _("延期申请未获同意：%(number)s")) % {
            "number": task.number
        }
        _mail_after_commit(
            _unit_contacts(task.lead_unit_id, timezone.localdate()),
            subject,
            _("分管校领导%(leader)s审批了贵单位的延期申请：") % {"leader": task.leader.name}
            + text
            + (f"\n{_('审批意见')}：{note}" if note else "")
            + (f"\n{extension.decision_text}。" if on_behalf else "")
            + "\n\n"
            + _task_lines(task),
        )
    return extension
