"""Meetings and their private attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from communication.models import Meeting, MeetingAttachment
from governance.models import Organization, Person

from .common import DomainError, clean_or_refuse, refuse_unless_office

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


@transaction.atomic
def meeting_create(
    *,
    created_by,
    organization: Organization,
    kind: str,
    title: str,
    date: dt.date,
    start_time: dt.time,
    chair: Person,
    end_time: dt.time | None = None,
    place: str = "",
    attendees: Iterable[Person] = (),
    observers: Iterable[Person] = (),
    agenda: str = "",
    minutes: str = "",
    confidential: bool = True,
    topics_announced_on: dt.date | None = None,
    preparation_start: dt.date | None = None,
) -> Meeting:
    refuse_unless_office(created_by, _("会议由党委办公室登记（000 五（二）：党委办公室负责记录存档）。"))
    meeting = Meeting(
        recorded_by=created_by,
        organization=organization,
        kind=kind,
        title=title,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place,
        chair=chair,
        agenda=agenda,
        minutes=minutes,
        confidential=confidential,
        topics_announced_on=topics_announced_on,
        preparation_start=preparation_start,
    )
    clean_or_refuse(meeting)
    attendees = list(attendees)
    observers = list(observers)
    both = {p.pk for p in attendees} & {p.pk for p in observers}
    if both:
        names = "、".join(p.name for p in attendees if p.pk in both)
        raise DomainError({"observers": _("%(names)s已是参会人员，不必再列为列席人员。") % {"names": names}})
    meeting.save()
    meeting.attendees.set(attendees)
    meeting.observers.set(observers)
    return meeting


@transaction.atomic
def meeting_attachment_add(
    *, meeting: Meeting, file: UploadedFile, name: str = "", uploaded_by
) -> MeetingAttachment:
    """Store a file for `meeting` in private storage (never a public URL)."""
    refuse_unless_office(uploaded_by, _("会议附件由党委办公室上传。"))
    if file.size is not None and file.size > MAX_ATTACHMENT_BYTES:
        raise DomainError({"file": _("附件不能超过 50 MB。")})
    attachment = MeetingAttachment(
        meeting=meeting, file=file, name=(name or "").strip() or file.name or "", uploaded_by=uploaded_by
    )
    clean_or_refuse(attachment)
    attachment.save()
    return attachment
