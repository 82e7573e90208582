"""Print what the dashboard shows for a person (or, with --org, a team): for scripts and for checking."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance.engine.obligations import STATUS_LABELS
from governance.management.commands._holidays import warn_missing_holidays
from governance.models import Organization, Person
from governance.selectors.obligations import obligations_for_organization, obligations_for_person


def _date(value: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{flag} 的日期“{value}”格式不对，应为 YYYY-MM-DD。") from None


class Command(BaseCommand):
    help = "列出某人（--user）或某班子（--org）的义务完成情况：当天视图（--on），或某时段内的全部周期（--from/--to）。"

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", help="登录用户名")
        who.add_argument("--org", help="组织代码：该组织领导班子的义务")
        parser.add_argument("--on", help="日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--from", dest="start", help="时段开始 YYYY-MM-DD（与 --to 同用）")
        parser.add_argument("--to", dest="end", help="时段结束 YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        today = _date(options["on"], "--on") if options["on"] else timezone.localdate()
        start = end = None
        if options["start"] or options["end"]:
            if not (options["start"] and options["end"]):
                raise CommandError("--from 与 --to 需要同时给出。")
            start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
            if end < start:
                raise CommandError("--to 不能早于 --from。")
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"找不到用户“{options['user']}”。")
            person = Person.objects.filter(user=user).first()
            if person is None:
                raise CommandError(f"用户“{options['user']}”尚未关联人员信息。")
            result = obligations_for_person(person, today=today, start=start, end=end)
        else:
            org = Organization.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"找不到代码为“{options['org']}”的组织。")
            result = obligations_for_organization(org, today=today, start=start, end=end)
        # The days the engine looked at: today (or the span asked for) and every period it shows, due dates included.
        warn_missing_holidays(
            self.stderr,
            [today, *(d for d in (start, end) if d)]
            + [d for ob in result.obligations for d in (ob.period.start, ob.period.end, ob.due)],
        )
        rows = [result.as_dict(ob) for ob in result.obligations]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("（没有适用的义务）")
            return
        for row in rows:
            who = row["subject"] + (f" ↔ {row['counterpart_name']}" if row["counterpart_name"] else "")
            self.stdout.write(
                f"{str(STATUS_LABELS[row['status']]):<6} {row['clause']:<12} {row['title']}  {who}  "
                f"{row['period_start']}～{row['period_end']}  {row['done']}/{row['required']}{row['unit']}"
                + (f"  （{row['excuse_reason']}）" if row["excuse_reason"] else "")
            )
