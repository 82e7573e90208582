"""The communication family's registration with the core (governance.families): what it shows on the home pages,
puts in calendar feeds and reminder emails, counts as evidence, seeds for the demo and offers as admin shortcuts."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communication import calendar, selectors
from communication.evidence import meeting_evidence, talk_evidence
from communication.permissions import can_record_absence, can_record_talk
from governance.families import LEADER_HOME, AdminCard, AdminLink, DemoContext, Family, PageAction, Panel

# The demo's college (文学院, pack 000) beside the university (pack 001).
DEMO_COLLEGE = "wxy"
TALKS = "communication.talks"  # the scope of talks' changes (Family.scopes)


def demo(context: DemoContext) -> list[str]:
    from communication.demo import demo_records_seed

    created = demo_records_seed(
        university=context.university, college=context.organizations[DEMO_COLLEGE], today=context.today
    )
    if not created:
        return []
    return [f"演示会议、谈话记录：新建 {created} 条（相对今天生成，含一次缺开的碰头会）"]


def leader_home_actions(user, person) -> list[PageAction]:
    """The leader's main actions, right under their home's header (on a phone, its first screen): record a talk and
    report an absence, each for whoever the form itself lets in."""
    if person is not None and person.user_id == user.pk:
        # The home has read the leader's Person already: person_of (communication.permissions) need not again.
        user._communication_person = person
    actions = []
    if can_record_talk(user):
        actions.append(PageAction(_("登记谈心谈话"), reverse("communication:talk_create")))
    if can_record_absence(user):
        actions.append(PageAction(_("登记外出（出差、学习）"), reverse("communication:absence_create")))
    return actions


FAMILY = Family(
    name="communication",
    label=_("领导沟通"),
    index_url="communication:index",
    description=_("党政领导经常性沟通"),
    order=10,
    leader_panel=Panel(
        "communication/includes/leader_panel.html",
        select=selectors.leader_panel,
        order=10,
        scopes=("communication",),  # meetings, agenda items, opinions, absences: not talks
    ),
    # The 四必谈 reads talks: apart, so that a talk recomputes it alone.
    leader_panels=(
        Panel(
            "communication/includes/sibitan_panel.html",
            select=selectors.sibitan_panel,
            order=11,
            scopes=("communication", TALKS),
        ),
    ),
    office_panel=Panel("communication/includes/office_panel.html", select=selectors.office_panel, order=10),
    # Meetings with their end (recorded, else the kind's usual length: communication.calendar.DEFAULT_DURATIONS).
    calendar_items=calendar.calendar_items,
    digest_sections=selectors.digest_sections,
    evidence_sources=(meeting_evidence, talk_evidence),
    event_sources=(meeting_evidence,),
    demo=demo,
    # A change to these records changes what pages show, for the organizations each function names
    # (governance.services.freshness re-renders only their pages).
    watched={
        "communication.meeting": selectors.organizations_touched_by_meeting,
        "communication.talk": selectors.organizations_touched_by_talk,
        "communication.agendaitem": selectors.organizations_touched_by_agenda_item,
        "communication.opinion": selectors.organizations_touched_by_opinion,
        "communication.absence": selectors.organizations_touched_by_absence,
        "communication.handover": selectors.organizations_touched_by_handover,
    },
    # Talks are the records that change most often: their own scope, so that a talk leaves the panel of meetings,
    # agenda items and absences cached (governance.services.freshness).
    scopes={"communication.talk": TALKS},
    page_actions={LEADER_HOME: leader_home_actions},
    admin_cards=(
        AdminCard(
            title=_("领导沟通"),
            description=_("会议及纪要、议题与会前征求意见、谈心谈话、外出报备与工作交接；修改留有审计历史。"),
            links=(
                AdminLink(_("会议"), "admin:communication_meeting_changelist"),
                AdminLink(_("议题"), "admin:communication_agendaitem_changelist"),
                AdminLink(_("谈心谈话"), "admin:communication_talk_changelist"),
                AdminLink(_("外出报备"), "admin:communication_absence_changelist"),
            ),
        ),
    ),
)
