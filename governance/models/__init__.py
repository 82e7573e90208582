from .alerts import OfficeAlert
from .base import PrivateAttachment, RecordedModel
from .calendar import AcademicYear, HolidayDate, HolidayYear, Semester
from .obligations import ObligationExcuse, ObligationRule, PolicyPack
from .organizations import LeadershipTeam, Organization
from .people import Area, Person, Position, PositionKind
from .regulations import Clause, Regulation
from .reminders import CalendarFeedToken, ReminderDigest, ReminderKind, ReminderSectionSent, ReminderSent

__all__ = [
    "AcademicYear",
    "ObligationExcuse",
    "ObligationRule",
    "OfficeAlert",
    "PolicyPack",
    "Area",
    "Clause",
    "HolidayDate",
    "HolidayYear",
    "LeadershipTeam",
    "Organization",
    "Person",
    "Position",
    "PositionKind",
    "PrivateAttachment",
    "RecordedModel",
    "Regulation",
    "Semester",
    "CalendarFeedToken",
    "ReminderDigest",
    "ReminderKind",
    "ReminderSectionSent",
    "ReminderSent",
]
