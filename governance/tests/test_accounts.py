"""Logging in and out, changing a password, lockout after repeated failures, and who may open the admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from governance import roles
from governance.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LEADER_GROUPS = (roles.LEADERS, roles.PARTY_MEMBERS)


# Role users built from UserFactory with explicit groups: LeaderUserFactory/OfficeUserFactory (and so the root
# conftest's fixtures) currently pass their `groups` tuple to the model instead of the post-generation hook.
@pytest.fixture
def leader_user(db):
    return UserFactory(username="leader", groups=LEADER_GROUPS)


@pytest.fixture
def office_user(db):
    return UserFactory(username="office", is_staff=True, groups=(roles.OFFICE,))


WRONG_LOGIN = "请输入一个正确的用户名和密码。注意，两者都区分大小写。"


def _page(response) -> str:
    return response.content.decode()


def _login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_is_in_chinese_and_carries_a_csrf_token(client):
    response = client.get(reverse("login"))

    page = _page(response)
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "<title>登录 · 党委办公室</title>" in page
    assert "用户名" in page
    assert "密码" in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_login_posted_without_the_csrf_token_is_refused_with_a_chinese_page(leader_user):
    client = Client(enforce_csrf_checks=True)

    response = _login(client, "leader", PASSWORD)

    assert response.status_code == 403
    assert "页面已过期，请重新提交" in _page(response)
    assert not _logged_in(client)


def test_the_right_password_logs_the_user_in_and_sends_them_home(client, leader_user):
    response = _login(client, "leader", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _logged_in(client)


def test_a_wrong_password_shows_a_chinese_error_and_keeps_the_username_typed(client, leader_user):
    response = _login(client, "leader", "not-the-password")

    page = _page(response)
    assert response.status_code == 200
    assert WRONG_LOGIN in page
    assert 'value="leader"' in page
    assert not _logged_in(client)


def test_after_three_wrong_passwords_the_account_is_locked_out_even_for_the_right_one(
    client, leader_user, settings
):
    assert settings.AXES_FAILURE_LIMIT == 3
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert WRONG_LOGIN in _page(_login(client, "leader", "not-the-password"))

    locked = _login(client, "leader", "not-the-password")
    assert locked.status_code == 429
    assert "账号已暂时锁定" in _page(locked)
    assert "密码已连续输错 3 次" in _page(locked)
    assert "请在 30 分钟后再试" in _page(locked)

    right_password = _login(client, "leader", PASSWORD)
    assert right_password.status_code == 429
    assert "账号已暂时锁定" in _page(right_password)
    assert not _logged_in(client)


def test_a_lockout_of_one_account_leaves_other_accounts_able_to_log_in(client, leader_user, settings):
    other = UserFactory(username="other-leader", groups=LEADER_GROUPS)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "leader", "not-the-password")

    response = _login(client, other.username, PASSWORD)

    assert response.status_code == 302
    assert _logged_in(client)


def test_a_leader_cannot_open_the_admin(client, leader_user):
    client.force_login(leader_user)

    response = client.get("/admin/")

    # The portal's page saying the admin is the office's (issue 8), not the admin's login form.
    assert response.status_code == 403
    assert "管理后台只供党委办公室使用" in _page(response)
    assert "管理首页" not in _page(response)


def test_a_leader_flagged_as_staff_still_cannot_open_the_admin(client):
    leader = UserFactory(username="staff-leader", is_staff=True, groups=LEADER_GROUPS)
    client.force_login(leader)

    response = client.get("/admin/")

    assert response.status_code == 403
    assert "管理后台只供党委办公室使用" in _page(response)


def test_office_staff_open_the_admin_and_see_it_in_chinese(client, office_user):
    client.force_login(office_user)

    response = client.get("/admin/")

    page = _page(response)
    assert response.status_code == 200
    assert "管理首页" in page
    assert "党委办公室 · 领导班子工作管理" in page


def test_logout_by_get_is_refused_and_keeps_the_user_logged_in(client, leader_user):
    client.force_login(leader_user)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert _logged_in(client)


def test_logout_by_post_ends_the_session_and_says_so_on_the_login_page(client, leader_user):
    client.force_login(leader_user)

    response = client.post(reverse("logout"), follow=True)

    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "您已安全退出。" in _page(response)
    assert not _logged_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_the_password_change_page_needs_a_login(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_changes_their_password_and_stays_logged_in(client, leader_user):
    client.force_login(leader_user)
    form = client.get(reverse("password_change"))
    assert "修改密码" in _page(form)
    assert 'name="csrfmiddlewaretoken"' in _page(form)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Hong-qi-2027!", "new_password2": "Hong-qi-2027!"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("password_change_done"), 302)]
    assert "密码已修改" in _page(response)
    leader_user.refresh_from_db()
    assert leader_user.check_password("Hong-qi-2027!")
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_old_password_is_refused_in_chinese_and_nothing_changes(client, leader_user):
    client.force_login(leader_user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not-the-password",
            "new_password1": "Hong-qi-2027!",
            "new_password2": "Hong-qi-2027!",
        },
    )

    assert response.status_code == 200
    assert "你的旧密码不正确。请重新输入。" in _page(response)
    leader_user.refresh_from_db()
    assert leader_user.check_password(PASSWORD)


def test_mismatched_new_passwords_are_refused_in_chinese(client, leader_user):
    client.force_login(leader_user)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Hong-qi-2027!", "new_password2": "Hong-qi-2028!"},
    )

    assert "输入的两个密码不一致。" in _page(response)
    leader_user.refresh_from_db()
    assert leader_user.check_password(PASSWORD)
