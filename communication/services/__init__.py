"""Writes for communication/: every change to a meeting, agenda item, opinion, talk or absence goes through one of
these functions (keyword-only, full_clean, in a transaction). Refusals are `DomainError`s with a Chinese message."""

from .absences import absence_record
from .agenda import (
    Consultee,
    agenda_item_add_consultee,
    agenda_item_create,
    agenda_item_decide,
    agenda_item_open_consultation,
    agenda_item_refresh_status,
    agenda_item_required_consultees,
    agenda_item_schedule,
    not_ready_message,
    opinion_record,
    opinion_resolve,
    ruleset_for,
)
from .common import DomainError
from .meetings import meeting_attachment_add, meeting_create
from .talks import sibitan_remind_pairs, talk_record

__all__ = [
    "Consultee",
    "DomainError",
    "absence_record",
    "agenda_item_add_consultee",
    "agenda_item_create",
    "agenda_item_decide",
    "agenda_item_open_consultation",
    "agenda_item_refresh_status",
    "agenda_item_required_consultees",
    "agenda_item_schedule",
    "meeting_attachment_add",
    "meeting_create",
    "not_ready_message",
    "opinion_record",
    "opinion_resolve",
    "ruleset_for",
    "sibitan_remind_pairs",
    "talk_record",
]
