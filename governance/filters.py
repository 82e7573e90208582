"""List filters, declared with django-filter: one `FilterSet` per list page (in each family's `filters.py`), applied by
`FilteredListView` to the queryset the page already limited to what the user may see, and reusable as is by that
list's export. Nothing here knows a family.

A filter only narrows: the view hands the filterset its permission-scoped queryset, and the filterset filters it.
A value that does not validate (text where an id is expected, an id beyond any row, a date that is no date) is left
out of the filtering and its error is shown beside its field; the page never fails on a query string."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.views import FilterView


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO 8601 (a picker ignores anything else), also for years
    before 1000, which `strftime("%Y")` would not pad."""

    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return value.isoformat()
        return super().format_value(value)


def date_on_or_after(field_name: str, label: Any = None) -> django_filters.DateFilter:
    """Rows dated on or after the given day."""
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr="gte", label=label or _("起始日期"), widget=DateInput
    )


def date_on_or_before(field_name: str, label: Any = None) -> django_filters.DateFilter:
    """Rows dated on or before the given day."""
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr="lte", label=label or _("截止日期"), widget=DateInput
    )


class FilteredListView(FilterView):
    """A paginated list narrowed by `filterset_class`. `get_queryset()` returns what the user may see (the
    permission scope); the filterset narrows it. The template gets `filter` (templates/includes/list_filter.html
    renders its fields and their errors), `query`, the filter's query string without the page number, for the
    pagination links, and `filtered`, whether any filter narrows the list.

    Not strict: a value that does not validate is ignored (the other filters still apply) rather than emptying the
    list, and the form says why beside the field."""

    strict = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query"] = params.urlencode()
        # Whether a filter actually narrows the list (the empty list then says "nothing matches", not "nothing yet").
        filterset = context["filter"]
        context["filtered"] = filterset.is_bound and any(
            value not in EMPTY_VALUES for value in filterset.form.cleaned_data.values()
        )
        return context
