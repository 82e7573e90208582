"""Writes for communication/: every change to a meeting, agenda item, opinion, talk or absence goes through one of
these functions (keyword-only, full_clean, in a transaction). Refusals are `DomainError`s with a Chinese message."""

from .absences import absence_delete, absence_record, absence_update
from .agenda import (
    Consultee,
    agenda_item_add_consultee,
    agenda_item_create,
    agenda_item_decide,
    agenda_item_may_open,
    agenda_item_open_consultation,
    agenda_item_refresh_status,
    agenda_item_required_consultees,
    agenda_item_schedule,
    not_ready_message,
    opinion_record,
    opinion_resolve,
    ruleset_for,
)
from .changes import CHANGE_REASON_MAX
from .common import DomainError
from .meetings import meeting_attachment_add, meeting_create, meeting_delete, meeting_update
from .talks import sibitan_remind_pairs, talk_delete, talk_record, talk_update

__all__ = [
    "agenda_item_may_open",
    "CHANGE_REASON_MAX",
    "Consultee",
    "DomainError",
    "absence_delete",
    "absence_record",
    "absence_update",
    "agenda_item_add_consultee",
    "agenda_item_create",
    "agenda_item_decide",
    "agenda_item_open_consultation",
    "agenda_item_refresh_status",
    "agenda_item_required_consultees",
    "agenda_item_schedule",
    "meeting_attachment_add",
    "meeting_create",
    "meeting_delete",
    "meeting_update",
    "not_ready_message",
    "opinion_record",
    "opinion_resolve",
    "ruleset_for",
    "sibitan_remind_pairs",
    "talk_delete",
    "talk_record",
    "talk_update",
]
