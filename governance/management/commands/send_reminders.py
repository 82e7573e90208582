"""Send today's reminder digests: the Celery beat job, as a command for sites that run it from cron.

    manage.py send_reminders --dry-run           print who would get what; writes nothing, sends nothing
    manage.py send_reminders                     record and send now, in this process (no broker needed)
    manage.py send_reminders --no-sync           record, and queue the sending on the Celery broker
    manage.py send_reminders --on 2026-11-23     as of another day (testing, or catching up a missed day)

By default the command sends in-process (--sync): a cron site may have no worker running. It also sends digests
an earlier run left unsent. Running it twice the same day sends nothing new; running it next to the beat job
never sends an item twice (see governance.services.reminders). Exit status 1 if some email could not be sent:
those digests stay recorded and go out on the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from governance.management.commands._holidays import warn_missing_holidays
from governance.services.reminders import (
    ReminderPlan,
    chinese_date,
    digest_subject,
    reminder_digest_send,
    reminders_collect,
    reminders_plan,
    reminders_sweep,
    reminders_unsent,
    site_link,
)
from governance.services.workdays import years_in_use


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--on 的日期“{value}”格式不对，应为 YYYY-MM-DD。") from None


class Command(BaseCommand):
    help = "发送工作提醒邮件：每人一封，列出即将到期和已逾期的工作（每项只提醒一次）。--dry-run 只预览。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的内容，不写入、不发送")
        parser.add_argument("--on", help="按哪一天计算，YYYY-MM-DD，默认今天")
        parser.add_argument(
            "--sync",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="在本进程内直接发送（默认，适合用 cron 的站点）；--no-sync 则交给 Celery worker 发送",
        )

    def handle(self, *args, **options):
        today = _date(options["on"]) if options["on"] else timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            self._run(today, dry_run=options["dry_run"], sync=options["sync"])

    def _run(self, today: dt.date, *, dry_run: bool, sync: bool) -> None:
        plan = reminders_plan(today=today)
        # The job evaluates every current period: those lie in the years in use (this one, the next when near, and
        # those of academic years not yet over), and each item names its own dates.
        warn_missing_holidays(
            self.stderr,
            [dt.date(year, 1, 1) for year in years_in_use(today)]
            + [
                d
                for p in (*plan.recipients, *plan.without_email)
                for i in p.items
                for d in (i.period_end, i.due)
            ],
        )
        if dry_run:
            self._print_plan(plan)
            return
        if not sync:
            created = reminders_collect(today=today, queue=True, plan=plan)
            requeued = reminders_sweep()
            self.stdout.write(f"{chinese_date(today)}：生成提醒邮件 {len(created)} 封，已交给 Celery 发送")
            if requeued:
                self.stdout.write(f"另有 {len(requeued)} 封此前未发出的邮件已重新排队")
            self._print_skipped(plan.without_email)
            return

        created = reminders_collect(today=today, queue=False, plan=plan)
        sent = failed = 0
        for digest_id in reminders_unsent(older_than=dt.timedelta(0)):
            try:
                if reminder_digest_send(digest_id):
                    sent += 1
            except Exception as exc:  # noqa: BLE001 - one bad address must not stop the others
                failed += 1
                self.stderr.write(f"提醒邮件 #{digest_id} 发送失败：{type(exc).__name__}: {exc}")
        self.stdout.write(f"{chinese_date(today)}：生成提醒邮件 {len(created)} 封，发送成功 {sent} 封")
        self._print_skipped(plan.without_email)
        if failed:
            raise CommandError(f"{failed} 封提醒邮件发送失败，已保留，下次运行时重发。")

    def _print_skipped(self, skipped) -> None:
        if not skipped:
            return
        names = "、".join(f"{p.person.name}（{len(p.items)} 项）" for p in skipped)
        self.stdout.write(f"没有电子邮箱、未能提醒 {len(skipped)} 人：{names}")

    def _print_plan(self, plan: ReminderPlan) -> None:
        self.stdout.write(f"{chinese_date(plan.today)} 提醒预览（试运行：不写入、不发送）")
        if not plan.recipients and not plan.without_email:
            self.stdout.write("今天没有需要提醒的新事项。")
            return
        for entry in plan.recipients:
            self.stdout.write("")
            self.stdout.write(f"{entry.person.name} <{entry.email}>：{digest_subject(entry)}")
            for label, items in (("已逾期", entry.overdue), ("即将到期", entry.due_soon)):
                for item in items:
                    self.stdout.write(f"  【{label}】{item.line()}")
                    if item.office_records:
                        self.stdout.write(f"      {item.office_records}由党委办公室登记，查看：{item.url}")
                    else:
                        self.stdout.write(f"      办理：{item.url}")
            for section in entry.sections:
                self.stdout.write(f"  【{section.title}】")
                for line in section.lines:
                    self.stdout.write(f"    {line.text}" + (f"（{line.detail}）" if line.detail else ""))
                    if line.url:
                        # As the email gives it: an absolute link on this site.
                        self.stdout.write(f"      办理：{site_link(line.url)}")
        if plan.without_email:
            self.stdout.write("")
            self._print_skipped(plan.without_email)
            for entry in plan.without_email:
                for item in entry.items:
                    self.stdout.write(
                        f"  {entry.person.name}：【{'已逾期' if item.is_overdue else '即将到期'}】{item.line()}"
                    )
        self.stdout.write("")
        self.stdout.write(
            f"合计：{len(plan.recipients)} 人将收到邮件，共 {plan.item_count} 项"
            + (f"、{plan.section_count} 个模块提醒" if plan.section_count else "")
            + f"；{len(plan.without_email)} 人没有电子邮箱。"
        )
