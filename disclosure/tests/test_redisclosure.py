"""Re-disclosure (三（一）4 再公开程序, 三（三）必要时再公开): the office starts a new version of a published item, which
goes through approval again; once it is published, the version it replaces goes to the archive. Both are kept, the
new one says it was revised and shows what changed, the public page shows only the current one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from disclosure import selectors, services
from disclosure.models import ItemAction, ItemState, Scope
from disclosure.tests.factories import propose, walk
from governance.errors import DomainError

pytestmark = pytest.mark.django_db

FIRST = "<p>接待日为隔周周一下午。</p><p>地点在行政楼一楼。</p>"
SECOND = "<p>接待日为隔周周一下午。</p><p>地点改在学生事务中心。</p>"


@pytest.fixture
def published(office, approver):
    item = propose(office, title="校领导接待日安排", content=FIRST, scope=Scope.PUBLIC)
    return walk(item, ItemState.PUBLISHED, office=office, approver=approver)


def _revised(published, office, approver):
    revision = services.item_revise(item=published, user=office, note="地点调整。")
    revision = services.item_update(item=revision, user=office, content=SECOND)
    return walk(revision, ItemState.PUBLISHED, office=office, approver=approver)


def test_a_revision_is_a_new_version_linked_to_the_old_one_and_needs_approval(published, office):
    revision = services.item_revise(item=published, user=office)
    assert (revision.version, revision.previous, revision.state) == (2, published, ItemState.PROPOSED)
    assert revision.content == published.content
    published.refresh_from_db()
    assert published.state == ItemState.PUBLISHED  # the old version stays out until the new one is published
    assert published.events.last().action == ItemAction.REVISE


def test_publishing_the_new_version_archives_the_old_one_and_keeps_both(published, office, approver):
    revision = _revised(published, office, approver)
    published.refresh_from_db()
    assert published.state == ItemState.ARCHIVED
    assert published.content == FIRST
    assert published.events.last().action == ItemAction.SUPERSEDE
    assert revision.state == ItemState.PUBLISHED
    public = Client().get(reverse("disclosure:public")).content.decode()
    assert public.count("校领导接待日安排") == 1
    assert "已修订 · 第 2 版" in public
    assert "地点改在学生事务中心" in public
    # 四（四）: the old version stays in the archive, for the scope it was disclosed to (here 社会: anyone).
    old_page = Client().get(published.get_absolute_url())
    assert old_page.status_code == 200
    assert "地点在行政楼一楼" in old_page.content.decode()
    assert "已归档（四（四））" in old_page.content.decode()
    archive = Client().get(reverse("disclosure:archive")).content.decode()
    assert "已由第 2 版替代" in archive
    office_client = Client()
    office_client.force_login(office)
    assert "地点在行政楼一楼" in office_client.get(published.get_absolute_url()).content.decode()


def test_the_new_versions_page_shows_what_changed(published, office, approver):
    revision = _revised(published, office, approver)
    diff = selectors.revision_of(revision, office)
    assert [(line.op, line.text) for line in diff.lines] == [
        ("same", "接待日为隔周周一下午。"),
        ("removed", "地点在行政楼一楼。"),
        ("added", "地点改在学生事务中心。"),
    ]
    page = Client().get(revision.get_absolute_url()).content.decode()
    assert "第 2 版 · 已修订" in page
    assert "与第 1 版的差异" in page
    assert 'class="diff-removed' in page


def test_a_wider_audience_sees_that_it_was_revised_but_not_the_old_text(office, approver, staff):
    item = propose(office, content=FIRST, scope=Scope.MEMBERS)
    item = walk(item, ItemState.PUBLISHED, office=office, approver=approver)
    revision = services.item_revise(item=item, user=office)
    revision = services.item_update(item=revision, user=office, content=SECOND, scope=Scope.STAFF)
    revision = walk(revision, ItemState.PUBLISHED, office=office, approver=approver)
    assert selectors.revision_of(revision, staff) is None
    client = Client()
    client.force_login(staff)
    page = client.get(revision.get_absolute_url()).content.decode()
    assert "第 2 版 · 已修订" in page
    assert "地点在行政楼一楼" not in page


def test_only_one_new_version_at_a_time_and_only_of_a_published_item(published, office, approver, member):
    with pytest.raises(DomainError, match="由党务公开工作办公室提出"):
        services.item_revise(item=published, user=member)
    revision = services.item_revise(item=published, user=office)
    with pytest.raises(DomainError, match="第 2 版正在办理中"):
        services.item_revise(item=published, user=office)
    with pytest.raises(DomainError, match="只有已公开的事项"):
        services.item_revise(item=revision, user=office)


def test_the_office_starts_a_new_version_from_the_items_page(published, office):
    client = Client()
    client.force_login(office)
    response = client.post(
        published.get_absolute_url(), {"action": "revise", "revise-note": "地点调整"}, follow=True
    )
    assert "已起草第 2 版" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "disclosure:item_update", args=[published.revisions.get().pk]
    )
