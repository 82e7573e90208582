"""Who may see what in communication/: one object (`rules` predicates) and lists (queryset filters), side by side.

`rules` cannot filter querysets, so every predicate here has its queryset twin right next to it, written from the
same sentence, and communication/tests/test_permissions.py checks that they agree over a matrix of users × objects.

- Talks (谈心谈话): their content is confidential to the participants and the office (DESIGN: communication/).
  A talk is visible — listed, opened, its notes read — by its participants and by office staff only.
- Meetings: the facts (kind, date, attendees, agenda) are visible to the office, to the chair, attendees and
  observers, and to whoever sat on the organization's leadership team on the meeting date. Minutes and attachments
  of a confidential meeting (001 三（八）: 沟通交流会议实行保密制度) only to the office, the chair, attendees and
  observers; of a non-confidential meeting to everyone who may see the meeting.
- Absences: the office, the person away, whoever covers for them, whoever was notified, the approving leader.
- Agenda items (议题) and their pre-meeting consultation (000 四（一）, 001 三（三）): managed by the office; seen by
  the office, the item's proposer and everyone asked for an opinion on it (they must know why an item is held back,
  暂缓上会, to exchange views further and reach consensus); a leader records and revises their own opinion only.

This module must not import communication.models at import time (the models' querysets import it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from governance.roles import is_leader, is_office

if TYPE_CHECKING:
    from governance.models import Person

_NO_PERSON = object()


def person_of(user: Any) -> Person | None:
    """The governance.Person linked to a login, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_communication_person", _NO_PERSON)
    if cached is _NO_PERSON:
        from governance.models import Person

        cached = Person.objects.filter(user_id=user.pk).first()
        user._communication_person = cached
    return cached


def _ids(manager_or_list: Any) -> set[int]:
    """Primary keys of a related manager, using a prefetch cache when there is one."""
    if isinstance(manager_or_list, list | tuple | set | frozenset):
        return {p.pk for p in manager_or_list}
    return {p.pk for p in manager_or_list.all()}


# --- Talks ------------------------------------------------------------------------------------------------------


def _talk_participant_or_office(user, talk) -> bool:
    if is_office(user):
        return True
    person = person_of(user)
    if person is None or talk is None:
        return False
    return person.pk in _ids(talk.participants)


@rules.predicate
def can_view_talk(user, talk) -> bool:
    """Participants and the office see a talk (that it happened, with whom, when)."""
    return _talk_participant_or_office(user, talk)


@rules.predicate
def can_view_talk_notes(user, talk) -> bool:
    """A talk's notes are confidential to its participants and the office — today the same people who may see the
    talk at all; kept separate so the two can diverge without touching the pages."""
    return _talk_participant_or_office(user, talk)


def _talk_participant_q(person: Person) -> Q:
    from communication.models import Talk

    through = Talk.participants.through
    return Q(Exists(through.objects.filter(talk_id=OuterRef("pk"), person_id=person.pk)))


def filter_talks_visible(qs: QuerySet, user: Any) -> QuerySet:
    if is_office(user):
        return qs
    person = person_of(user)
    if person is None:
        return qs.none()
    return qs.filter(_talk_participant_q(person))


def filter_talk_notes_visible(qs: QuerySet, user: Any) -> QuerySet:
    if is_office(user):
        return qs
    person = person_of(user)
    if person is None:
        return qs.none()
    return qs.filter(_talk_participant_q(person))


# --- Meetings ---------------------------------------------------------------------------------------------------


def _meeting_participant_ids(meeting) -> set[int]:
    ids = _ids(meeting.attendees) | _ids(meeting.observers)
    ids.add(meeting.chair_id)
    return ids


def _sat_on_team(person: Person, meeting) -> bool:
    from governance.models import Position

    return (
        Position.objects.active_on(meeting.date)
        .filter(person_id=person.pk, team__organization_id=meeting.organization_id)
        .exists()
    )


@rules.predicate
def can_view_meeting(user, meeting) -> bool:
    if is_office(user):
        return True
    person = person_of(user)
    if person is None or meeting is None:
        return False
    return person.pk in _meeting_participant_ids(meeting) or _sat_on_team(person, meeting)


@rules.predicate
def can_view_meeting_records(user, meeting) -> bool:
    """Minutes and attachments (001 三（八）: confidential meetings only to those who took part, and the office)."""
    if is_office(user):
        return True
    person = person_of(user)
    if person is None or meeting is None:
        return False
    if person.pk in _meeting_participant_ids(meeting):
        return True
    return not meeting.confidential and _sat_on_team(person, meeting)


def _meeting_participant_q(person: Person) -> Q:
    from communication.models import Meeting

    attendees = Meeting.attendees.through.objects.filter(meeting_id=OuterRef("pk"), person_id=person.pk)
    observers = Meeting.observers.through.objects.filter(meeting_id=OuterRef("pk"), person_id=person.pk)
    return Q(chair_id=person.pk) | Q(Exists(attendees)) | Q(Exists(observers))


def _meeting_team_q(person: Person) -> Q:
    from governance.models import Position

    positions = Position.objects.filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef("date")),
        person_id=person.pk,
        team__organization_id=OuterRef("organization_id"),
        start__lte=OuterRef("date"),
    )
    return Q(Exists(positions))


def filter_meetings_visible(qs: QuerySet, user: Any) -> QuerySet:
    if is_office(user):
        return qs
    person = person_of(user)
    if person is None:
        return qs.none()
    return qs.filter(_meeting_participant_q(person) | _meeting_team_q(person))


def filter_meeting_records_visible(qs: QuerySet, user: Any) -> QuerySet:
    if is_office(user):
        return qs
    person = person_of(user)
    if person is None:
        return qs.none()
    return qs.filter(_meeting_participant_q(person) | (Q(confidential=False) & _meeting_team_q(person)))


# --- Absences ---------------------------------------------------------------------------------------------------


@rules.predicate
def can_view_absence(user, absence) -> bool:
    if is_office(user):
        return True
    person = person_of(user)
    if person is None or absence is None:
        return False
    if person.pk in (absence.person_id, absence.leave_approved_by_id):
        return True
    if person.pk in _ids(absence.notified):
        return True
    return person.pk in {h.covering_id for h in absence.handovers.all()}


def filter_absences_visible(qs: QuerySet, user: Any) -> QuerySet:
    if is_office(user):
        return qs
    person = person_of(user)
    if person is None:
        return qs.none()
    from communication.models import Absence, Handover

    notified = Absence.notified.through.objects.filter(absence_id=OuterRef("pk"), person_id=person.pk)
    covering = Handover.objects.filter(absence_id=OuterRef("pk"), covering_id=person.pk)
    return qs.filter(
        Q(person_id=person.pk) | Q(leave_approved_by_id=person.pk) | Q(Exists(notified)) | Q(Exists(covering))
    )


@rules.predicate
def can_record_absence(user) -> bool:
    """Leaders report their own absences; the office reports anyone's."""
    return is_office(user) or (is_leader(user) and person_of(user) is not None)


# --- Agenda items -------------------------------------------------------------------------------------------------
# 000 四（一）: 意见不一致的议题暂缓上会，待进一步交换意见、取得共识后再提交会议讨论; 001 三（三） the same. Those the
# item concerns — its proposer and everyone whose opinion is asked — see it, with why it is held back; nobody else
# but the office.


def _agenda_party_ids(item) -> set[int]:
    """The proposer and everyone asked for an opinion (from a prefetch of `opinions` when there is one)."""
    ids = {o.person_id for o in item.opinions.all()}
    ids.add(item.proposer_id)
    return ids


@rules.predicate
def can_view_agenda_item(user, item) -> bool:
    if is_office(user):
        return True
    person = person_of(user)
    if person is None or item is None:
        return False
    return person.pk in _agenda_party_ids(item)


def filter_agenda_items_visible(qs: QuerySet, user: Any) -> QuerySet:
    if is_office(user):
        return qs
    person = person_of(user)
    if person is None:
        return qs.none()
    from communication.models import Opinion

    asked = Opinion.objects.filter(item_id=OuterRef("pk"), person_id=person.pk)
    return qs.filter(Q(proposer_id=person.pk) | Q(Exists(asked)))


# --- Agenda items and talks: recording ---------------------------------------------------------------------------


@rules.predicate
def can_record_opinion(user, opinion) -> bool:
    """The office records anyone's opinion; a leader records (and revises) their own."""
    if is_office(user):
        return True
    person = person_of(user)
    return person is not None and opinion is not None and opinion.person_id == person.pk


@rules.predicate
def can_record_talk(user) -> bool:
    """A leader records their own talks; the office records anyone's."""
    return is_office(user) or (is_leader(user) and person_of(user) is not None)


# --- Correcting a record: edit and delete (issue 8) ----------------------------------------------------------------
# Whoever recorded a record and the office may correct it or delete it, with a reason kept in its audit history; nobody
# else. "Whoever recorded it" still has to be someone who may record such a record today: meetings are recorded by the
# office (000 五（二）: 党委办公室负责记录存档), so only the office changes them; a leader changes the talks and absences
# they entered while they are a leader. The services check the same predicates, whatever page or script calls them.


def _entered_by(user: Any, record: Any) -> bool:
    return (
        record is not None
        and getattr(user, "is_authenticated", False)
        and record.recorded_by_id is not None
        and record.recorded_by_id == user.pk
    )


@rules.predicate
def can_change_meeting(user, meeting) -> bool:
    """The office (every meeting is recorded by the office)."""
    return is_office(user)


@rules.predicate
def can_change_talk(user, talk) -> bool:
    """The office, and the leader who recorded the talk."""
    return is_office(user) or (_entered_by(user, talk) and can_record_talk(user))


@rules.predicate
def can_change_absence(user, absence) -> bool:
    """The office, and the leader who reported the absence."""
    return is_office(user) or (_entered_by(user, absence) and can_record_absence(user))


# Object permissions for `user.has_perm(name, obj)`. Named apart from Django's model permissions (view_/add_/…),
# which stay with the admin and the office group.
rules.set_perm("communication.open_talk", can_view_talk)
rules.set_perm("communication.read_talk_notes", can_view_talk_notes)
rules.set_perm("communication.record_talk", can_record_talk)
rules.set_perm("communication.open_meeting", can_view_meeting)
rules.set_perm("communication.read_meeting_records", can_view_meeting_records)
rules.set_perm("communication.open_absence", can_view_absence)
rules.set_perm("communication.report_absence", can_record_absence)
rules.set_perm("communication.open_agenda_item", can_view_agenda_item)
rules.set_perm("communication.record_opinion", can_record_opinion)
rules.set_perm("communication.change_meeting_record", can_change_meeting)
rules.set_perm("communication.change_talk_record", can_change_talk)
rules.set_perm("communication.change_absence_record", can_change_absence)
