"""The filters of the task lists (governance/filters.py says how they are used): state, unit, leader, source,
deadline colour, year and a search. Each narrows a queryset the page has already limited to what the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from governance.models import Organization, Person
from governance.roles import is_leader, is_office
from supervision.models import SupervisedTask, TaskColour, TaskSource, TaskState
from supervision.permissions import tasks_visible_to, unit_ids_of
from supervision.selectors import colour_condition, workday_edge

ALL = _("全部")


class ListSelect(forms.Select):
    """A select written here, in Python, with the markup of Django's select template (django/forms/widgets/select.html
    and attrs.html): through the template, even with the options in one loop, a select cost 0.1—0.3 ms, and the
    list's filter form 2.3 ms rather than 1.6 (a unit's list at 20,000 tasks, bench/results.md). Names and labels are
    escaped by format_html."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>',
                        str(option["value"]),
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # Every part above came out of format_html (its values escaped) or is a constant.
        return mark_safe("".join(parts))  # noqa: S308 # nosec B308 B703


MAX_SEARCH_TERMS = 10


def _user(request):
    return getattr(request, "user", None)


def _units(request=None):
    """Every college and department; for a unit's head or liaison who is no leader, their own units only (they see
    only the tasks their units lead or co-handle)."""
    units = Organization.objects.filter(kind__in=["college", "department"]).order_by("order", "code")
    user = _user(request)
    if user is None or is_office(user) or is_leader(user):
        return units
    return units.filter(pk__in=list(unit_ids_of(user)))


def _leaders(request=None):
    """The leaders responsible for the tasks the user sees: for each person, whether one such task exists, through the
    leader index (task_leader_state) — not a read of every task's leader (9 ms at 20,000 tasks)."""
    user = _user(request)
    tasks = SupervisedTask.objects.all() if user is None else tasks_visible_to(user)
    return Person.objects.filter(Exists(tasks.filter(leader_id=OuterRef("pk")))).order_by("name")


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", max_length=100)
    state = django_filters.ChoiceFilter(
        label=_("办理状态"), choices=TaskState.choices, empty_label=ALL, widget=ListSelect
    )
    colour = django_filters.ChoiceFilter(
        label=_("期限"), choices=TaskColour.choices, empty_label=ALL, method="by_colour", widget=ListSelect
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("承办单位"), queryset=_units, empty_label=ALL, method="by_unit", widget=ListSelect
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("分管校领导"), queryset=_leaders, empty_label=ALL, widget=ListSelect
    )
    source = django_filters.ChoiceFilter(
        label=_("事项来源"), choices=TaskSource.choices, empty_label=ALL, widget=ListSelect
    )
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)

    class Meta:
        model = SupervisedTask
        fields: list[str] = []  # every filter is declared above

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self.request)
        if user is not None and not (is_office(user) or is_leader(user)) and len(unit_ids_of(user)) <= 1:
            # A unit's head or liaison of one unit sees that unit's tasks only: a choice of units is no choice.
            del self.filters["unit"]

    def search(self, queryset, name, value):
        """Every word (at most ten) in the number, the title or the matter."""
        for word in value.split()[:MAX_SEARCH_TERMS]:
            queryset = queryset.filter(
                Q(number__icontains=word) | Q(title__icontains=word) | Q(matter__icontains=word)
            )
        return queryset

    def by_colour(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(colour_condition(value, today, workday_edge(today)))

    def by_unit(self, queryset, name, value):
        """Tasks the unit leads or co-handles."""
        co = SupervisedTask.co_units.through.objects.filter(organization_id=value.pk).values(
            "supervisedtask_id"
        )
        return queryset.filter(Q(lead_unit=value) | Q(pk__in=co))
