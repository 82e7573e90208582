"""The festivals of 003 二3 (每年元旦、春节和重阳节要广泛开展慰问老党员、老同志活动) on the Gregorian calendar: 元旦 is 1
January, 春节 the first day of the first lunar month, 重阳节 the ninth day of the ninth lunar month (lunardate)."""

from __future__ import annotations

import datetime as dt

from lunardate import LunarDate

from outreach.models import Festival

# A visit counts for the festival it is nearest to, within this many days either side (visits are made in the days
# before a festival: 节前走访慰问).
WINDOW_DAYS = 30


def festival_date(festival: str, year: int) -> dt.date:
    """The festival's date in Gregorian year `year`."""
    if festival == Festival.NEW_YEAR:
        return dt.date(year, 1, 1)
    if festival == Festival.SPRING:
        return LunarDate(year, 1, 1).to_solar_date()
    if festival == Festival.DOUBLE_NINTH:
        return LunarDate(year, 9, 9).to_solar_date()
    raise ValueError(f"unknown festival {festival!r}")


def festival_near(day: dt.date) -> tuple[str, dt.date] | None:
    """The festival nearest to `day` within WINDOW_DAYS (its code and date), or None: what a visit recorded on `day`
    is most likely for."""
    candidates = [
        (abs((when - day).days), festival, when)
        for year in (day.year - 1, day.year, day.year + 1)
        for festival in Festival.values
        for when in [festival_date(festival, year)]
    ]
    distance, festival, when = min(candidates)
    return (festival, when) if distance <= WINDOW_DAYS else None


def upcoming_festivals(day: dt.date, count: int = 3) -> list[tuple[str, dt.date]]:
    """The next `count` festivals from `day` on (today's included)."""
    found = sorted(
        (when, festival)
        for year in (day.year, day.year + 1)
        for festival in Festival.values
        for when in [festival_date(festival, year)]
        if when >= day
    )
    return [(festival, when) for when, festival in found[:count]]
