"""What every page's navigation and banners need to know about the user."""

from __future__ import annotations

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from governance.families import families
from governance.roles import is_leader, is_office


def _missing_holiday_years() -> list[int]:
    from governance.services.workdays import missing_years, years_in_use

    return missing_years(years_in_use(timezone.localdate()))


def portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_office": False, "is_leader": False}
    office = is_office(user)
    context = {
        "is_office": office,
        "is_leader": is_leader(user),
        # The 业务模块 menu and the home page's module cards: each registered family the user may open.
        "portal_families": [f for f in families() if f.nav_visible(user)],
    }
    if office:
        # Lazy: only pages that show the calendar banner pay for its few queries (most admin pages don't).
        context["missing_holiday_years"] = SimpleLazyObject(_missing_holiday_years)
    return context
