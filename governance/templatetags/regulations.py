"""Regulations in templates: `{% load regulations %}`.

- `{% regulations_cited organization %}`: the line naming the regulations the shown rules cite — the organizations'
  own, each with its 参照 in small text (the overview; `organization` None: every organization's).
"""

from __future__ import annotations

from django import template

from governance.models import Organization
from governance.selectors.regulations import cited_regulations

register = template.Library()


@register.inclusion_tag("governance/policy_cited.html")
def regulations_cited(organization: Organization | None = None) -> dict:
    return {"regulations": cited_regulations(organization=organization)}
