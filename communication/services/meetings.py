"""Meetings and their private attachments: recording, correcting and deleting them (the office's, 000 五（二））."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from communication.models import Meeting, MeetingAttachment, MeetingKind
from communication.permissions import can_change_meeting
from governance.models import Organization, Person

from .changes import change_reason_or_refuse, same_people, stamp, stamped
from .common import DomainError, clean_or_refuse, refuse_unless_office

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
# How many files one save of the meeting form may add (each up to MAX_ATTACHMENT_BYTES).
MAX_ATTACHMENTS_AT_ONCE = 10

# The fields an edit may change, compared to tell whether anything changed at all.
EDITABLE_FIELDS = (
    "organization_id",
    "kind",
    "title",
    "date",
    "start_time",
    "end_time",
    "place",
    "chair_id",
    "agenda",
    "minutes",
    "confidential",
    "topics_announced_on",
    "preparation_start",
)


def _refuse_attending_twice(attendees: Sequence[Person], observers: Sequence[Person]) -> None:
    both = {p.pk for p in attendees} & {p.pk for p in observers}
    if both:
        names = "、".join(p.name for p in attendees if p.pk in both)
        raise DomainError({"observers": _("%(names)s已是参会人员，不必再列为列席人员。") % {"names": names}})


def _attachments_or_refuse(files: Iterable[UploadedFile]) -> list[UploadedFile]:
    files = [f for f in files if f is not None]
    if len(files) > MAX_ATTACHMENTS_AT_ONCE:
        raise DomainError(
            {"attachments": _("一次最多上传 %(count)d 个附件。") % {"count": MAX_ATTACHMENTS_AT_ONCE}}
        )
    return files


def _attachment_save(
    *, meeting: Meeting, file: UploadedFile, name: str, uploaded_by: Any, field: str, history: dict[str, Any]
) -> MeetingAttachment:
    """Validate and store one file in private storage (never a public URL); a refusal names the file."""
    if file.size is not None and file.size > MAX_ATTACHMENT_BYTES:
        message = _("附件不能超过 50 MB。")
        if field != "file":
            message = _("“%(name)s”超过 50 MB，附件不能超过 50 MB。") % {"name": file.name}
        raise DomainError({field: message})
    attachment = MeetingAttachment(
        meeting=meeting, file=file, name=(name or "").strip() or file.name or "", uploaded_by=uploaded_by
    )
    try:
        clean_or_refuse(attachment)
    except DomainError as error:
        if field == "file":
            raise
        raise DomainError(
            {field: [_("“%(name)s”：%(error)s") % {"name": file.name, "error": m} for m in error.messages]}
        ) from error
    stamp([attachment], **history)
    attachment.save()
    return attachment


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
    attachments: Iterable[UploadedFile] = (),
) -> Meeting:
    """Record a meeting with its people and, in the same transaction, its attachments: a refused file saves
    nothing."""
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
    _refuse_attending_twice(attendees, observers)
    files = _attachments_or_refuse(attachments)
    history: dict[str, Any] = {"by": created_by, "reason": None}
    with stamped([meeting], **history) as history["at"]:
        meeting.save()
        meeting.attendees.set(attendees)
        meeting.observers.set(observers)
        for file in files:
            _attachment_save(
                meeting=meeting,
                file=file,
                name="",
                uploaded_by=created_by,
                field="attachments",
                history=history,
            )
    return meeting


def _refuse_breaking_linked_records(meeting: Meeting, before: dict[str, Any]) -> None:
    """An edit may not leave the records that point at the meeting wrong: agenda items scheduled on it are of its
    kind and organization (000 四（一）; 001 三（三）), talks counted for its 四必谈 fall in its preparation (000 四（二））."""
    if (meeting.kind, meeting.organization_id) != (before["kind"], before["organization_id"]):
        titles = list(meeting.agenda_items.order_by("pk").values_list("title", flat=True)[:5])
        if titles:
            raise DomainError(
                {
                    "kind" if meeting.kind != before["kind"] else "organization": _(
                        "本次会议已安排议题“%(titles)s”，会议类型和召开单位不能修改；"
                        "如确需修改，请先将议题安排到其他会议。"
                    )
                    % {"titles": "”“".join(titles)}
                }
            )
    talks = list(meeting.preparation_talks.order_by("date").values_list("date", flat=True))
    if not talks:
        return
    if meeting.kind != MeetingKind.DEMOCRATIC_LIFE:
        raise DomainError(
            {
                "kind": _(
                    "已有 %(count)d 次谈心谈话计入本次民主生活会的“四必谈”（000 四（二）），会议类型不能修改。"
                )
                % {"count": len(talks)}
            }
        )
    start = meeting.preparation_start or meeting.date  # required of a democratic life meeting (Meeting.clean)
    outside = [d for d in talks if not (start <= d <= meeting.date)]
    if outside:
        raise DomainError(
            {
                "preparation_start": _(
                    "已计入“四必谈”的谈心谈话中有 %(count)d 次（%(dates)s）不在修改后的会前谈心谈话期间"
                    "（%(start)s 至 %(end)s）内，请核对日期。"
                )
                % {
                    "count": len(outside),
                    "dates": "、".join(f"{d:%Y-%m-%d}" for d in outside[:5]),
                    "start": f"{start:%Y-%m-%d}",
                    "end": f"{meeting.date:%Y-%m-%d}",
                }
            }
        )


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    changed_by,
    change_reason: str,
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
    attachments: Iterable[UploadedFile] = (),
) -> Meeting:
    """Correct a meeting — its facts, people, records — and add attachments, with the same checks as recording it.
    The reason is kept in the audit history with who changed what; the obligation pages follow (their caches are
    stamped by the model signals, governance.services.freshness)."""
    if not can_change_meeting(changed_by, meeting):
        raise DomainError(_("会议记录由党委办公室修改（000 五（二）：党委办公室负责记录存档）。"))
    change_reason = change_reason_or_refuse(change_reason)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = {name: getattr(meeting, name) for name in EDITABLE_FIELDS}
    meeting.organization = organization
    meeting.kind = kind
    meeting.title = title
    meeting.date = date
    meeting.start_time = start_time
    meeting.end_time = end_time
    meeting.place = place
    meeting.chair = chair
    meeting.agenda = agenda
    meeting.minutes = minutes
    meeting.confidential = confidential
    meeting.topics_announced_on = topics_announced_on
    meeting.preparation_start = preparation_start
    clean_or_refuse(meeting)
    attendees = list(attendees)
    observers = list(observers)
    _refuse_attending_twice(attendees, observers)
    _refuse_breaking_linked_records(meeting, before)
    files = _attachments_or_refuse(attachments)
    fields_changed = any(getattr(meeting, name) != value for name, value in before.items())
    people_changed = not (
        same_people(meeting.attendees.all(), attendees) and same_people(meeting.observers.all(), observers)
    )
    if not (fields_changed or people_changed or files):
        raise DomainError(_("没有需要保存的修改。"))
    history: dict[str, Any] = {"by": changed_by, "reason": change_reason}
    with stamped([meeting], **history) as history["at"]:
        if fields_changed:
            meeting.save()
        meeting.attendees.set(attendees)
        meeting.observers.set(observers)
        for file in files:
            _attachment_save(
                meeting=meeting,
                file=file,
                name="",
                uploaded_by=changed_by,
                field="attachments",
                history=history,
            )
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, deleted_by, change_reason: str) -> None:
    """Delete a meeting recorded in error. Its audit history stays, the last entry carrying who deleted it and why
    (so do its attachments'). Refused while agenda items are on it: they would lose their meeting (000 四（一））."""
    if not can_change_meeting(deleted_by, meeting):
        raise DomainError(_("会议记录由党委办公室删除（000 五（二）：党委办公室负责记录存档）。"))
    change_reason = change_reason_or_refuse(change_reason, deleting=True)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    titles = list(meeting.agenda_items.order_by("pk").values_list("title", flat=True)[:5])
    if titles:
        raise DomainError(
            _("本次会议已安排议题“%(titles)s”，不能删除；如确需删除，请先将议题安排到其他会议。")
            % {"titles": "”“".join(titles)}
        )
    history: dict[str, Any] = {"by": deleted_by, "reason": change_reason}
    history["at"] = stamp([meeting], **history)
    # Talks counted for this democratic life meeting's 四必谈 stay, no longer linked to it (each change in its history).
    for talk in meeting.preparation_talks.all():
        talk.democratic_life_meeting = None
        stamp([talk], **history)
        talk.save(update_fields=["democratic_life_meeting", "updated_at"])
    for attachment in meeting.attachments.all():
        stamp([attachment], **history)
        attachment.delete()  # the file stays in private storage: the history names it
    meeting.delete()


def meeting_attachment_add(
    *, meeting: Meeting, file: UploadedFile, name: str = "", uploaded_by
) -> MeetingAttachment:
    """Store a file for `meeting` in private storage (never a public URL)."""
    refuse_unless_office(uploaded_by, _("会议附件由党委办公室上传。"))
    with transaction.atomic():
        return _attachment_save(
            meeting=meeting,
            file=file,
            name=name,
            uploaded_by=uploaded_by,
            field="file",
            history={"by": uploaded_by, "reason": None},
        )
