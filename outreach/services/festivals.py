"""The festivals of 003 二3 (每年元旦、春节和重阳节要广泛开展慰问老党员、老同志活动) on the Gregorian calendar: 元旦 is 1
January, 春节 the first day of the first lunar month, 重阳节 the ninth day of the ninth lunar month (lunardate)."""

from __future__ import annotations

import datetime as dt

from lunardate import LunarDate  # type: ignore[import-untyped]  # ships no type information

from outreach.models import Festival

# Festival visits are made in the weeks before a festival (节前走访慰问), sometimes a few days after: a visit on a day is
# taken to be for the next festival up to DAYS_BEFORE ahead, else for one that passed at most DAYS_AFTER ago.
DAYS_BEFORE = 45
DAYS_AFTER = 15


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
    """The festival a visit on `day` is most likely for (its code and date), or None."""
    dated = sorted(
        (when, festival)
        for year in (day.year - 1, day.year, day.year + 1)
        for festival in Festival.values
        for when in [festival_date(festival, year)]
    )
    ahead = [(when, f) for when, f in dated if day <= when <= day + dt.timedelta(days=DAYS_BEFORE)]
    if ahead:
        return ahead[0][1], ahead[0][0]
    behind = [(when, f) for when, f in dated if day - dt.timedelta(days=DAYS_AFTER) <= when < day]
    if behind:
        return behind[-1][1], behind[-1][0]
    return None


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
