"""factory-boy factories for disclosure/, on top of the governance factories: the people of the four scopes, a
committee member (on the university's team), and items proposed through the service, walked with `walk`."""

from __future__ import annotations

import datetime as dt

from disclosure import services
from disclosure.models import Category, DisclosureItem, Form, ItemState, Nature, Scope
from governance import roles
from governance.models import PositionKind
from governance.tests.factories import (
    LeadershipTeamFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    UniversityFactory,
    UserFactory,
)

TODAY = dt.date(2026, 11, 20)


def office_user(**kwargs):
    kwargs.setdefault("is_staff", True)
    return UserFactory(groups=(roles.OFFICE,), **kwargs)


def committee_member(name: str = "林书记", username: str = "linshuji", kind: str = PositionKind.SECRETARY):
    """A leader on the university's leadership team (校党委), with a login in the leaders' and Party members' groups."""
    team = LeadershipTeamFactory(organization=UniversityFactory())
    person = PersonFactory(name=name, user__username=username)
    PositionFactory(person=person, team=team, kind=kind)
    return person


def college_leader(name: str = "李院长", username: str = "liyuanzhang"):
    """A leader (党政领导干部) who is not on the university's team: sees 党政领导干部 items, approves nothing."""
    team = LeadershipTeamFactory(organization=OrganizationFactory(name="文学院", code="wxy"))
    person = PersonFactory(name=name, user__username=username)
    PositionFactory(person=person, team=team, kind=PositionKind.PRESIDENT)
    return person


def party_member(username: str = "dangyuan"):
    return UserFactory(username=username, first_name="邵一鸣", groups=(roles.PARTY_MEMBERS,))


def staff_member(username: str = "jiaozhigong"):
    return UserFactory(username=username, first_name="叶青", groups=(roles.STAFF,))


def propose(office, **overrides) -> DisclosureItem:
    fields = {
        "title": "第三季度党费收缴管理情况",
        "content": "<p>第三季度应交党费与实交党费一致。</p>",
        "category": Category.ORGANIZATION,
        "topic": "党费收缴管理情况",
        "nature": Nature.ROUTINE,
        "scope": Scope.MEMBERS,
        "form": Form.BULLETIN,
        "publish_from": TODAY,
        "publish_until": None,
    }
    fields.update(overrides)
    return services.item_propose(user=office, **fields)


ORDER = [
    ItemState.PROPOSED,
    ItemState.PENDING,
    ItemState.APPROVED,
    ItemState.PUBLISHED,
    ItemState.RESPONDED,
    ItemState.ARCHIVED,
]


def walk(item: DisclosureItem, to: str, *, office, approver) -> DisclosureItem:
    """Take an item through the workflow to the state `to` (RETURNED: submitted and returned)."""
    if to == ItemState.PROPOSED:
        return item
    item = services.item_submit(item=item, user=office)
    if to == ItemState.RETURNED:
        return services.item_return(item=item, user=approver, reason="请补充数据。")
    steps = [
        (ItemState.APPROVED, lambda i: services.item_approve(item=i, user=approver, note="同意。")),
        (ItemState.PUBLISHED, lambda i: services.item_publish(item=i, user=office)),
        (
            ItemState.RESPONDED,
            lambda i: services.item_close_feedback(item=i, user=office, summary="已处理。"),
        ),
        (ItemState.ARCHIVED, lambda i: services.item_archive(item=i, user=office)),
    ]
    for state, step in steps:
        if ORDER.index(to) < ORDER.index(state):
            break
        item = step(item)
    return item
