"""The disclosure family's registration with the core (governance.families): its menu entry (every signed-in user:
everyone may be in some item's scope), the home panels of the office, the committee members and the Party members
and staff (最新党务公开), the office's timing
reminders in the daily email (三（三）, disclosure/timing.py), demo records, admin shortcuts and the models whose
changes change pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from disclosure import selectors
from disclosure.timing import digest_sections
from governance.families import AdminCard, AdminLink, DemoContext, Family, Panel


def demo(context: DemoContext) -> list[str]:
    from disclosure.demo import demo_records_seed

    created = demo_records_seed(context)
    if not created:
        return []
    return [
        f"演示党务公开事项：新建 {created} 项（各个状态、四种公开范围都有，含意见和答复、扩大范围的申请和一次再公开）"
    ]


FAMILY = Family(
    name="disclosure",
    label=_("党务公开"),
    index_url="disclosure:item_list",
    description=_("党务公开事项的提出、审批、公开、意见反馈和归档"),
    order=30,
    leader_panel=Panel("disclosure/includes/leader_panel.html", select=selectors.leader_panel, order=30),
    office_panel=Panel("disclosure/includes/office_panel.html", select=selectors.office_panel, order=30),
    member_panel=Panel("disclosure/includes/member_panel.html", select=selectors.member_panel, order=30),
    digest_sections=digest_sections,
    demo=demo,
    watched={
        "disclosure.disclosureitem": selectors.organizations_touched,
        "disclosure.feedback": selectors.organizations_touched,
        "disclosure.itemattachment": selectors.organizations_touched,
    },
    admin_cards=(
        AdminCard(
            title=_("党务公开"),
            description=_("公开事项和意见反馈；状态只在事项页上按程序改变，修改留有审计历史。"),
            links=(
                AdminLink(_("党务公开事项"), "admin:disclosure_disclosureitem_changelist"),
                AdminLink(_("意见反馈"), "admin:disclosure_feedback_changelist"),
            ),
        ),
    ),
)
