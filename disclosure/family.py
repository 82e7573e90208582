"""The disclosure family's registration with the core (governance.families). For now it lists the regulations it is
built on; its records, panels, evidence sources and reminders arrive with its own issue, through this same
registration."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from governance.families import Family

FAMILY = Family(
    name="disclosure",
    label=_("党务公开"),
    index_url="disclosure:index",
    description=_("党务公开的内容、范围和程序"),
    order=30,
)
