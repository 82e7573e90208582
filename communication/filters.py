"""The filters of communication's list pages, one FilterSet per page (governance/filters.py says how they are used).

Each narrows a queryset the page has already limited to what the user may see (`visible_to`); none widens it. The
query-string names are those the pages have always used (`formal`, `kind`, `organization`, `status`,
`meeting_kind`), so older links keep working."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from communication.models import (
    Absence,
    AbsenceKind,
    AgendaItem,
    AgendaItemStatus,
    Meeting,
    MeetingKind,
    Talk,
)
from governance.filters import date_on_or_after, date_on_or_before
from governance.models import Organization

ALL = _("全部")


def _organizations_with_a_team(request=None):
    """The organizations that have a leadership team: those that hold meetings and table agenda items."""
    return Organization.objects.filter(team__isnull=False)


class TalkFilter(django_filters.FilterSet):
    # 000 四（五）: 正式谈心 vs 不定期沟通; ?formal=1 / ?formal=0.
    formal = django_filters.TypedChoiceFilter(
        label=_("类别"),
        choices=[("", ALL), ("1", _("正式谈心")), ("0", _("不定期沟通"))],
        coerce=lambda value: value == "1",
        empty_value=None,
    )
    date_from = date_on_or_after("date")
    date_to = date_on_or_before("date")

    class Meta:
        model = Talk
        fields: list[str] = []  # every filter is declared above


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("会议类型"), choices=MeetingKind.choices, empty_label=ALL)
    organization = django_filters.ModelChoiceFilter(
        label=_("召开单位"), queryset=_organizations_with_a_team, empty_label=ALL
    )
    date_from = date_on_or_after("date")
    date_to = date_on_or_before("date")

    class Meta:
        model = Meeting
        fields: list[str] = []  # every filter is declared above


class AgendaItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AgendaItemStatus.choices, empty_label=ALL)
    organization = django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=_organizations_with_a_team, empty_label=ALL
    )
    meeting_kind = django_filters.ChoiceFilter(
        label=_("拟提交会议"), choices=MeetingKind.choices, empty_label=ALL
    )

    class Meta:
        model = AgendaItem
        fields: list[str] = []  # every filter is declared above


class AbsenceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("外出类型"), choices=AbsenceKind.choices, empty_label=ALL)
    # An absence is listed when it overlaps the chosen days.
    date_from = date_on_or_after("end")
    date_to = date_on_or_before("start")

    class Meta:
        model = Absence
        fields: list[str] = []  # every filter is declared above
