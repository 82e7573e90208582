"""The items of a reminder email (governance.services.reminders.digest_render): `{% load digest %}`, then
`{% digest_item item style %}` in the HTML body and `{% digest_text_item item number %}` in the text body.

The reminder job renders one email a day for each person with something due; an item was a template `include`
(some 30 template nodes) per item, a third of the job's time over a university. Here each item is one call that
builds the same markup with `format_html`; the messages keep their ids (the .po needs no change) and every value is
escaped."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from governance.html import format_html

register = template.Library()


@register.simple_tag
def digest_item(item: Any, style: Any) -> SafeString:
    """One item: its state's badge (the site's words, icon and colours, inline for mail clients), what, for which
    team and period, by when and how long is left, why (the clause), the progress and the 去办理 link."""
    return format_html(
        '<div style="border:1px solid #e3e3e3;border-left:4px solid {background};padding:12px 16px;margin:0 0 12px;">\n'
        '  <div style="font-weight:bold;"><span style="display:inline-block;padding:0 6px;margin-right:6px;'
        'border-radius:3px;font-size:12px;background:{background};color:{foreground};">{icon} {label}</span>{what}</div>\n'
        '  <div style="font-size:13px;color:#555;">{team} · {period}</div>\n'
        '  <div style="margin-top:4px;">{due}：{due_label}，<strong>{when}</strong></div>\n'
        '  <div style="font-size:13px;color:#555;">{why} · {progress}</div>\n'
        '  <div style="margin-top:8px;"><a href="{url}" style="display:inline-block;padding:4px 12px;'
        'background:#b8131a;color:#fff;text-decoration:none;border-radius:4px;">{act}</a></div>\n'
        "</div>\n",
        background=style.background,
        foreground=style.foreground,
        icon=style.icon,
        label=style.label,
        what=item.what,
        team=item.team_name,
        period=item.period,
        due=gettext("截止"),
        due_label=item.due_label,
        when=item.when,
        why=item.why,
        progress=item.progress,
        url=item.url,
        # What the office records (a meeting) is not for the reader to do: say who records it, and link to their
        # dashboard to look.
        act=(gettext("%(what)s由党委办公室登记") % {"what": item.office_records}) + " · " + gettext("查看")
        if getattr(item, "office_records", "")
        else gettext("去办理"),
    )


@register.simple_tag
def digest_text_item(item: Any, number: int) -> str:
    """The same item in the email's plain text: numbered, then its deadline, why, progress and where to act, each on
    its own indented line (the text template renders with autoescape off)."""
    if getattr(item, "office_records", ""):
        act = (gettext("%(what)s由党委办公室登记") % {"what": item.office_records}) + "，" + gettext("查看")
    else:
        act = gettext("办理")
    return (
        f"\n{number}. {item.what}（{item.team_name}）\n"
        f"   {gettext('截止')}：{item.due_label}，{item.when}\n"
        f"   {item.why}\n"
        f"   {gettext('进度')}：{item.progress}\n"
        f"   {act}：{item.url}\n"
    )


@register.simple_tag
def digest_line(line: Any) -> SafeString:
    """A line of a family's section (an urging, an issue awaiting an answer …): what, the detail, and 去办理."""
    detail = (
        format_html('<div style="font-size:13px;color:#555;">{}</div>', line["detail"])
        if line["detail"]
        else ""
    )
    act = (
        format_html(
            '<div style="margin-top:8px;"><a href="{}" style="display:inline-block;padding:4px 12px;'
            'background:#1d4f91;color:#fff;text-decoration:none;border-radius:4px;">{}</a></div>',
            line["url"],
            gettext("去办理"),
        )
        if line["url"]
        else ""
    )
    return format_html(
        '\n  <div style="border:1px solid #e3e3e3;border-left:4px solid #1d4f91;padding:12px 16px;margin:0 0 12px;">\n'
        '    <div style="font-weight:bold;">{}</div>\n'
        "    {}\n"
        "    {}\n"
        "  </div>\n  ",
        line["text"],
        detail,
        act,
    )


@register.simple_tag
def digest_text_line(line: Any, number: int) -> str:
    """The same line in the plain text: numbered, the detail in brackets, and where to act."""
    text = f"\n{number}. {line['text']}"
    if line["detail"]:
        text += f"（{line['detail']}）"
    if line["url"]:
        text += f"\n   {gettext('办理')}：{line['url']}"
    return text + "\n"
