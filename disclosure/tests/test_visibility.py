"""Who sees which item (三（二）): one queryset and one `rules` predicate that agree over every person × item, and
the same answer by page and by URL — the item's page, its attachment and its history. Unpublished, returned and expired
items are the office's only; an item archived after publication stays visible to its scope (四（四）, the archive);
committee members also see what waits for their approval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from disclosure.models import ItemState, Scope
from disclosure.permissions import can_view_item, items_visible_to
from disclosure.tests.factories import TODAY, propose, walk

pytestmark = pytest.mark.django_db

SCOPES = [Scope.LEADERS, Scope.MEMBERS, Scope.STAFF, Scope.PUBLIC]


@pytest.fixture
def items(office, approver):
    """One published item per scope, plus one item in each state that is not shown, and an expired one."""
    found = {}
    for scope in SCOPES:
        found[scope] = walk(
            propose(office, title=f"公开给{scope}", scope=scope),
            ItemState.PUBLISHED,
            office=office,
            approver=approver,
        )
    for state in (
        ItemState.PROPOSED,
        ItemState.PENDING,
        ItemState.RETURNED,
        ItemState.APPROVED,
        ItemState.ARCHIVED,
    ):
        found[state] = walk(
            propose(office, title=f"状态{state}", scope=Scope.PUBLIC), state, office=office, approver=approver
        )
    found["expired"] = walk(
        propose(
            office,
            title="已过公开期",
            scope=Scope.PUBLIC,
            publish_from=TODAY - dt.timedelta(days=30),
            publish_until=TODAY - dt.timedelta(days=1),
        ),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    found["future"] = walk(
        propose(office, title="尚未开始公开", scope=Scope.PUBLIC, publish_from=TODAY + dt.timedelta(days=3)),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    return found


def _people(office, approver, leader, member, staff):
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": AnonymousUser(),
        "staff": staff,
        "member": member,
        "leader": leader,
        "approver": approver,
        "office": office,
    }


EXPECTED = {  # the archived item was disclosed to 社会: everyone keeps seeing it (四（四）)
    "anonymous": {Scope.PUBLIC, ItemState.ARCHIVED},
    "staff": {Scope.PUBLIC, Scope.STAFF, ItemState.ARCHIVED},
    "member": {Scope.PUBLIC, Scope.STAFF, Scope.MEMBERS, ItemState.ARCHIVED},
    "leader": set(SCOPES) | {ItemState.ARCHIVED},
    # 三（一）1—2: reported to the committee and not yet out — waiting, returned, approved, published before its window.
    "approver": set(SCOPES)
    | {ItemState.PENDING, ItemState.RETURNED, ItemState.APPROVED, ItemState.ARCHIVED, "future"},
    "office": None,  # everything
}


def test_the_list_and_the_predicate_agree_for_every_person_and_item(
    items, office, approver, leader, member, staff
):
    for who, user in _people(office, approver, leader, member, staff).items():
        listed = set(items_visible_to(user).values_list("pk", flat=True))
        for key, item in items.items():
            assert (item.pk in listed) == can_view_item(user, item), (who, key)
        expected = EXPECTED[who]
        shown = {key for key, item in items.items() if item.pk in listed}
        assert shown == (set(items) if expected is None else expected), who


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "scope"),
    [
        ("anonymous", Scope.STAFF),
        ("staff", Scope.MEMBERS),
        ("staff", Scope.LEADERS),
        ("member", Scope.LEADERS),
    ],
)
def test_a_person_outside_the_scope_gets_404_for_the_page_the_attachment_and_the_history(
    who, scope, office, approver, leader, member, staff
):
    item = propose(
        office,
        scope=scope,
        files=[SimpleUploadedFile("明细.pdf", b"%PDF-1.4 details", content_type="application/pdf")],
    )
    item = walk(item, ItemState.PUBLISHED, office=office, approver=approver)
    user = None if who == "anonymous" else _people(office, approver, leader, member, staff)[who]
    client = _client(user)
    attachment = item.attachments.get()
    assert client.get(item.get_absolute_url()).status_code == (302 if user is None else 404)
    assert client.get(reverse("disclosure:attachment_download", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("disclosure:item_history", args=[item.pk])).status_code == (
        302 if user is None else 404
    )
    assert item.title not in client.get(reverse("disclosure:public")).content.decode()
    if user is not None:
        assert item.title not in client.get(reverse("disclosure:item_list")).content.decode()
        assert client.get(reverse("disclosure:item_update", args=[item.pk])).status_code == 403


def test_a_person_in_scope_opens_the_page_and_the_attachment_but_not_the_history(office, approver, member):
    item = propose(
        office, files=[SimpleUploadedFile("明细.pdf", b"%PDF-1.4 details", content_type="application/pdf")]
    )
    item = walk(item, ItemState.PUBLISHED, office=office, approver=approver)
    client = _client(member)
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    assert "第三季度应交党费与实交党费一致" in page.content.decode()
    download = client.get(reverse("disclosure:attachment_download", args=[item.attachments.get().pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 details"
    assert client.get(reverse("disclosure:item_history", args=[item.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_for_an_item_not_for_everyone(office, approver):
    item = walk(propose(office, scope=Scope.STAFF), ItemState.PUBLISHED, office=office, approver=approver)
    response = Client().get(item.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Client().get(reverse("disclosure:item_history", args=[item.pk])).status_code == 302


def test_an_item_the_office_has_only_drafted_is_the_offices_only_even_for_society(office, approver, leader):
    item = walk(propose(office, scope=Scope.PUBLIC), ItemState.PROPOSED, office=office, approver=approver)
    assert _client(leader).get(item.get_absolute_url()).status_code == 404
    assert _client(approver).get(item.get_absolute_url()).status_code == 404
    assert _client(office).get(item.get_absolute_url()).status_code == 200
    assert Client().get(item.get_absolute_url()).status_code == 302


def _with_attachment(office, **fields):
    return propose(
        office,
        files=[SimpleUploadedFile("名单.pdf", b"%PDF-1.4 names", content_type="application/pdf")],
        **fields,
    )


@pytest.mark.parametrize("state", [ItemState.PENDING, ItemState.RETURNED, ItemState.APPROVED])
def test_a_committee_member_opens_an_item_reported_to_the_committee_until_it_is_published_read_only(
    state, office, approver
):
    item = walk(_with_attachment(office, scope=Scope.PUBLIC), state, office=office, approver=approver)
    client = _client(approver)
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "第三季度应交党费与实交党费一致" in body
    assert reverse("disclosure:item_update", args=[item.pk]) not in body  # read-only: no edit link
    if state != ItemState.PENDING:
        assert "disclosure-actions" not in body  # nothing to decide: no workflow forms
    assert (
        client.get(reverse("disclosure:attachment_download", args=[item.attachments.get().pk])).status_code
        == 200
    )
    assert client.get(reverse("disclosure:item_history", args=[item.pk])).status_code == 200
    assert client.get(reverse("disclosure:item_update", args=[item.pk])).status_code == 403
    assert item.title in client.get(reverse("disclosure:item_list")).content.decode()


def test_a_committee_member_who_approved_an_item_still_opens_it_and_cannot_publish_it(office, approver):
    item = walk(propose(office, scope=Scope.MEMBERS), ItemState.PENDING, office=office, approver=approver)
    client = _client(approver)
    response = client.post(
        item.get_absolute_url(), {"action": "approve", "approve-note": "同意。"}, follow=True
    )
    assert response.redirect_chain[-1][0] == item.get_absolute_url()
    assert "已批准公开" in response.content.decode()
    assert "已批准" in response.content.decode()
    refused = client.post(item.get_absolute_url(), {"action": "publish"}, follow=True)
    assert "您不能公开" in refused.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED


def test_a_committee_member_opens_an_item_published_with_a_window_not_yet_open(
    office, approver, leader, member
):
    item = walk(
        propose(office, scope=Scope.MEMBERS, publish_from=TODAY + dt.timedelta(days=3)),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    assert _client(approver).get(item.get_absolute_url()).status_code == 200
    assert _client(leader).get(item.get_absolute_url()).status_code == 404
    assert _client(member).get(item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("state", [ItemState.PENDING, ItemState.RETURNED, ItemState.APPROVED])
@pytest.mark.parametrize("who", ["anonymous", "staff", "member", "leader"])
def test_anyone_else_gets_no_page_attachment_or_history_of_an_item_before_publication(
    state, who, office, approver, leader, member, staff
):
    item = walk(_with_attachment(office, scope=Scope.PUBLIC), state, office=office, approver=approver)
    user = None if who == "anonymous" else _people(office, approver, leader, member, staff)[who]
    client = _client(user)
    assert client.get(item.get_absolute_url()).status_code == (302 if user is None else 404)
    assert (
        client.get(reverse("disclosure:attachment_download", args=[item.attachments.get().pk])).status_code
        == 404
    )
    assert client.get(reverse("disclosure:item_history", args=[item.pk])).status_code == (
        302 if user is None else 404
    )
    assert client.get(reverse("disclosure:public_feedback", args=[item.pk])).status_code == 404
    assert item.title not in client.get(reverse("disclosure:public")).content.decode()
    if user is not None:
        assert item.title not in client.get(reverse("disclosure:item_list")).content.decode()


def test_a_committee_member_reads_an_item_waiting_for_approval_and_its_history(office, approver, leader):
    item = walk(propose(office, scope=Scope.MEMBERS), ItemState.PENDING, office=office, approver=approver)
    assert _client(approver).get(item.get_absolute_url()).status_code == 200
    assert _client(approver).get(reverse("disclosure:item_history", args=[item.pk])).status_code == 200
    assert _client(leader).get(item.get_absolute_url()).status_code == 404


def test_an_expired_item_disappears_from_the_public_page_and_its_url(office, approver):
    item = walk(
        propose(
            office,
            title="过期的公示",
            scope=Scope.PUBLIC,
            publish_from=TODAY - dt.timedelta(days=10),
            publish_until=TODAY - dt.timedelta(days=1),
        ),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    assert "过期的公示" not in Client().get(reverse("disclosure:public")).content.decode()
    assert Client().get(item.get_absolute_url()).status_code == 302
    assert "过期的公示" in _client(office).get(reverse("disclosure:item_list")).content.decode()


def test_office_only_pages_refuse_everyone_else(approver, member, staff):
    for user in (approver, member, staff):
        assert _client(user).get(reverse("disclosure:item_create")).status_code == 403
    assert Client().get(reverse("disclosure:item_create")).status_code == 302
