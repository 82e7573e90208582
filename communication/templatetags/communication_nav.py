"""The module's tabs and the reasons an empty list gives, for the pages of communication/ (communication.navigation).

{% load communication_nav %}
{% communication_tabs as tabs %}             the tabs the user can use, the current page's marked active
{% communication_empty_reason "meetings" %}  why the user's list of meetings is empty
"""

from __future__ import annotations

from django import template

from communication import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def communication_tabs(context) -> list[navigation.Tab]:
    request = context["request"]
    match = request.resolver_match
    return navigation.tabs(request.user, match.url_name if match else "")


@register.simple_tag(takes_context=True)
def communication_empty_reason(context, key: str) -> str:
    return str(navigation.empty_reason(context["request"].user, key))
