from .alerts import OfficeAlert
from .calendar import AcademicYear, HolidayDate, HolidayYear, Semester
from .organizations import LeadershipTeam, Organization
from .people import Area, Person, Position, PositionKind
from .regulations import Clause, Regulation

__all__ = [
    "AcademicYear",
    "OfficeAlert",
    "Area",
    "Clause",
    "HolidayDate",
    "HolidayYear",
    "LeadershipTeam",
    "Organization",
    "Person",
    "Position",
    "PositionKind",
    "Regulation",
    "Semester",
]
