"""The rows of a leader's dashboard (governance.selectors.dashboard.Row), as HTML: `{% load obligation_rows %}`,
then `{% obligation_row row today %}` for an open obligation and `{% settled_row row %}` for a settled one.

A leader's page lists dozens of obligations, each with its state, period, due date, clause and the records that
counted. Written as template markup that was some 1,500 variable lookups, 200 translations and 200 date formats
per page, most of a cold dashboard's time (issue 6 §3); here each row is one function call that builds the same
markup with `format_html`, the same message ids (the .po needs no change) and each date formatted once per render.
Every value from the data is escaped (`conditional_escape`); only the message strings themselves are trusted.

`format_html`, `format_html_join` and `conditional_escape` are governance.html's, with the same output as Django's
(html.escape of the text, or the value's own `__html__`) without their per-call checks for lazy arguments: two
thousand calls per page made them a third of a dashboard's rendering (governance/tests/test_dashboard_rows.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext

from governance.engine.status import NOT_STARTED, Status
from governance.html import conditional_escape, format_html, format_html_join

register = template.Library()
NOTHING = SafeString("")


# The messages of a row (the same message ids the templates had, so the .po needs no change), translated once per
# render by _Words; gettext_noop lets `make messages` find them.
WITH = gettext_noop("与 %(name)s")
PERIOD = gettext_noop("%(label)s（%(start)s—%(end)s）")
DONE = gettext_noop("完成")
COUNTED = gettext_noop("已计入：")
COUNTED_RECORD = gettext_noop("%(title)s（%(day)s）")
SOURCE = gettext_noop("参照：%(source)s")
CLAUSE = gettext_noop("依据")
RECORD = gettext_noop("去登记")
STARTS = gettext_noop("%(start)s起计")
DUE_PASSED = gettext_noop("约定日期%(due)s已过，请在本期结束（%(end)s）前补上")
DUE_BY = gettext_noop("%(due)s前完成")
OFFICE_RECORDS = gettext_noop("%(what)s由党委办公室登记")
PLANNED = gettext_noop("已安排：")
PLANNED_RECORD = gettext_noop("%(day)s %(title)s")
EXCUSED = gettext_noop("免于考核：")


def _msg(message: str, **values: Any) -> SafeString:
    """A translated message with escaped values, as `{% blocktranslate %}` renders it."""
    # Every value is escaped; the message is the translators' own text, as blocktranslate trusts it.
    escaped = {k: conditional_escape(v) for k, v in values.items()}
    return mark_safe(message % escaped)  # noqa: S308 # nosec B308 B703


class _Words:
    """What every row of one render repeats, worked out once: the translated messages, each date in MONTH_DAY_FORMAT
    and the states' labels (a page lists dozens of rows over the same few dates and messages)."""

    def __init__(self) -> None:
        self._messages: dict[str, str] = {}
        self._days: dict[dt.date, str] = {}
        self._labels: dict[str, str] = {}
        self.between = pgettext("between names", "、")

    def __call__(self, message: str) -> str:
        found = self._messages.get(message)
        if found is None:
            found = self._messages[message] = gettext(message)
        return found

    def day(self, day: dt.date | None) -> str:
        if day is None:
            return ""
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = date_format(day, "MONTH_DAY_FORMAT")
        return found

    def label(self, row: Any) -> str:
        found = self._labels.get(row.status)
        if found is None:
            found = self._labels[row.status] = str(row.style.label)
        return found


def _words(context: template.Context) -> _Words:
    # One per template render (render_context is per render, never shared between requests or languages).
    found = context.render_context.get(_Words)
    if found is None:
        found = context.render_context[_Words] = _Words()
    return found


def _records(items: Iterable[Any], w: _Words, message: str) -> SafeString:
    """Records as "标题（11月3日）、…", each linked to its page when it has one."""
    parts = []
    for ev in items:
        record = _msg(w(message), title=ev.title, day=w.day(ev.date))
        parts.append(format_html('<a href="{}">{}</a>', ev.url, record) if ev.url else record)
    return format_html_join(w.between, "{}", ((part,) for part in parts))


def _head(row: Any, w: _Words) -> SafeString:
    with_whom = ""
    if row.with_whom:
        with_whom = format_html(
            ' <span class="text-body-secondary">· {}</span>', _msg(w(WITH), name=row.with_whom)
        )
    return format_html(
        '<span class="status-badge {} me-1">{}</span>\n<strong>{}</strong>{}',
        row.style.css,
        w.label(row),
        row.title,
        with_whom,
    )


def _period(row: Any, w: _Words) -> SafeString:
    period = _msg(w(PERIOD), label=row.period_label, start=w.day(row.period_start), end=w.day(row.period_end))
    return format_html("{}\n · {} {}", period, w(DONE), row.progress)


def _evidence(row: Any, w: _Words) -> SafeString:
    if not row.evidence:
        return NOTHING
    more = ""
    if row.more_evidence:
        n = row.more_evidence
        more = format_html(
            '\n<span class="text-body-secondary">{}</span>',
            _msg(ngettext("等，另有 %(n)s 条", "等，另有 %(n)s 条", n), n=n),
        )
    return format_html(
        '\n<div class="small mt-1">{}\n{}{}</div>',
        w(COUNTED),
        _records(row.recent_evidence, w, COUNTED_RECORD),
        more,
    )


def _clause(row: Any, w: _Words, *, with_source: bool) -> SafeString:
    source = ""
    if with_source and row.source:
        source = format_html(
            ' <span class="small text-body-secondary reference-note">{}</span>',
            _msg(w(SOURCE), source=row.source),
        )
    return format_html(
        '\n<div class="small mt-1"><span class="clause-ref" title="{}">{} {}</span>{}</div>',
        row.citation,
        w(CLAUSE),
        row.citation,
        source,
    )


@register.simple_tag(takes_context=True)
def obligation_row(context: template.Context, row: Any, today: dt.date) -> SafeString:
    """An open obligation: its state and title with the one-click 去登记 first on its line (a phone shows it without
    scrolling), then its period, progress and what remains to do by when, the clause, what counted and what is
    planned."""
    w = _words(context)
    record = ""
    if row.record_url:
        record = format_html(
            '\n<a class="btn btn-sm btn-outline-primary record-link flex-shrink-0" href="{}">{}</a>',
            row.record_url,
            getattr(row, "record_label", "") or w(RECORD),
        )
    when: SafeString | str = ""
    if row.status == NOT_STARTED:
        when = _msg(w(STARTS), start=w.day(row.obligation.window_start))
    elif row.status != Status.OVERDUE:
        if row.due < today:
            when = _msg(w(DUE_PASSED), due=w.day(row.due), end=w.day(row.period_end))
        else:
            when = _msg(w(DUE_BY), due=w.day(row.due))
    if when:
        when = format_html("\n · {}", when)
    office = ""
    if row.office_records and not row.record_url:
        office = format_html("\n · {}", _msg(w(OFFICE_RECORDS), what=row.office_records))
    planned = ""
    if row.planned:
        planned = format_html(
            '\n<div class="small mt-1 planned-records">{}\n{}</div>',
            w(PLANNED),
            _records(row.planned, w, PLANNED_RECORD),
        )
    return format_html(
        '<li class="list-group-item obligation obligation-{}" data-rule="{}" data-status="{}">\n'
        '<div class="d-flex gap-2 align-items-start justify-content-between">\n'
        '<div class="obligation-title">\n{}\n</div>{}\n</div>\n'
        '<div class="small text-body-secondary mt-1">\n{}{}{}\n</div>{}{}{}\n</li>',
        row.status,
        row.obligation.rule.code,
        row.status,
        _head(row, w),
        record,
        _period(row, w),
        when,
        office,
        _clause(row, w, with_source=True),
        _evidence(row, w),
        planned,
    )


@register.simple_tag(takes_context=True)
def settled_row(context: template.Context, row: Any) -> SafeString:
    """A settled obligation (done or excused): its state, period and progress, why it was excused, the clause and
    what counted."""
    w = _words(context)
    excused = ""
    if row.excuse_reason:
        excused = format_html("\n · {}{}", w(EXCUSED), row.excuse_reason)
    return format_html(
        '<li class="list-group-item obligation obligation-{}" data-rule="{}" data-status="{}">\n'
        "{}\n"
        '<div class="small text-body-secondary mt-1">\n{}{}\n</div>{}{}\n</li>',
        row.status,
        row.obligation.rule.code,
        row.status,
        _head(row, w),
        _period(row, w),
        excused,
        _clause(row, w, with_source=False),
        _evidence(row, w),
    )
