"""Login lockout behind the reverse proxy, password length, and how long a session lasts (issue 7, holes 2 and 6).

The lockout tests load governance.settings.production afresh with the environment of a deployment (AXES_PROXY_COUNT
as .env.example sets it) and apply its django-axes / django-ipware settings, so they test what production runs.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import governance.settings
from governance import roles
from governance.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the campus reverse proxy, as the web container sees it (REMOTE_ADDR)
ATTACKER = "203.0.113.9"
OFFICE_PC = "198.51.100.7"
WRONG = "not-the-password"
LOCKED = "账号已暂时锁定"


@pytest.fixture
def office(db):
    return UserFactory(username="office", is_staff=True, groups=(roles.OFFICE,))


SETTINGS_MODULES = ("base", "production")


@pytest.fixture
def production_axes(monkeypatch, settings, tmp_path):
    """Apply the axes and ipware settings that governance.settings.production computes for a proxy count."""
    package = governance.settings
    saved = {
        name: (sys.modules.get(f"{package.__name__}.{name}"), getattr(package, name, None))
        for name in SETTINGS_MODULES
    }

    def apply(proxy_count: int) -> None:
        for name, value in {
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "portal.example.edu.cn",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "VAR_DIR": str(tmp_path),
            "AXES_PROXY_COUNT": str(proxy_count),
        }.items():
            monkeypatch.setenv(name, value)
        for name in SETTINGS_MODULES:  # a fresh import of both reads the environment above
            sys.modules.pop(f"{package.__name__}.{name}", None)
        production = importlib.import_module(f"{package.__name__}.production")
        names = [n for n in dir(production) if n.startswith(("AXES_", "IPWARE_"))]
        assert "AXES_IPWARE_PROXY_COUNT" in names
        for name in names:
            setattr(settings, name, getattr(production, name))

    yield apply
    for name, (module, attribute) in saved.items():
        sys.modules.pop(f"{package.__name__}.{name}", None)
        if module is not None:
            sys.modules[f"{package.__name__}.{name}"] = module
        if attribute is None:
            vars(package).pop(name, None)
        else:
            setattr(package, name, attribute)


def _login(client: Client, password: str, username: str = "office"):
    return client.post(reverse("login"), {"username": username, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _lock_out(client: Client, limit: int) -> None:
    for _attempt in range(limit - 1):
        assert _login(client, WRONG).status_code == 200
    locked = _login(client, WRONG)
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()


def _ip_used(**meta) -> str | None:
    return get_client_ip_address(RequestFactory().post(reverse("login"), **meta))


# --- Lockout behind the proxy (hole 2) --------------------------------------------------------------------------


def test_behind_the_proxy_an_attackers_failures_do_not_lock_the_office_out_from_its_own_address(
    office, production_axes, settings
):
    production_axes(1)
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    _lock_out(attacker, settings.AXES_FAILURE_LIMIT)

    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICE_PC)
    response = _login(colleague, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _logged_in(colleague)
    still_locked = _login(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER), PASSWORD)
    assert still_locked.status_code == 429
    assert LOCKED in still_locked.content.decode()
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [("office", ATTACKER)]


def test_behind_the_proxy_a_forged_forwarded_for_does_not_put_the_attackers_failures_on_the_victims_address(
    office, production_axes, settings
):
    production_axes(1)
    # The attacker sends the office's address; the proxy appends the address it really saw.
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{OFFICE_PC}, {ATTACKER}")
    _lock_out(attacker, settings.AXES_FAILURE_LIMIT)

    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICE_PC)

    assert _login(colleague, PASSWORD).status_code == 302
    assert _logged_in(colleague)
    assert _ip_used(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{OFFICE_PC}, not-an-ip, {ATTACKER}") == ATTACKER


def test_behind_two_proxies_the_client_is_the_address_the_outer_proxy_saw(production_axes):
    production_axes(2)

    assert _ip_used(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{OFFICE_PC}, {ATTACKER}, 10.0.0.9") == ATTACKER


def test_without_a_proxy_a_forged_forwarded_for_does_not_change_the_address_used(
    office, production_axes, settings
):
    production_axes(0)

    assert _ip_used(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OFFICE_PC) == ATTACKER
    for forged in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{forged + 1}"), WRONG)
    assert (
        _login(Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200"), PASSWORD).status_code == 429
    )
    assert _login(Client(REMOTE_ADDR=OFFICE_PC), PASSWORD).status_code == 302


def test_the_embedded_default_and_the_test_settings_ignore_forwarded_for():
    assert _ip_used(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER) == "127.0.0.1"


# --- Passwords (hole 6) -----------------------------------------------------------------------------------------


def _change_password(client: Client, new: str):
    return client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )


def test_an_eleven_character_password_is_refused_in_chinese_and_nothing_changes(client, office):
    client.force_login(office)
    assert "你的密码必须包含至少 12 个字符。" in client.get(reverse("password_change")).content.decode()

    response = _change_password(client, "Hong-qi-202")

    assert response.status_code == 200
    assert "密码长度太短。密码必须包含至少 12 个字符。" in response.content.decode()
    office.refresh_from_db()
    assert office.check_password(PASSWORD)


def test_a_twelve_character_password_is_accepted(client, office):
    client.force_login(office)

    response = _change_password(client, "Hong-qi-2027")

    assert response.status_code == 302
    office.refresh_from_db()
    assert office.check_password("Hong-qi-2027")


def test_in_english_the_short_password_message_is_english(client, office):
    client.force_login(office)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = _change_password(client, "Hong-qi-202")

    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()


# --- Sessions (hole 6) ------------------------------------------------------------------------------------------

MORNING = dt.datetime(2026, 11, 25, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_session_ends_after_a_working_day_without_activity_and_not_while_in_use(client, office):
    with time_machine.travel(MORNING, tick=False) as clock:
        assert _login(client, PASSWORD).status_code == 302

        clock.shift(dt.timedelta(hours=9, minutes=50))
        assert client.get(reverse("home")).status_code == 200
        # Each request restarts the clock: 19 h 40 min after logging in, 9 h 50 min after the last request.
        clock.shift(dt.timedelta(hours=9, minutes=50))
        assert client.get(reverse("home")).status_code == 200

        clock.shift(dt.timedelta(hours=10, minutes=1))
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return sum(1 for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"'))


def test_a_session_in_use_is_written_at_most_every_five_minutes(client, office):
    with time_machine.travel(MORNING, tick=False) as clock:
        _login(client, PASSWORD)

        clock.shift(dt.timedelta(minutes=4))
        assert _session_writes(client) == 0
        clock.shift(dt.timedelta(minutes=2))
        assert _session_writes(client) == 1
        assert _session_writes(client) == 0


def test_a_session_from_the_former_fourteen_day_policy_ends_after_a_working_day_without_requests(
    client, office
):
    with time_machine.travel(MORNING, tick=False) as clock:
        _login(client, PASSWORD)
        Session.objects.update(expire_date=timezone.now() + dt.timedelta(days=14))
        assert client.get(reverse("home")).status_code == 200

        clock.shift(dt.timedelta(hours=10, minutes=1))
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_session_cookie_lasts_only_as_long_as_the_browser(client, office):
    response = _login(client, PASSWORD)

    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


def test_changing_the_password_logs_out_the_same_users_other_sessions_and_keeps_this_one(office):
    here, elsewhere = Client(), Client()
    assert _login(here, PASSWORD).status_code == 302
    assert _login(elsewhere, PASSWORD).status_code == 302

    assert _change_password(here, "Hong-qi-2027!").status_code == 302

    assert here.get(reverse("home")).status_code == 200
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
