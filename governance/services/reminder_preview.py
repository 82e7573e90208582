"""What the next reminder run will send, for the office to read beforehand: per person, the subject and the text and
HTML bodies exactly as the run renders them.

The preview is the run's own first step and rendering (governance.services.reminders: `reminders_plan`, then
`digest_render` per recipient), stopped before `reminders_collect` writes anything: no ReminderDigest, ReminderSent
or ReminderSectionSent row, no email, no task. It reads the data as it stands now: a record entered before the run
takes its item out of the run, and an item another run claims first is left out of that run's email.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.utils import timezone

from governance.families import DigestSection
from governance.models import Person
from governance.services.reminders import (
    PersonReminders,
    ReminderItem,
    digest_render,
    reminders_plan,
)

logger = logging.getLogger(__name__)

REMINDER_TASK = "governance.tasks.send_reminders"  # the daily job (governance.services.schedules)


@dataclass
class DigestPreview:
    """One email the run would send: to whom, what it reminds of, and the message as rendered."""

    person: Person
    email: str
    items: list[ReminderItem]
    sections: list[DigestSection]
    subject: str
    body_text: str
    body_html: str

    @property
    def overdue(self) -> list[ReminderItem]:
        return [i for i in self.items if i.is_overdue]

    @property
    def due_soon(self) -> list[ReminderItem]:
        return [i for i in self.items if not i.is_overdue]


@dataclass
class ReminderPreview:
    day: dt.date  # the day the run is for (its `today`)
    digests: list[DigestPreview] = field(default_factory=list)
    without_email: list[PersonReminders] = field(
        default_factory=list
    )  # would be reminded but have no address

    @property
    def item_count(self) -> int:
        return sum(len(d.items) for d in self.digests)

    @property
    def section_count(self) -> int:
        return sum(len(d.sections) for d in self.digests)

    def digest_for(self, person_id: int) -> DigestPreview | None:
        return next((d for d in self.digests if d.person.pk == person_id), None)


def reminders_preview(*, day: dt.date) -> ReminderPreview:
    """The emails the reminder run for `day` would send, as things stand now. Reads only (the same queries as the
    run's plan); writes no row and sends nothing."""
    plan = reminders_plan(today=day)
    digests = [
        DigestPreview(
            person=entry.person,
            email=entry.email,
            items=entry.items,
            sections=entry.sections,
            **digest_render(entry, today=day),
        )
        for entry in plan.recipients
    ]
    return ReminderPreview(day=day, digests=digests, without_email=plan.without_email)


def next_reminder_run() -> dt.datetime | None:
    """When the daily reminder task runs next (its crontab in the admin's 周期任务, in its time zone), or None when
    it is disabled, missing or not on a crontab. Two queries."""
    from django_celery_beat.models import PeriodicTask

    task = (
        PeriodicTask.objects.filter(task=REMINDER_TASK, enabled=True, crontab__isnull=False)
        .select_related("crontab")
        .order_by("pk")
        .first()
    )
    if task is None or task.crontab is None:
        return None
    try:
        # The crontab's next matching minute after now (celery's own arithmetic, as beat uses it).
        after, step, _now = task.crontab.schedule.remaining_delta(timezone.now())
        return after + step
    except Exception:  # a crontab the office typed that celery cannot read: say "not scheduled", never fail
        logger.exception("could not compute the next run of %s", REMINDER_TASK)
        return None
