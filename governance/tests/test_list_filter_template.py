"""The shared filter form of the list pages (templates/includes/list_filter.html): inputs and selects are written
without crispy's per-field templates (governance/templatetags/list_filter.py) but read as crispy wrote them — the
label tied to its field, Bootstrap's classes, a bad value marked invalid with its message right under it — and any
other kind of field still goes through crispy."""

from __future__ import annotations

import django_filters
from django.http import QueryDict
from django.template.loader import render_to_string

from governance.filters import DateInput
from governance.models import Organization


class SampleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", max_length=10)
    kind = django_filters.ChoiceFilter(label="类型", choices=[("a", "甲"), ("b", "乙")], empty_label="全部")
    year = django_filters.NumberFilter(label="年度")
    since = django_filters.DateFilter(label="起始日期", widget=DateInput)
    mine = django_filters.BooleanFilter(label="只看我的", widget=django_filters.widgets.forms.CheckboxInput)

    class Meta:
        model = Organization  # never queried: only the form is rendered
        fields: list[str] = []


def rendered(query: str) -> str:
    return render_to_string("includes/list_filter.html", {"filter": SampleFilter(QueryDict(query))})


def test_each_field_has_its_label_and_bootstraps_classes():
    html = rendered("q=党建&kind=b")
    assert '<label for="id_q" class="form-label">搜索</label>' in html
    assert 'class="textinput form-control" id="id_q"' in html
    assert 'value="党建"' in html
    assert '<select name="kind" class="select form-select" id="id_kind">' in html
    assert '<option value="b" selected>乙</option>' in html
    assert 'type="date" name="since" class="dateinput form-control" id="id_since"' in html
    assert "is-invalid" not in html
    assert "有筛选条件无效" not in html


def test_a_bad_value_is_marked_and_its_message_stands_under_its_field():
    html = rendered("kind=zz&year=abc&q=党建")
    assert "有筛选条件无效，已忽略，其余条件照常筛选。" in html
    assert 'aria-describedby="id_kind_error" class="select form-select is-invalid"' in html
    assert '<div id="id_kind_error" class="invalid-feedback"><p id="error_1_id_kind"><strong>' in html
    assert "zz 不在可用的选项中" in html
    assert 'class="numberinput form-control is-invalid"' in html
    assert '<p id="error_1_id_year"><strong>输入一个数字。</strong></p>' in html
    # The other input keeps what the user typed.
    assert 'value="党建" maxlength="10" class="textinput form-control" id="id_q"' in html


def test_a_checkbox_still_goes_through_crispy():
    html = rendered("mine=on")
    assert '<div id="div_id_mine" class="form-check">' in html
    assert 'class="checkboxinput form-check-input" id="id_mine" checked' in html
