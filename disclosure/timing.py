"""Timing of disclosure (三（三）党务公开的时限: 常规性工作每季度公开；阶段性工作完成后立即公开；临时性工作随时公开) as
sections of the daily reminder email, for the office's people (党务公开工作办公室, 四（一）):

- in the last REMIND_DAYS days of a calendar quarter in which no routine work (常规性工作) has been disclosed yet:
  once per quarter (the section's key names the quarter, so the digest does not repeat it the next day);
- a phase of work (阶段性工作, 完成后立即公开) whose follow-up date, registered with the work, has passed while its item
  is still not published: once per item (the section's key names the item);
- a published item whose window closes within FEEDBACK_DAYS days (or has closed) with opinions not yet answered
  (三（一）3: 公开期间……及时反馈): once per set of such items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from disclosure.models import SHOWN_STATES, DisclosureItem, ItemState, Nature
from governance.families import DigestLine, DigestSection
from governance.models import Person
from governance.roles import OFFICE

FAMILY = "disclosure"
REMIND_DAYS = 15
FEEDBACK_DAYS = 3


def quarter_of(day: dt.date) -> tuple[int, dt.date, dt.date]:
    """(quarter number, first day, last day) of the calendar quarter containing `day`."""
    number = (day.month - 1) // 3 + 1
    start = dt.date(day.year, 3 * number - 2, 1)
    end = dt.date(day.year + (number == 4), (3 * number) % 12 + 1, 1) - dt.timedelta(days=1)
    return number, start, end


def _routine_section(today: dt.date) -> DigestSection | None:
    number, start, end = quarter_of(today)
    if (end - today).days >= REMIND_DAYS:
        return None
    disclosed = DisclosureItem.objects.filter(
        Q(publish_from__range=(start, end)) | Q(published_at__date__range=(start, end)),
        nature=Nature.ROUTINE,
        state__in=[*SHOWN_STATES, ItemState.ARCHIVED],
    ).exists()
    if disclosed:
        return None
    line = DigestLine(
        text=gettext("%(year)d年第%(n)d季度还没有公开常规性工作") % {"year": start.year, "n": number},
        url=reverse("disclosure:item_create"),
        detail=gettext("常规性工作每季度公开（《校党委党务公开工作制度》三（三））；本季度截至 %(end)s。")
        % {"end": date_format(end, "DATE_FORMAT")},
    )
    return DigestSection(
        family=FAMILY,
        title=gettext("党务公开：本季度的常规性工作尚未公开（三（三））"),
        lines=(line,),
        key=f"routine:{start.year}Q{number}",
    )


def _phase_sections(today: dt.date) -> list[DigestSection]:
    """三（三）: 阶段性工作完成后立即公开 — the follow-up date has passed and the item was never published. A new version
    of a published item (三（一）4) is not a phase left undisclosed: its work was disclosed already."""
    items = (
        DisclosureItem.objects.filter(
            nature=Nature.PHASE,
            follow_up_on__lt=today,
            published_at__isnull=True,
            previous__isnull=True,
        )
        .only("id", "title", "follow_up_on", "state")
        .order_by("follow_up_on", "pk")
    )
    return [
        DigestSection(
            family=FAMILY,
            title=gettext("党务公开：阶段性工作完成后尚未公开（三（三））"),
            lines=(
                DigestLine(
                    text=item.title,
                    url=reverse("disclosure:item_detail", args=[item.pk]),
                    detail=gettext(
                        "跟进日期 %(on)s 已过，事项仍为“%(state)s”；阶段性工作完成后立即公开"
                        "（《校党委党务公开工作制度》三（三））。"
                    )
                    % {
                        "on": date_format(item.follow_up_on, "DATE_FORMAT"),
                        "state": item.get_state_display(),
                    },
                ),
            ),
            key=f"phase:{item.pk}",
        )
        for item in items
    ]


def _feedback_section(today: dt.date) -> DigestSection | None:
    items = list(
        DisclosureItem.objects.filter(
            state=ItemState.PUBLISHED,
            publish_until__isnull=False,
            publish_until__lte=today + dt.timedelta(days=FEEDBACK_DAYS),
        )
        .annotate(open_feedback=Count("feedback", filter=Q(feedback__responded_at__isnull=True)))
        .filter(open_feedback__gt=0)
        .only("id", "title", "publish_until")
        .order_by("publish_until", "pk")
    )
    if not items:
        return None
    lines = tuple(
        DigestLine(
            text=item.title,
            url=reverse("disclosure:item_detail", args=[item.pk]) + "#feedback",
            detail=gettext("公开期 %(until)s 结束，还有 %(n)d 条意见未答复（三（一）3）。")
            % {"until": date_format(item.publish_until, "DATE_FORMAT"), "n": item.open_feedback},
        )
        for item in items
    )
    return DigestSection(
        family=FAMILY,
        title=gettext("党务公开：公开期将结束，意见尚未答复"),
        lines=lines,
        key="feedback:" + ",".join(str(item.pk) for item in items),
    )


def digest_sections(people: Sequence[Person], today: dt.date) -> dict[int, list[DigestSection]]:
    """The sections above for every person whose login is in the office's group (they need not sit on a team).
    Four queries at most."""
    found = (_routine_section(today), *_phase_sections(today), _feedback_section(today))
    sections = [s for s in found if s is not None]
    if not sections:
        return {}
    office_people = Person.objects.filter(user__groups__name=OFFICE, user__is_active=True).values_list(
        "pk", flat=True
    )
    return {person_id: list(sections) for person_id in office_people}
