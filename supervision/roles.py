"""The role group of units' people (单位负责人/联络员), added by this family rather than the core: the core's groups
(governance/roles.py) are the four every family shares. A member sees the supervised tasks of the units they are
linked to (`UnitContact`), and only those."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

UNIT_PEOPLE = "单位负责人/联络员"
UNIT_PEOPLE_LABEL = _("单位负责人/联络员")


def ensure_group() -> Group:
    """Create the group if missing (idempotent; runs after every migrate, like the core's groups)."""
    return Group.objects.get_or_create(name=UNIT_PEOPLE)[0]


def is_unit_person(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._portal_group_names = cached
    return UNIT_PEOPLE in cached


def create_group_after_migrate(sender: Any, app_config: Any = None, **kwargs: Any) -> None:
    if app_config is None or app_config.label != "supervision":
        return
    ensure_group()
