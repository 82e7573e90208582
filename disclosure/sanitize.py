"""What a disclosure item's content and a viewer's opinion may contain: an explicit allow-list for nh3 (STACK.md:
sanitize on save and escape on render). No scripts, no event-handler attributes, no style, only http(s) and mailto
links, which open with rel="noopener noreferrer"."""

from __future__ import annotations

import html
import re

import nh3

TAG = re.compile(r"<[a-zA-Z/!]")

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(value: str) -> str:
    """The content with only the allowed markup. Plain text (no tag at all) becomes paragraphs, one per blank-line
    separated block, with line breaks kept, so the office may type without any markup."""
    value = (value or "").strip()
    if not value:
        return ""
    if not TAG.search(value):
        blocks = [b.strip() for b in value.replace("\r\n", "\n").split("\n\n") if b.strip()]
        value = "".join("<p>" + html.escape(b).replace("\n", "<br>") + "</p>" for b in blocks)
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(value: str) -> str:
    """A viewer's opinion or the office's answer: every tag removed, the text kept as typed (escaped on render)."""
    return html.unescape(nh3.clean(value or "", tags=set())).strip()


BLOCK_END = re.compile(r"</(?:p|li|h3|h4|tr|blockquote|table)>|<br\s*/?>", re.IGNORECASE)


def text_lines(value: str) -> list[str]:
    """The content as lines of plain text, one per paragraph, list item or table row (to compare two versions)."""
    return [
        line.strip() for line in plain_text(BLOCK_END.sub("\n", value or "")).splitlines() if line.strip()
    ]
