"""Default periodic tasks for django-celery-beat's DatabaseScheduler.

They are rows, not settings: the office changes their times in the admin (周期任务), and deploys never reset them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultSchedule:
    name: str
    task: str
    minute: str
    hour: str
    day_of_week: str = "*"
    description: str = ""


DEFAULT_SCHEDULES: list[DefaultSchedule] = [
    DefaultSchedule(
        name="节假日数据检查（每周一 08:00）",
        task="governance.tasks.calendar_coverage_check",
        minute="0",
        hour="8",
        day_of_week="1",
        description="检查当前及下一年度的法定节假日数据是否已录入；缺失时邮件提醒党委办公室。",
    ),
    DefaultSchedule(
        name="工作提醒邮件（每天 08:00）",
        task="governance.tasks.send_reminders",
        minute="0",
        hour="8",
        description="给每位领导发送一封汇总邮件：即将到期和已逾期的工作，注明依据条款和办理链接；每项只提醒一次。"
        "同时重发此前未能发出的提醒。",
    ),
]


def ensure_periodic_tasks(schedules: list[DefaultSchedule] | None = None) -> int:
    """Create any missing default periodic task. Returns how many were created."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = 0
    for item in schedules or DEFAULT_SCHEDULES:
        if PeriodicTask.objects.filter(task=item.task).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=item.minute,
            hour=item.hour,
            day_of_week=item.day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.create(
            name=item.name, task=item.task, crontab=crontab, description=item.description
        )
        created += 1
    return created
