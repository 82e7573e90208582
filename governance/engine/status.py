"""One vocabulary for where an obligation stands: the words, the badge, the icon and the colour of each state.

Every page (the leader's dashboard, the office overview and its drill-down, the 四必谈 matrix) and the reminder emails
take a state's label, badge class, icon and colour from `STYLES`, so "已完成" is the same green tick everywhere and
nothing else is. Colour is never the only cue: each state has its own icon and its words are always shown (for
colour-blind readers and on paper). The colours here are also in static/css/portal.css (`.status-<key>`); a test holds
the two together.

The engine decides five statuses (`Status`). A sixth state is only shown, never stored: *not started* (未开始), an
obligation whose period, or the person's part in it, has not begun yet — a post taken up next month, a 四必谈 pair
before the preparation for the democratic life meeting starts. Until then nothing is owed, so it is neither in
progress nor late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    EXCUSED = "excused"


# Shown only (see the module's docstring): the period or the person's part in it has not begun.
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class StatusStyle:
    key: str  # a Status value, or NOT_STARTED
    label: Promise  # 已完成
    meaning: Promise  # what the state means, for the legends
    css: str  # badge and cell colours: static/css/portal.css
    icon: str  # shown beside the words, never instead of them
    background: str  # the same colours inline, for emails (mail clients ignore the site's stylesheet)
    foreground: str
    bootstrap: str  # the nearest Bootstrap colour name (text-bg-…), for places that use Bootstrap's classes

    @property
    def is_open(self) -> bool:
        """Something is still owed (or will be): not done and not excused."""
        return self.key not in (Status.MET, Status.EXCUSED)


STYLES: dict[str, StatusStyle] = {
    style.key: style
    for style in (
        StatusStyle(
            Status.OVERDUE,
            _("已逾期"),
            _("周期已结束仍未完成"),
            "status-overdue",
            "✗",
            "#b02a37",
            "#ffffff",
            "danger",
        ),
        StatusStyle(
            Status.DUE_SOON,
            _("即将到期"),
            _("截止日临近，尚未完成"),
            "status-due_soon",
            "!",
            "#ffc107",
            "#212529",
            "warning",
        ),
        StatusStyle(
            Status.ON_TRACK,
            _("进行中"),
            _("周期进行中，尚未完成，也未逾期"),
            "status-on_track",
            "◔",
            "#1d4f91",
            "#ffffff",
            "primary",
        ),
        StatusStyle(
            NOT_STARTED,
            _("未开始"),
            _("周期尚未开始，暂无应完成的事项"),
            "status-not_started",
            "○",
            "#f8f9fa",
            "#495057",
            "light",
        ),
        StatusStyle(
            Status.EXCUSED,
            _("已免于考核"),
            _("党委办公室已登记理由，不计为逾期"),
            "status-excused",
            "⊘",
            "#6c757d",
            "#ffffff",
            "secondary",
        ),
        StatusStyle(
            Status.MET,
            _("已完成"),
            _("本周期的要求已达到"),
            "status-met",
            "✓",
            "#1e7b34",
            "#ffffff",
            "success",
        ),
    )
}
# Legends list the states in this order (the order of STYLES): what needs doing first, what is settled last.
LEGEND = tuple(STYLES.values())
# Most urgent first: lists and the overview's cells sort by it.
URGENCY = {key: i for i, key in enumerate(STYLES)}


def state_of(status: Status, *, starts: dt.date, today: dt.date) -> str:
    """What to show for an obligation with this engine status whose period (or the person's part of it) starts on
    `starts`: the status, or NOT_STARTED when nothing is owed before a later day."""
    if status == Status.ON_TRACK and today < starts:
        return NOT_STARTED
    return status.value
