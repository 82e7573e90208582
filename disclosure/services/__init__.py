"""Writes for disclosure/: every change to an item or an opinion goes through one of these functions (keyword-only,
full_clean, in a transaction). Refusals are `governance.errors.DomainError`s with a Chinese message."""

from governance.errors import DomainError

from .feedback import (
    FEEDBACK_LIMIT,
    PUBLIC_FEEDBACK_LIMIT,
    feedback_assign,
    feedback_escalate,
    feedback_leave,
    feedback_leave_public,
    feedback_record_department_response,
    feedback_respond,
)
from .items import (
    item_approve,
    item_archive,
    item_close_feedback,
    item_propose,
    item_publish,
    item_return,
    item_submit,
    item_update,
)
from .revisions import item_revise, open_revision
from .widening import scope_widen_decide, scope_widen_request

__all__ = [
    "FEEDBACK_LIMIT",
    "PUBLIC_FEEDBACK_LIMIT",
    "DomainError",
    "feedback_assign",
    "feedback_escalate",
    "feedback_leave",
    "feedback_leave_public",
    "feedback_record_department_response",
    "feedback_respond",
    "item_approve",
    "item_archive",
    "item_close_feedback",
    "item_propose",
    "item_publish",
    "item_return",
    "item_revise",
    "item_submit",
    "item_update",
    "open_revision",
    "scope_widen_decide",
    "scope_widen_request",
]
