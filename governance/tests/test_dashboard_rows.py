"""The fast format_html, format_html_join and conditional_escape (governance/html.py) of the dashboard's rows and the
reminder emails' items give what Django's give: the same escaping of every value, the same trust in what is safe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import html as django_html
from django.utils.functional import lazystr
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from governance import html as rows

VALUES = [
    "林书记",
    "<script>alert('x')</script>",
    "a \"quoted\" & <tagged> 'word'",
    mark_safe("<b>已计入</b>"),
    SafeString("<i>x</i>"),
    lazystr("<lazy & text>"),
    gettext_lazy("去登记"),
    42,
    dt.date(2026, 11, 25),
    None,
    "",
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_a_value_is_escaped_as_django_escapes_it(value):
    ours = rows.conditional_escape(value)

    assert ours == django_html.conditional_escape(value)
    assert isinstance(rows.format_html("{}", value), SafeString)


def test_a_row_fragment_is_built_as_djangos_format_html_builds_it():
    fmt = '<li class="{}" data-rule="{}">{} <a href="{}">{}</a></li>'

    for a, b, c in zip(VALUES, reversed(VALUES), VALUES[3:] + VALUES[:3], strict=True):
        args = (a, b, c, "/communication/talks/new/?with=1&for=2", c)
        assert rows.format_html(fmt, *args) == django_html.format_html(fmt, *args)


def test_records_are_joined_as_djangos_format_html_join_joins_them():
    items = [("<a>", 1), ("b & c", mark_safe("<i>2</i>")), (gettext_lazy("完成"), "3")]

    ours = rows.format_html_join("、", "{}（{}）", items)

    assert ours == django_html.format_html_join("、", "{}（{}）", items)
    assert isinstance(ours, SafeString)


def test_keyword_arguments_are_escaped_as_djangos_format_html_escapes_them():
    fmt = '<div style="background:{bg}">{what}</div>'

    assert rows.format_html(fmt, bg="#fff", what="<b>&</b>") == django_html.format_html(
        fmt, bg="#fff", what="<b>&</b>"
    )
