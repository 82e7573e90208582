"""The outreach family's registration with the core (governance.families). For now it lists the regulations it is
built on; its records, panels, evidence sources and reminders arrive with its own issue, through this same
registration."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from governance.families import Family

FAMILY = Family(
    name="outreach",
    label=_("联系基层"),
    index_url="outreach:index",
    description=_("联系基层、联系服务群众"),
    order=20,
)
