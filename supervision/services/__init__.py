"""Writes for supervision/: every change to a supervised task goes through one of these functions (keyword-only,
full_clean, in a transaction). Refusals are `governance.errors.DomainError`s with a Chinese message."""

from governance.errors import DomainError

from .extensions import extension_decide, extension_request
from .numbering import format_number, number_allocate
from .rounds import round_record
from .tasks import (
    kind_needs_approval,
    progress_report,
    task_accept,
    task_approve,
    task_archive,
    task_complete,
    task_may_open,
    task_notify,
    task_register,
    task_return,
    task_submit,
    urging_record,
)
from .units import unit_contact_add
from .warnings import warning_issue, warning_level_due

__all__ = [
    "task_may_open",
    "DomainError",
    "extension_decide",
    "extension_request",
    "format_number",
    "kind_needs_approval",
    "number_allocate",
    "progress_report",
    "round_record",
    "task_accept",
    "task_approve",
    "task_archive",
    "task_complete",
    "task_notify",
    "task_register",
    "task_return",
    "task_submit",
    "unit_contact_add",
    "urging_record",
    "warning_issue",
    "warning_level_due",
]
