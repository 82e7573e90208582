"""What of leadership communication each role can use: the module's sections, who uses each, how many records a user
sees in each, and — when a list is empty — why (issue 8: "a role sees only what it can use; an empty list says why").

Who may see which record is communication.permissions' decision; this module only reads it:
- 谈心谈话: participants and the office (谈话要点保密). Leaders record their own talks, the office anyone's.
- 会议: the office, those at the meeting, and whoever sat on the organization's team that day. The office records
  meetings (000 五（二）: 党委办公室负责……记录存档); minutes of a confidential meeting (001 三（八）) stay with those present.
- 议题与会前沟通: the office; a leader sees the items they proposed or are asked about (000 四（一）、001 三（三）).
- 待我发表意见: a leader's own pending opinions.
- 外出报备: the office, the person away, whoever covers, is notified or approved (001 三（七）).

A section is offered to a role that uses it (the office, a leader) and to anyone else only when they already have a
record in it (a Party member who attended a meeting). A member of staff or a Party member with nothing is told why
instead of being shown empty tabs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communication.models import Absence, AgendaItem, Meeting, Talk
from communication.permissions import (
    can_record_absence,
    can_record_talk,
    filter_agenda_items_visible,
    person_of,
)
from communication.selectors import opinions_awaiting
from governance.roles import is_leader, is_office, is_party_member

Text = str | Promise

TALKS, MEETINGS, AGENDA, OPINIONS, ABSENCES = "talks", "meetings", "agenda", "opinions", "absences"


@dataclass(frozen=True)
class Section:
    key: str
    label: Text
    url_name: str
    description: Text
    # URL names (within the communication namespace) that belong to the section: its tab is the active one there.
    prefixes: tuple[str, ...]

    def covers(self, url_name: str) -> bool:
        return url_name.startswith(self.prefixes)


SECTIONS: tuple[Section, ...] = (
    Section(
        TALKS,
        _("谈心谈话"),
        "communication:talk_list",
        _("班子成员之间的谈心谈话和工作沟通；谈话要点只有谈话双方和党委办公室可见。"),
        ("talk_",),
    ),
    Section(
        MEETINGS,
        _("会议"),
        "communication:meeting_list",
        _(
            "碰头会、务虚会、党委会、联席会、民主生活会等；保密会议的纪要和附件仅参会、列席人员和党委办公室可见（001 三（八））。"
        ),
        ("meeting_", "sibitan_", "attachment_"),
    ),
    Section(
        AGENDA,
        _("议题与会前沟通"),
        "communication:agenda_item_list",
        _("上会议题和会前征求意见；意见不一致的议题暂缓上会（000 四（一）、001 三（三））。"),
        ("agenda_item_",),
    ),
    Section(
        OPINIONS,
        _("待我发表意见"),
        "communication:opinion_awaiting",
        _("党委办公室会前征求您意见的议题。"),
        ("opinion_",),
    ),
    Section(
        ABSENCES,
        _("外出报备"),
        "communication:absence_list",
        _("出差、学习等外出的报备和工作交接（001 三（七））。"),
        ("absence_",),
    ),
)
BY_KEY = {s.key: s for s in SECTIONS}


def _is_leader_with_record(user: Any) -> bool:
    """A leader whose login is linked to a person: the records are about people, not accounts."""
    return is_leader(user) and person_of(user) is not None


def sections_by_role(user: Any) -> list[Section]:
    """The sections the user's role uses, whatever records there are (no query beyond the role and the person)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if is_office(user):
        # The office asks for opinions; it has none of its own to give.
        return [s for s in SECTIONS if s.key != OPINIONS]
    if _is_leader_with_record(user):
        return list(SECTIONS)
    return []


def label_for(section: Section, user: Any) -> Text:
    if section.key == AGENDA and not is_office(user):
        return _("我参与的议题")
    return section.label


@dataclass(frozen=True)
class Tab:
    section: Section
    label: Text
    url: str
    active: bool


def tabs(user: Any, url_name: str) -> list[Tab]:
    """The module's tabs for the user: their role's sections, and the section of the page they are on (someone who
    reached a meeting they attended sees the 会议 tab, not four tabs they cannot use)."""
    shown = sections_by_role(user)
    current = next((s for s in SECTIONS if s.covers(url_name)), None)
    if current is not None and current not in shown:
        shown = [s for s in SECTIONS if s in shown or s is current]
    return [Tab(s, label_for(s, user), reverse(s.url_name), s is current) for s in shown]


# --- why a list is empty -------------------------------------------------------------------------------------------


def empty_reason(user: Any, key: str) -> Text:
    """Why the user's list of this section has nothing in it, in the user's terms."""
    office = is_office(user)
    leader = _is_leader_with_record(user)
    if key == TALKS:
        if office:
            return _("还没有谈心谈话记录。班子成员登记的谈话和办公室代为登记的谈话都会列在这里。")
        if leader:
            return _(
                "您还没有登记在案的谈心谈话。谈话由参加的班子成员或党委办公室登记；登记后这里只列出您参加的谈话。"
            )
        return _("谈心谈话记录只对谈话双方和党委办公室可见；您没有参加过登记在案的谈话。")
    if key == MEETINGS:
        if office:
            return _("还没有会议记录。")
        if leader:
            return _("本班子还没有会议记录。会议由党委办公室登记（000 五（二）：党委办公室负责记录存档）。")
        return _(
            "会议记录只对班子成员、参会和列席人员以及党委办公室可见（001 三（八）：沟通交流会议实行保密制度）；"
            "您没有参加或列席登记在案的会议。"
        )
    if key == AGENDA:
        if office:
            return _("还没有议题。")
        if leader:
            return _(
                "目前没有您提出或征求您意见的议题。议题由党委办公室登记；需要听取您意见时，议题会出现在这里和“待我发表意见”中。"
            )
        return _("议题和会前征求意见只对提出议题、被征求意见的班子成员和党委办公室可见。")
    if key == OPINIONS:
        if leader:
            return _("目前没有等待您发表意见的议题。党委办公室会前征求您的意见时，议题会出现在这里。")
        return _("会前征求意见只面向领导班子成员。")
    if key == ABSENCES:
        if office:
            return _("还没有外出报备记录。")
        if leader:
            return _("您还没有外出报备，也没有需要您知悉、准假或代管工作的外出。")
        return _("外出报备只对外出的班子成员、被告知、准假和代管工作的班子成员以及党委办公室可见。")
    raise KeyError(key)


# --- the module's index ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    label: Text
    url: str


@dataclass(frozen=True)
class IndexSection:
    section: Section
    label: Text
    url: str
    count: int
    count_text: str
    empty_reason: Text
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class ModuleIndex:
    """What the module's index shows the user: the sections they can use with their counts, or why there are none."""

    sections: list[IndexSection] = field(default_factory=list)
    role: str = ""  # "office", "leader", "member" (Party member), "staff"
    no_person: bool = False  # signed in, but the login is linked to no person

    @property
    def nothing(self) -> bool:
        return not self.sections


def _count_text(key: str, count: int) -> str:
    if key == TALKS:
        return ngettext("%(n)d 次谈话", "%(n)d 次谈话", count) % {"n": count}
    if key == MEETINGS:
        return ngettext("%(n)d 次会议", "%(n)d 次会议", count) % {"n": count}
    if key == AGENDA:
        return ngettext("%(n)d 个议题", "%(n)d 个议题", count) % {"n": count}
    if key == OPINIONS:
        return ngettext("%(n)d 个议题待您发表意见", "%(n)d 个议题待您发表意见", count) % {"n": count}
    return ngettext("%(n)d 条外出报备", "%(n)d 条外出报备", count) % {"n": count}


def _counts(user: Any) -> dict[str, int]:
    """How many records of each section the user may see: one COUNT per section (five queries at most)."""
    counts = {
        TALKS: Talk.objects.visible_to(user).count(),
        MEETINGS: Meeting.objects.visible_to(user).count(),
        AGENDA: filter_agenda_items_visible(AgendaItem.objects.all(), user).count(),
        ABSENCES: Absence.objects.visible_to(user).count(),
    }
    person = person_of(user)
    counts[OPINIONS] = 0 if person is None or is_office(user) else opinions_awaiting(person).count()
    return counts


def _actions(key: str, user: Any) -> tuple[Action, ...]:
    office = is_office(user)
    if key == TALKS and can_record_talk(user):
        return (Action(_("登记谈心谈话"), reverse("communication:talk_create")),)
    if key == MEETINGS and office:
        return (Action(_("登记会议"), reverse("communication:meeting_create")),)
    if key == AGENDA and office:
        return (Action(_("登记议题"), reverse("communication:agenda_item_create")),)
    if key == ABSENCES and can_record_absence(user):
        return (Action(_("登记外出"), reverse("communication:absence_create")),)
    return ()


def module_index(user: Any) -> ModuleIndex:
    """The index for `user`: their role's sections, plus any other section where they have a record."""
    if is_office(user):
        role = "office"
    elif _is_leader_with_record(user):
        role = "leader"
    elif is_party_member(user):
        role = "member"
    else:
        role = "staff"
    person = person_of(user)
    if person is None and not is_office(user):
        return ModuleIndex(role=role, no_person=True)
    counts = _counts(user)
    offered = sections_by_role(user)
    sections = [
        IndexSection(
            section=s,
            label=label_for(s, user),
            url=reverse(s.url_name),
            count=counts[s.key],
            count_text=_count_text(s.key, counts[s.key]),
            empty_reason=empty_reason(user, s.key),
            actions=_actions(s.key, user),
        )
        for s in SECTIONS
        if s in offered or counts[s.key]
    ]
    return ModuleIndex(sections=sections, role=role)
