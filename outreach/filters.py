"""The activity list's filters (governance/filters.py says how they are used): kind, leader, unit, academic year and a
search. Each narrows a queryset the page has already limited to what the user may see."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import AcademicYear, Organization, Person
from outreach.models import Activity, ActivityKind, IssueState, RaisedIssue

ALL = _("全部")
MAX_SEARCH_TERMS = 10


def _units(request=None):
    return (
        Organization.objects.filter(is_active=True)
        .exclude(kind=Organization.Kind.UNIVERSITY)
        .order_by("order", "code")
    )


def _years(request=None):
    return AcademicYear.objects.order_by("-start")


def _leaders(request=None):
    return Person.objects.filter(pk__in=Activity.leaders.through.objects.values("person_id")).order_by("name")


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", max_length=100)
    kind = django_filters.ChoiceFilter(label=_("活动类别"), choices=ActivityKind.choices, empty_label=ALL)
    leader = django_filters.ModelChoiceFilter(
        label=_("班子成员"), queryset=_leaders, empty_label=ALL, method="by_leader"
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("基层单位"), queryset=_units, empty_label=ALL, method="by_unit"
    )
    year = django_filters.ModelChoiceFilter(
        label=_("学年"), queryset=_years, empty_label=ALL, method="by_academic_year"
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def search(self, queryset, name, value):
        """Every word (at most ten) in the title, the course or the teacher (never the notes)."""
        for word in value.split()[:MAX_SEARCH_TERMS]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(course__icontains=word) | Q(teacher__icontains=word)
            )
        return queryset

    def by_leader(self, queryset, name, value):
        through = Activity.leaders.through
        return queryset.filter(pk__in=through.objects.filter(person_id=value.pk).values("activity_id"))

    def by_unit(self, queryset, name, value):
        through = Activity.units.through
        return queryset.filter(pk__in=through.objects.filter(organization_id=value.pk).values("activity_id"))

    def by_academic_year(self, queryset, name, value):
        """004 第六条1: 按学年汇总 — the academic year's dates, from the academic calendar."""
        return queryset.filter(date__gte=value.start, date__lte=value.end)


class IssueFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=IssueState.choices, empty_label=ALL)

    class Meta:
        model = RaisedIssue
        fields: list[str] = []
