"""The disclosure family's part of the benchmark data set (issue 11): 10,000 disclosure items (党务公开事项) over five years
(2022 to the benchmark's date), in every state and every scope, with re-disclosed versions, attachments and opinions.

Built into its own database, a copy of the main benchmark database (bench/run.py: `DISC_DB_PATH`), so the pages the
main data set measures keep exactly their data; the public page and the archive are measured on the copy, which has
the same university, leaders and office plus:

- 2,000 items a year, the five categories of 二（一） and the four scopes of 三（二） (社会 two in five), the three natures
  of 三（三）; items of past years archived after publication (四（四）), a few left past their window, this year's in
  every state, the latest weeks' published and inside their window (the public page shows at most 100 of them);
- one item in twenty re-disclosed (三（一）4): its first version archived, the second published or archived;
- one or two attachment rows on one published item in three (the files themselves are not needed: pages list names);
- an opinion on one published item in four, most answered;
- a Party member's login (`bench-dangyuan`) for the archive as a member sees it.

Deterministic (its own seeded generator); bulk_create throughout (no events or audit history rows: no measured page
reads them), then one `data_changed()`, as README says for data written past the ORM's signals."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db import connection

from governance.services.freshness import data_changed

VERSION = 2
SEED = 20261122
ITEMS = 10_000
YEARS = (2022, 2023, 2024, 2025, 2026)
MEMBER_USERNAME = "bench-dangyuan"
TZ = ZoneInfo("Asia/Shanghai")
TOPICS = (
    "党费收缴管理情况", "党委中心组学习情况", "校内干部任职前公示", "年度发展党员情况", "校领导接待日",
    "党风廉政建设责任分工", "先进党组织的评选表彰情况", "领导班子民主生活会召开情况", "年度党委工作计划",
    "各项专题教育活动开展情况",
)  # fmt: skip
WORDS = ("整改", "学习", "公示", "换届", "考核", "预算", "表彰", "调研")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def build(
    *, today: dt.date, office_user_id: int, log: Callable[[str], None] = print
) -> list[tuple[str, float]]:
    """Fill the copied, migrated database with the disclosure data. Returns the build steps and their seconds."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from disclosure.models import (
        Category,
        DisclosureItem,
        Feedback,
        Form,
        ItemAttachment,
        ItemState,
        Nature,
        Scope,
    )
    from governance import roles

    steps: list[tuple[str, float]] = []
    t0 = time.perf_counter()

    def step(name: str) -> None:
        nonlocal t0
        now = time.perf_counter()
        steps.append((name, now - t0))
        log(f"  {name}: {now - t0:.1f} s")
        t0 = now

    rng = random.Random(SEED)
    users = get_user_model()
    member = users.objects.create(
        username=MEMBER_USERNAME, first_name="基准党员", email="dangyuan@bench.invalid"
    )
    member.groups.add(Group.objects.get_or_create(name=roles.PARTY_MEMBERS)[0])
    office = users.objects.get(pk=office_user_id)
    approver_id = (
        users.objects.filter(groups__name=roles.LEADERS).order_by("pk").values_list("pk", flat=True).first()
    )
    from governance.models import Person

    approver = Person.objects.filter(user_id=approver_id).first()

    categories = list(Category)
    scopes = [Scope.PUBLIC, Scope.PUBLIC, Scope.STAFF, Scope.MEMBERS, Scope.LEADERS]
    natures = [Nature.ROUTINE, Nature.ROUTINE, Nature.PHASE, Nature.TEMPORARY]
    per_year = ITEMS // len(YEARS)
    items: list[DisclosureItem] = []
    for year in YEARS:
        last = today if year == today.year else dt.date(year, 12, 31)
        span = (last - dt.date(year, 1, 1)).days
        for n in range(per_year):
            start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span))
            age = (today - start).days
            nature = rng.choice(natures)
            until = start + dt.timedelta(days=rng.choice((7, 15, 30, 90))) if rng.random() < 0.6 else None
            if age > 120:
                state = ItemState.ARCHIVED if rng.random() < 0.9 else ItemState.RESPONDED
            elif age > 14:
                state = rng.choice((ItemState.PUBLISHED, ItemState.RESPONDED, ItemState.ARCHIVED))
            else:
                state = rng.choice(
                    (ItemState.PUBLISHED,) * 6 + (ItemState.PENDING, ItemState.APPROVED, ItemState.PROPOSED)
                )
            published = state in (ItemState.PUBLISHED, ItemState.RESPONDED, ItemState.ARCHIVED)
            topic = rng.choice(TOPICS)
            word = rng.choice(WORDS)
            items.append(
                DisclosureItem(
                    title=f"{year}年{topic}（{word}第{n + 1}号）",
                    content=(
                        f"<p>{year}年{topic}，现予公开。</p><p>涉及{word}工作的具体情况如下：</p>"
                        f"<ol><li>按规定程序办理；</li><li>接受党员群众监督。</li></ol>"
                    ),
                    category=rng.choice(categories),
                    topic=topic,
                    nature=nature,
                    scope=rng.choice(scopes),
                    form=rng.choice(list(Form)),
                    publish_from=start,
                    publish_until=until,
                    follow_up_on=start if nature == Nature.PHASE else None,
                    state=state,
                    approved_by=approver
                    if state != ItemState.PROPOSED and state != ItemState.PENDING
                    else None,
                    approved_at=_at(start - dt.timedelta(days=2)) if published else None,
                    published_at=_at(start) if published else None,
                    archived_at=_at(start + dt.timedelta(days=120)) if state == ItemState.ARCHIVED else None,
                    recorded_by=office,
                )
            )
    DisclosureItem.objects.bulk_create(items, batch_size=1000)
    step(f"{len(items):,} items")

    # 三（一）4 再公开: one in twenty published items gets a second version; the first is archived.
    originals = list(
        DisclosureItem.objects.filter(
            state__in=(ItemState.PUBLISHED, ItemState.RESPONDED, ItemState.ARCHIVED)
        )
        .order_by("pk")
        .values_list("pk", "title", "content", "category", "topic", "nature", "scope", "form", "publish_from")
    )
    chosen = [row for row in originals if rng.random() < 0.05]
    revisions = []
    for pk, title, content, category, topic, nature, scope, form, start in chosen:
        later = min(start + dt.timedelta(days=rng.randint(5, 60)), today)
        revisions.append(
            DisclosureItem(
                title=title,
                content=content + "<p>（修订：补充了落实情况。）</p>",
                category=category,
                topic=topic,
                nature=nature,
                scope=Scope.PUBLIC if rng.random() < 0.3 else scope,
                form=form,
                publish_from=later,
                state=ItemState.PUBLISHED if (today - later).days < 60 else ItemState.ARCHIVED,
                approved_by=approver,
                approved_at=_at(later),
                published_at=_at(later),
                previous_id=pk,
                version=2,
                recorded_by=office,
            )
        )
    DisclosureItem.objects.bulk_create(revisions, batch_size=1000)
    DisclosureItem.objects.filter(pk__in=[row[0] for row in chosen]).update(
        state=ItemState.ARCHIVED, archived_at=_at(today)
    )
    step(f"{len(revisions):,} re-disclosed versions")

    shown = dict(
        DisclosureItem.objects.filter(state__in=(ItemState.PUBLISHED, ItemState.RESPONDED)).values_list(
            "pk", "scope"
        )
    )
    attachments = [
        ItemAttachment(
            item_id=pk, file=f"disclosure/bench/{pk}-{k}.pdf", name=f"附件{k + 1}.pdf", uploaded_by=office
        )
        for pk in shown
        if rng.random() < 1 / 3
        for k in range(rng.randint(1, 2))
    ]
    ItemAttachment.objects.bulk_create(attachments, batch_size=1000)
    readers = list(
        users.objects.exclude(pk=office_user_id).order_by("pk").values_list("pk", "first_name")[:200]
    )
    feedback = []
    for pk, scope in shown.items():
        if rng.random() >= 0.25:
            continue
        author_id, name = rng.choice(readers)
        answered = rng.random() < 0.8
        feedback.append(
            Feedback(
                item_id=pk,
                author_id=author_id,
                author_name=name or "教职工",
                # Given within the item's scope (三: 先党内、后党外): shown to the people of that scope.
                scope=scope,
                text="建议进一步公开具体落实情况。",
                response="已转相关部门研究落实。" if answered else "",
                responded_by=office if answered else None,
                responded_at=_at(today - dt.timedelta(days=1)) if answered else None,
                recorded_by_id=author_id,
            )
        )
    Feedback.objects.bulk_create(feedback, batch_size=1000)
    step(f"{len(attachments):,} attachment rows, {len(feedback):,} opinions")

    data_changed()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return steps


def counts() -> dict[str, int]:
    from disclosure.models import DisclosureItem, Feedback, ItemAttachment, ItemState, Scope

    found = {"disclosure items": DisclosureItem.objects.count()}
    for state in ItemState:
        found[f"  {state.value}"] = DisclosureItem.objects.filter(state=state).count()
    found.update(
        {
            "re-disclosed versions": DisclosureItem.objects.filter(previous__isnull=False).count(),
            "items for 社会 (public)": DisclosureItem.objects.filter(scope=Scope.PUBLIC).count(),
            "attachment rows": ItemAttachment.objects.count(),
            "opinions": Feedback.objects.count(),
        }
    )
    return found
