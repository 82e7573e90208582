"""The supervision family's registration with the core (governance.families): its menu entry (office, leaders,
units' people), the leader's, the office's and the units' people's home panels, task deadlines in calendar feeds, urgings in the daily
reminder email (第四条（三）、第六条), demo records, admin shortcuts and the models whose changes change pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.families import AdminCard, AdminLink, DemoContext, Family, PageAction, Panel
from governance.roles import is_office
from supervision import selectors
from supervision.evidence import progress_evidence, report_cycle_events, round_evidence
from supervision.permissions import may_use, tasks_visible_to


def demo(context: DemoContext) -> list[str]:
    from supervision.demo import demo_pack_adopt, demo_records_seed

    adopted = demo_pack_adopt(context)
    created = demo_records_seed(context)
    if not created:
        return [adopted]
    from supervision.demo import ACCOUNTS, DEMO_PASSWORD

    logins = "、".join(f"{a.username}（{a.title}）" for a in ACCOUNTS)
    return [
        adopted,
        f"演示督办事项：新建 {created} 项（近一年，各个办理状态都有，部分来自演示会议）",
        f"督查督办的单位账号（密码 {DEMO_PASSWORD}）：{logins}",
    ]


# 第二条（三）: the decisions of the committee's and the president's meetings are supervised. The office registers
# (第四条（一）), so only the office is offered the link on a meeting's or an agenda item's page.
FROM_DECISIONS = _("会议决议、决定的落实情况列入督查督办（督查督办制度第二条（三））")
REGISTERED_FROM_MEETING = _("由本次会议决定转为督办事项（督查督办制度第二条（三））")


def _registered_from(user, **source) -> list[PageAction]:
    """One link per task registered from this meeting or agenda item that `user` may open (the office, the
    responsible leader, the lead and co-units' people), with its number, state and title. One query."""
    tasks = (
        tasks_visible_to(user)
        .filter(**source)
        .only("id", "number", "title", "state")
        .order_by("year", "sequence")
    )
    return [
        PageAction(
            f"{task.number} {task.get_state_display()}：{task.title}",
            reverse("supervision:task_detail", args=[task.pk]),
            REGISTERED_FROM_MEETING,
        )
        for task in tasks
    ]


def _from_meeting(user, meeting) -> list[PageAction]:
    actions = _registered_from(user, meeting=meeting)
    if is_office(user):
        url = reverse("supervision:task_create") + f"?meeting={meeting.pk}"
        actions.insert(0, PageAction(_("转为督办事项"), url, FROM_DECISIONS))
    return actions


def _from_agenda_item(user, item) -> list[PageAction]:
    actions = _registered_from(user, agenda_item=item)
    # Only a decision is supervised (第二条（三）: 会议决议、决定): an item not yet decided offers no 转为督办事项.
    if is_office(user) and item.decision.strip():
        url = reverse("supervision:task_create") + f"?agenda_item={item.pk}"
        actions.insert(0, PageAction(_("转为督办事项"), url, FROM_DECISIONS))
    return actions


FAMILY = Family(
    name="supervision",
    label=_("督查督办"),
    index_url="supervision:task_list",
    description=_("督办事项的立项、通知、办理、催办、审核和归档"),
    order=40,
    nav_visible=may_use,
    leader_panel=Panel("supervision/includes/leader_panel.html", select=selectors.leader_panel, order=40),
    office_panel=Panel("supervision/includes/office_panel.html", select=selectors.office_panel, order=40),
    # Units' heads and liaisons land on the member home (they are neither office nor leaders): their units' tasks first.
    member_panel=Panel(
        "supervision/includes/unit_panel.html",
        select=selectors.unit_panel,
        order=10,
        # Open tasks of their units: the home leads with them (第一条（一）: 牵头单位负责落实).
        has_work=lambda panel: panel.total > 0,
    ),
    calendar_items=selectors.calendar_items,
    evidence_sources=(round_evidence, progress_evidence),
    # 第五条: each cycle of a long task's progress reports, owed by its lead unit's people (the pack's event_owners rule).
    event_sources=(report_cycle_events,),
    digest_sections=selectors.digest_sections,
    demo=demo,
    watched={
        "supervision.supervisedtask": selectors.organizations_touched_by_task,
        "supervision.progressreport": selectors.organizations_touched_by_child,
        # A request waiting shows on the leader's panel and the unit panel (第五条); an answer moves the deadline.
        "supervision.extensionrequest": selectors.organizations_touched_by_child,
        "supervision.urging": selectors.organizations_touched_by_child,
        "supervision.supervisionround": selectors.organizations_touched_by_round,
    },
    admin_cards=(
        AdminCard(
            title=_("督查督办"),
            description=_("督办事项台账、承办单位的负责人与联络员、催办记录；修改留有审计历史。"),
            links=(
                AdminLink(_("督办事项"), "admin:supervision_supervisedtask_changelist"),
                AdminLink(_("单位负责人/联络员"), "admin:supervision_unitcontact_changelist"),
                AdminLink(_("催办记录"), "admin:supervision_urging_changelist"),
            ),
        ),
    ),
    page_actions={"communication.meeting": _from_meeting, "communication.agenda_item": _from_agenda_item},
)
