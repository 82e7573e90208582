"""The outreach family's registration with the core (governance.families): its menu entry, the leader's home panel
(their 联系点 and this academic year's activities), the activities as evidence the obligation engine counts
(outreach.activity, outreach/evidence.py), demo records, admin shortcuts and the models whose changes change pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from governance.families import AdminCard, AdminLink, DemoContext, Family, Panel
from outreach import selectors
from outreach.evidence import activity_evidence


def demo(context: DemoContext) -> list[str]:
    from outreach.demo import demo_records_seed

    return demo_records_seed(context)


FAMILY = Family(
    name="outreach",
    label=_("联系基层"),
    index_url="outreach:index",
    description=_("联系点、调研座谈、听课、节日走访等联系基层活动的登记与台账"),
    order=20,
    leader_panel=Panel("outreach/includes/leader_panel.html", select=selectors.leader_panel, order=30),
    office_panel=Panel("outreach/includes/office_panel.html", select=selectors.office_panel, order=20),
    member_panel=Panel("outreach/includes/member_panel.html", select=selectors.member_panel, order=20),
    digest_sections=selectors.digest_sections,
    evidence_sources=(activity_evidence,),
    demo=demo,
    # An issue turned into a supervised task takes the year's next 督办 number: after supervision's demo tasks.
    demo_after=("supervision",),
    watched={
        "outreach.activity": selectors.organizations_touched_by_activity,
        "outreach.linkedcontact": selectors.organizations_touched_by_contact,
        "outreach.raisedissue": selectors.organizations_touched_by_contact,
    },
    admin_cards=(
        AdminCard(
            title=_("联系基层"),
            description=_(
                "班子成员的联系点（基层单位、党外人士、民主党派组织）和联系基层活动；修改留有审计历史。"
            ),
            links=(
                AdminLink(_("联系点"), "admin:outreach_linkedcontact_changelist"),
                AdminLink(_("联系基层活动"), "admin:outreach_activity_changelist"),
                AdminLink(_("师生诉求"), "admin:outreach_raisedissue_changelist"),
                AdminLink(_("接待日轮值名单"), "admin:outreach_receptionduty_changelist"),
            ),
        ),
    ),
)
