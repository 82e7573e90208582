"""Roles are Django groups. A person's view of the site follows from their group and positions."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OFFICE = "党委办公室"
LEADERS = "校领导/院领导"
PARTY_MEMBERS = "党员"
STAFF = "教职工"

ALL_GROUPS = (OFFICE, LEADERS, PARTY_MEMBERS, STAFF)


def ensure_groups() -> dict[str, Group]:
    """Create the four role groups if missing (idempotent; runs after every migrate)."""
    return {name: Group.objects.get_or_create(name=name)[0] for name in ALL_GROUPS}


def _group_names(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._portal_group_names = cached
    return cached


def is_office(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Office staff (and superusers) configure the site, record for others and use the admin."""
    return bool(user.is_authenticated and (user.is_superuser or OFFICE in _group_names(user)))


def is_leader(user: AbstractBaseUser | AnonymousUser) -> bool:
    return LEADERS in _group_names(user)


def is_party_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return PARTY_MEMBERS in _group_names(user) or is_leader(user)


@dataclass(frozen=True)
class Role:
    """The role a page speaks to: `key` for templates ("office", "leader", "member", "staff"), `label` to show."""

    key: str
    label: str | Promise


OFFICE_ROLE = Role("office", _("党委办公室"))
LEADER_ROLE = Role("leader", _("班子成员"))
MEMBER_ROLE = Role("member", _("党员"))
STAFF_ROLE = Role("staff", _("教职工"))


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    """The user's main role, the widest first: the office, a leader, a Party member, else a member of staff.
    None for anonymous visitors."""
    if not user.is_authenticated:
        return None
    if is_office(user):
        return OFFICE_ROLE
    if is_leader(user):
        return LEADER_ROLE
    if is_party_member(user):
        return MEMBER_ROLE
    return STAFF_ROLE
