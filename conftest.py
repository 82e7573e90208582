"""Shared fixtures: users in each role, and a real SMTP sink for email tests."""

from __future__ import annotations

import socket

import pytest

from governance.tests.factories import LeaderUserFactory, OfficeUserFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached pages and the stamps belong to one test's data.

    With Redis (the CI's service pass) every pytest-xdist worker shares one database: a worker deletes only its own
    keys (governance/settings/test.py gives each a KEY_PREFIX), never the others' with FLUSHDB."""
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    if prefix and settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language (zh-hans). LocaleMiddleware activates a request's language for the
    thread and leaves it active, so without this a test that asked for English would turn the next test's service
    messages English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def office_user(db):
    return OfficeUserFactory(username="office")


@pytest.fixture
def leader_user(db):
    return LeaderUserFactory(username="leader")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes, policy

        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": msg})
        return "250 OK"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def bodies(self) -> list[str]:
        return [m["message"].get_body(preferencelist=("plain",)).get_content() for m in self.messages]

    def subjects(self) -> list[str]:
        return [str(m["message"]["subject"]) for m in self.messages]


@pytest.fixture
def smtp_sink(settings):
    """Email goes through Django's SMTP backend to a local aiosmtpd server, not the locmem outbox."""
    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield sink
    sink.stop()
