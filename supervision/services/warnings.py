"""Graded warning notices (黄色预警通知单, 红色预警督办单): the office issues one on a task at its deadline colour — yellow
when the deadline is near, red when it has passed (第四条（三）: 督查小组……对未按时完成的督办工作……及时进行催办; 第六条) —
and prints it like the 督查督办通知单. Issued by the office, not by the urging job: a printed, stamped notice is the
office's decision; the job's daily urging emails go on regardless. Once per level and deadline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from governance.errors import DomainError, clean_or_refuse
from supervision.models import SupervisedTask, TaskAction, TaskColour, WarningLevel, WarningNotice

from .tasks import _event, _locked, _mail_after_commit, _refuse_unless_office, _task_lines, _unit_contacts


def warning_level_due(task: SupervisedTask) -> str:
    """The level the task's colour calls for today ('' when green or not open)."""
    from supervision.selectors import workday_edge

    today = timezone.localdate()
    colour = task.colour(today, workday_edge(today))
    levels: dict[str, str] = {TaskColour.AMBER: WarningLevel.AMBER, TaskColour.RED: WarningLevel.RED}
    return levels.get(colour, "")


@transaction.atomic
def warning_issue(*, task: SupervisedTask, user: Any, note: str = "") -> WarningNotice:
    """Issue the warning the task's colour calls for; its lead unit's people (and, for a red one, the responsible
    leader) are emailed after the commit."""
    _refuse_unless_office(user, _("预警通知由督查小组（党委办公室）发出。"))
    task = _locked(task)
    level = warning_level_due(task)
    if not level:
        raise DomainError(
            _("该事项现在不需要预警：临近期限时发黄色预警通知单，逾期后发红色预警督办单。")
            if task.is_open
            else _("“%(state)s”状态的事项无需预警。") % {"state": task.get_state_display()}
        )
    if WarningNotice.objects.filter(task=task, level=level, deadline=task.deadline).exists():
        raise DomainError(
            _("该事项已发出过%(level)s（办理时限 %(deadline)s）。")
            % {"level": WarningLevel(level).label, "deadline": f"{task.deadline:%Y-%m-%d}"}
        )
    notice = WarningNotice(
        recorded_by=user, task=task, level=level, deadline=task.deadline, note=(note or "").strip()
    )
    clean_or_refuse(notice)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError as error:
        raise DomainError(_("该事项刚刚已发出同一等级的预警。")) from error
    label = WarningLevel(level).label
    _event(
        task, action=TaskAction.WARN, user=user, note=f"{label}" + (f"：{notice.note}" if notice.note else "")
    )
    people = _unit_contacts(task.lead_unit_id, timezone.localdate())
    if level == WarningLevel.RED:
        people.append(task.leader)
    with override(settings.LANGUAGE_CODE):
        _mail_after_commit(
            people,
            f"{label}：{task.number} {task.title}",
            (
                _(
                    "以下督办事项已逾期，现发出红色预警督办单。请主办单位立即办理并书面说明逾期原因（第四条（三）、第六条）。"
                )
                if level == WarningLevel.RED
                else _(
                    "以下督办事项临近办理时限，现发出黄色预警通知单，请抓紧办理，按时报结（第四条（三））。"
                )
            )
            + (f"\n{_('督办要求')}：{notice.note}" if notice.note else "")
            + "\n\n"
            + _task_lines(task),
        )
    return notice
