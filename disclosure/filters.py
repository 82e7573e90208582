"""The disclosure list's filters (django-filter): state, category, scope, nature, form, year and words of the title.
Applied to what the user may see already (disclosure.permissions.items_visible_to): a filter only narrows."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosure.models import Category, DisclosureItem, Form, ItemState, Nature, Scope


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ItemState.choices, empty_label=_("全部状态"))
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, empty_label=_("全部类别")
    )
    scope = django_filters.ChoiceFilter(label=_("公开范围"), choices=Scope.choices, empty_label=_("全部范围"))
    nature = django_filters.ChoiceFilter(label=_("工作性质"), choices=Nature.choices, empty_label=_("全部"))
    form = django_filters.ChoiceFilter(label=_("公开形式"), choices=Form.choices, empty_label=_("全部形式"))
    year = django_filters.NumberFilter(
        label=_("年度"), field_name="publish_from", lookup_expr="year", min_value=2000, max_value=2100
    )

    class Meta:
        model = DisclosureItem
        fields: list[str] = []

    def search(self, queryset, name, value):
        words = value.split()[:10]
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | Q(topic__icontains=word))
        return queryset


class ArchiveFilter(django_filters.FilterSet):
    """四（四）: the archive searched by year, category, scope and words of the title, topic or content."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = django_filters.NumberFilter(
        label=_("年度"), field_name="publish_from", lookup_expr="year", min_value=2000, max_value=2100
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, empty_label=_("全部类别")
    )
    scope = django_filters.ChoiceFilter(label=_("公开范围"), choices=Scope.choices, empty_label=_("全部范围"))

    class Meta:
        model = DisclosureItem
        fields: list[str] = []

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(topic__icontains=word) | Q(content__icontains=word)
            )
        return queryset
