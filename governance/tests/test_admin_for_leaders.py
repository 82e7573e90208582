"""/admin/ is the office's (issue 8): a leader, a Party member or a member of staff who opens it gets a page of the
portal saying so, with the way back to their own pages — never the admin's login form. Anonymous visitors get the
admin's login; the office gets the admin, including the 周期任务 page its home links to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance import roles
from governance.tests.factories import (
    LeaderUserFactory,
    OfficeUserFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/login/?next=/admin/",
    "/admin/communication/meeting/",
    "/admin/governance/person/",
    "/admin/django_celery_beat/periodictask/",
    "/admin/no-such-page/",
]


@pytest.fixture
def leader():
    user = LeaderUserFactory(username="wxy_shuji", first_name="李书涵")
    PersonFactory(user=user, name="李书涵")
    return user


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("address", ADMIN_PAGES)
def test_a_leader_who_opens_the_admin_is_told_it_is_the_offices_and_led_back_to_their_dashboard(
    client, leader, address
):
    response = signed_in(client, leader).get(address)

    assert response.status_code == 403
    page = response.content.decode()
    assert "管理后台只供党委办公室使用" in page
    assert "返回我的首页（个人工作要求看板）" in page
    assert f'href="{reverse("home")}"' in page
    assert f'href="{reverse("communication:index")}"' in page  # the modules they do use
    # The portal's layout (its navbar and account menu), not the admin's login form.
    assert 'class="navbar' in page
    assert reverse("calendar:page") in page
    assert 'name="password"' not in page
    assert "django-admin" not in page


@pytest.mark.parametrize(
    "groups",
    [(roles.STAFF,), (roles.PARTY_MEMBERS,), ()],
    ids=["staff", "party member", "no role"],
)
def test_staff_and_party_members_get_the_same_friendly_page_with_a_way_home(client, groups):
    user = UserFactory(groups=list(groups))

    response = signed_in(client, user).get("/admin/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "管理后台只供党委办公室使用" in page
    assert "返回首页" in page
    assert "个人工作要求看板" not in page  # that is a leader's page
    assert 'name="password"' not in page


def test_a_staff_flag_without_the_office_role_does_not_open_the_admin(client):
    user = UserFactory(is_staff=True, groups=[roles.LEADERS])

    response = signed_in(client, user).get("/admin/governance/person/")

    assert response.status_code == 403
    assert "管理后台只供党委办公室使用" in response.content.decode()


def test_anonymous_visitors_still_get_the_admins_login_form(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [(f"{reverse('admin:login')}?next=/admin/", 302)]
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="password"' in page
    assert "管理后台只供党委办公室使用" not in page


def test_the_office_gets_the_admin(client):
    office = OfficeUserFactory()

    response = signed_in(client, office).get("/admin/")

    assert response.status_code == 200
    assert "管理后台只供党委办公室使用" not in response.content.decode()
    assert reverse("admin:communication_meeting_changelist") in response.content.decode()


def test_the_office_follows_its_homes_send_time_card_to_the_periodic_tasks_and_opens_one(client):
    """Issue 8's first Broken item: the office home's "发送时间（周期任务）" answered the office 403."""
    office = OfficeUserFactory()
    client = signed_in(client, office)
    tasks = reverse("admin:django_celery_beat_periodictask_changelist")

    assert tasks in client.get(reverse("home")).content.decode()
    listing = client.get(tasks)
    assert listing.status_code == 200

    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.order_by("pk").first()
    assert task is not None  # the daily reminder run is a row after migrate
    change = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))
    assert change.status_code == 200
    assert 'name="crontab"' in change.content.decode()


def test_the_friendly_page_speaks_english_in_english(client, leader):
    client = signed_in(client, leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get("/admin/").content.decode()

    assert "The admin is for the Party Committee Office" in page
    assert "管理后台只供党委办公室使用" not in page
