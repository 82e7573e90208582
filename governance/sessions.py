"""Sessions that end after a working day without a request (issue 7 §6), at little cost to the pages.

SESSION_ENGINE in settings. Django's SESSION_SAVE_EVERY_REQUEST would keep a session alive by use too, but it writes
the session row on every page view, a cached dashboard's included. Here a request pushes the expiry to now +
SESSION_COOKIE_AGE only when the last push is more than REFRESH old, so a session ends between SESSION_COOKIE_AGE −
REFRESH and SESSION_COOKIE_AGE after its last request, and an active user's session is written at most every REFRESH.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import db
from django.utils import timezone

REFRESH = dt.timedelta(minutes=5)


class SessionStore(db.SessionStore):
    """Django's database sessions, kept alive by use."""

    def load(self) -> dict[str, Any]:
        return self._kept_alive(self._get_session_from_db())

    async def aload(self) -> dict[str, Any]:
        return self._kept_alive(await self._aget_session_from_db())

    def _kept_alive(self, row) -> dict[str, Any]:
        if row is None:
            return {}
        data = self.decode(row.session_data)
        left = row.expire_date - timezone.now()
        age = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        # Stale: push the expiry (SessionMiddleware saves a modified session). Longer than the age: written under
        # an earlier, longer policy (Django's default 14 days), cut back to one working day on this request.
        if "_session_expiry" not in data and not (age - REFRESH <= left <= age + REFRESH):
            self.modified = True
        return data
