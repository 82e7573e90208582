"""The supervision family's registration with the core (governance.families). For now it lists the regulations it is
built on; its records, panels, evidence sources and reminders arrive with its own issue, through this same
registration."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from governance.families import Family

FAMILY = Family(
    name="supervision",
    label=_("督查督办"),
    index_url="supervision:index",
    description=_("督办事项的立项、办理和反馈"),
    order=40,
)
