"""The status vocabulary in templates (governance.engine.status): `{% load status %}`.

- `{% status_style "overdue" as overdue %}` gives a state's words, badge class, icon and colours, for templates whose
  context does not carry them (the reminder emails);
- `{% status_legend %}` renders the legend of every state (the dashboard, the overview, the 四必谈 matrix).
"""

from __future__ import annotations

from django import template

from governance.engine.status import LEGEND, STYLES, StatusStyle

register = template.Library()


@register.simple_tag
def status_style(key: str) -> StatusStyle:
    return STYLES[key]


@register.inclusion_tag("governance/includes/status_legend.html")
def status_legend() -> dict:
    return {"styles": LEGEND}
