"""What other apps and the views may call in outreach: recording and correcting activities, assigning linked units
(联系点). Every write runs in one transaction and refuses with a Chinese DomainError; nothing is half-saved."""

from outreach.services.activities import record_activity, team_organization_of, update_activity
from outreach.services.contacts import assign_contact, end_contact
from outreach.services.escalation import (
    ASK_AGENDA,
    ASK_TASK,
    issue_ask_escalation,
    issue_decline_ask,
    issue_escalate,
    issue_to_task,
    pending_asks,
)
from outreach.services.festivals import festival_date, festival_near, upcoming_festivals
from outreach.services.issues import (
    issue_answer,
    issue_assign,
    issue_close,
    issue_feedback,
    issue_record,
    issue_transfer,
    mailbox_limits,
    mailbox_raise,
)
from outreach.services.reception import (
    can_record_session,
    planned_days,
    reception_settings,
    rota_generate,
    session_record,
    sessions_swap,
)

__all__ = [
    "ASK_AGENDA",
    "ASK_TASK",
    "issue_ask_escalation",
    "issue_decline_ask",
    "pending_asks",
    "can_record_session",
    "planned_days",
    "reception_settings",
    "rota_generate",
    "session_record",
    "sessions_swap",
    "assign_contact",
    "end_contact",
    "festival_date",
    "festival_near",
    "issue_answer",
    "issue_assign",
    "issue_close",
    "issue_escalate",
    "issue_feedback",
    "issue_record",
    "issue_to_task",
    "issue_transfer",
    "mailbox_limits",
    "mailbox_raise",
    "record_activity",
    "team_organization_of",
    "update_activity",
    "upcoming_festivals",
]
