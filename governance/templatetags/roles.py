"""The signed-in user's role in templates (governance.roles.role_of): `{% load roles %}{% portal_role as role %}`,
then `role.key` ("office", "leader", "member", "staff") and `role.label`."""

from __future__ import annotations

from django import template

from governance.roles import Role, role_of

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_role(context) -> Role | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    return role_of(user) if user is not None else None
