"""The disclosure pages: proposing with rich text sanitized on save, bad input refused with the input kept, the lists,
public page and feed in a constant number of queries, and the home panels of the office and the committee."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from disclosure import selectors
from disclosure.models import DisclosureItem, ItemState, Scope
from disclosure.tests.factories import TODAY, propose, walk

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form(**overrides):
    data = {
        "title": "校领导接待日安排",
        "category": "operation",
        "topic": "校领导接待日",
        "content": "接待日为隔周周一下午。",
        "nature": "temporary",
        "scope": "public",
        "form": "website",
        "publish_from": TODAY.isoformat(),
        "publish_until": "",
    }
    data.update(overrides)
    return data


def test_the_office_proposes_an_item_from_the_form_and_sees_its_page(office):
    response = _client(office).post(reverse("disclosure:item_create"), _form(), follow=True)
    body = response.content.decode()
    assert "已登记拟公开事项" in body
    assert "<p>接待日为隔周周一下午。</p>" in body
    item = DisclosureItem.objects.get()
    assert (item.state, item.scope, item.recorded_by) == (ItemState.PROPOSED, Scope.PUBLIC, office)


def test_scripts_javascript_links_and_event_handlers_are_stored_sanitized(office):
    dirty = (
        '<p onclick="steal()">正文<script>alert("x")</script></p>'
        '<a href="javascript:alert(1)">链接</a><a href="https://example.edu.cn/a">校园网</a>'
        '<img src=x onerror="alert(1)"><iframe src="https://evil.example"></iframe>'
    )
    _client(office).post(reverse("disclosure:item_create"), _form(content=dirty))
    stored = DisclosureItem.objects.get().content
    for bad in ("<script", "onclick", "javascript:", "onerror", "<img", "<iframe", "alert("):
        assert bad not in stored
    assert '<a href="https://example.edu.cn/a" rel="noopener noreferrer">校园网</a>' in stored
    assert "<p>正文</p>" in stored


def test_a_bad_form_keeps_the_input_and_saves_nothing(office):
    response = _client(office).post(
        reverse("disclosure:item_create"),
        _form(content="", publish_until=(TODAY.replace(day=1)).isoformat()),
    )
    body = response.content.decode()
    assert "请填写公开内容。" in body
    assert "公开截止日期不能早于开始日期。" in body
    assert 'value="校领导接待日安排"' in body
    assert not DisclosureItem.objects.exists()


def test_content_that_is_nothing_but_unsafe_markup_is_refused(office):
    response = _client(office).post(
        reverse("disclosure:item_create"), _form(content="<script>alert(1)</script>")
    )
    assert "清除不安全的标记后为空" in response.content.decode()
    assert not DisclosureItem.objects.exists()


def _many(office, approver, n: int, scope=Scope.PUBLIC):
    for i in range(n):
        walk(
            propose(office, title=f"事项{i}", scope=scope),
            ItemState.PUBLISHED,
            office=office,
            approver=approver,
        )


@pytest.mark.parametrize("who", ["office", "member"])
def test_the_list_asks_as_many_queries_for_three_items_as_for_one(
    who, office, approver, member, django_assert_max_num_queries
):
    user = {"office": office, "member": member}[who]
    client = _client(user)
    _many(office, approver, 1, scope=Scope.MEMBERS)
    client.get(reverse("disclosure:item_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("disclosure:item_list"))
    _many(office, approver, 3, scope=Scope.MEMBERS)
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("disclosure:item_list"))
    assert page.content.decode().count('class="disclosure-row"') == 4


def test_the_public_page_and_feed_ask_as_many_queries_for_three_items_as_for_one(
    office, approver, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many(office, approver, 1)
    with CaptureQueriesContext(connection) as one_page:
        Client().get(reverse("disclosure:public"))
    with CaptureQueriesContext(connection) as one_feed:
        Client().get(reverse("disclosure:public_feed"))
    _many(office, approver, 3)
    with django_assert_max_num_queries(len(one_page)):
        page = Client().get(reverse("disclosure:public"))
    with django_assert_max_num_queries(len(one_feed)):
        Client().get(reverse("disclosure:public_feed"))
    assert page.content.decode().count("disclosure-public-item") == 4


def test_the_feed_is_atom_with_the_public_items_only(office, approver):
    walk(
        propose(office, title="面向社会的公示", scope=Scope.PUBLIC),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    walk(
        propose(office, title="仅限党内", scope=Scope.MEMBERS),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    response = Client().get(reverse("disclosure:public_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the site's own feed
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == ["面向社会的公示"]


def test_the_office_home_panel_counts_waiting_approvals_and_unanswered_opinions(office, approver, member):
    walk(propose(office, title="待批事项"), ItemState.PENDING, office=office, approver=approver)
    published = walk(
        propose(office, title="已公开事项"), ItemState.PUBLISHED, office=office, approver=approver
    )
    from disclosure import services

    services.feedback_leave(item=published, user=member, text="意见")
    panel = selectors.office_panel(today=TODAY)
    assert [i.title for i in panel.pending] == ["待批事项"]
    assert [i.title for i in panel.unanswered] == ["已公开事项"]
    assert panel.unanswered_total == 1
    home = _client(office).get("/").content.decode()
    assert "attention-disclosure" in home
    assert "1 条意见待答复" in home


def test_a_committee_member_sees_the_items_awaiting_approval_on_the_home_page(office, approver, leader):
    walk(propose(office, title="待批事项"), ItemState.PENDING, office=office, approver=approver)
    home = _client(approver).get("/").content.decode()
    assert "待审批的党务公开事项" in home
    assert "待批事项" in home
    assert "待审批的党务公开事项" not in _client(leader).get("/").content.decode()


def test_the_office_panel_asks_a_constant_number_of_queries(
    office, approver, member, django_assert_max_num_queries
):
    from disclosure import services

    for i in range(3):
        walk(propose(office, title=f"待批{i}"), ItemState.PENDING, office=office, approver=approver)
        item = walk(propose(office, title=f"公开{i}"), ItemState.PUBLISHED, office=office, approver=approver)
        services.feedback_leave(item=item, user=member, text="意见")
    with django_assert_max_num_queries(4):
        selectors.office_panel(today=TODAY)


@pytest.mark.parametrize("who", ["office", "member"])
def test_an_items_page_asks_as_many_queries_whatever_its_opinions_and_attachments(
    who, office, approver, member, staff, django_assert_max_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from disclosure import services

    item = propose(office, files=[SimpleUploadedFile("a.txt", b"a")])
    item = walk(item, ItemState.PUBLISHED, office=office, approver=approver)
    services.feedback_leave(item=item, user=member, text="第一条")
    client = _client({"office": office, "member": member}[who])
    client.get(item.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(item.get_absolute_url())
    from governance.tests.factories import UserFactory

    for n in range(3):
        services.feedback_leave(item=item, user=UserFactory(groups=("党员",)), text=f"意见{n}")
    with django_assert_max_num_queries(len(one)):
        page = client.get(item.get_absolute_url())
    assert page.content.decode().count("feedback-entry") == 4


def test_the_committee_panel_asks_four_queries_whatever_it_lists(
    office, approver, django_assert_max_num_queries
):
    from disclosure.permissions import person_of

    for i in range(4):
        walk(propose(office, title=f"待批{i}"), ItemState.PENDING, office=office, approver=approver)
    person = person_of(approver)
    # What is disclosed to them (三（二）); on the team? the items waiting; the escalated opinions (四（三）)
    with django_assert_max_num_queries(4):
        panel = selectors.leader_panel(person, today=TODAY)
    assert panel.pending_total == 4


def test_the_public_page_names_the_leading_group_from_the_university_teams_positions(
    django_assert_max_num_queries,
):
    from disclosure.tests.factories import committee_member
    from governance.models import PositionKind

    committee_member(name="林书记", username="linshuji", kind=PositionKind.SECRETARY)
    committee_member(name="孙副书记", username="sunfushuji", kind=PositionKind.DEPUTY_SECRETARY)
    committee_member(name="吴副校长", username="wufuxiaozhang", kind=PositionKind.VICE_PRESIDENT)
    group = selectors.leading_group(today=TODAY)
    assert (group.leader, group.deputies) == ([("林书记", "党委书记")], [("孙副书记", "党委副书记")])
    assert group.members == [("吴副校长", "副校长/副院长")]
    page = Client().get(reverse("disclosure:public")).content.decode()
    assert "党务公开工作领导小组（四（一））" in page
    assert "林书记（党委书记）" in page


def test_the_register_exports_the_filtered_list_to_excel_with_formulas_as_text(office, approver, member):
    import io

    from openpyxl import load_workbook

    walk(
        propose(office, title='=HYPERLINK("http://x")', scope=Scope.PUBLIC),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    walk(
        propose(office, title="党费收缴", category="organization"),
        ItemState.PENDING,
        office=office,
        approver=approver,
    )
    response = _client(office).get(reverse("disclosure:register_export") + "?state=published")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(row=4, column=2).value == "公开事项"
    assert ws.cell(row=5, column=2).value == '\'=HYPERLINK("http://x")'
    assert ws.cell(row=5, column=11).value == "已公开"
    assert ws.cell(row=6, column=2).value is None  # the pending item is filtered out
    assert _client(member).get(reverse("disclosure:register_export")).status_code == 403


def test_the_cached_public_page_shows_an_item_as_soon_as_it_is_published_and_drops_it_when_archived(
    office, approver, django_capture_on_commit_callbacks
):
    first = walk(
        propose(office, title="第一项", scope=Scope.PUBLIC),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    assert "第一项" in Client().get(reverse("disclosure:public")).content.decode()
    second = walk(
        propose(office, title="第二项", scope=Scope.PUBLIC),
        ItemState.APPROVED,
        office=office,
        approver=approver,
    )
    assert "第二项" not in Client().get(reverse("disclosure:public")).content.decode()
    from disclosure import services

    with django_capture_on_commit_callbacks(execute=True):
        services.item_publish(item=second, user=office)
        services.item_close_feedback(item=first, user=office, summary="无意见。")
        services.item_archive(item=first, user=office)
    page = Client().get(reverse("disclosure:public")).content.decode()
    assert "第二项" in page
    assert "第一项" not in page
