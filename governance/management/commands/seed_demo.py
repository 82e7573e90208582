"""`manage.py seed_demo`: the fictional 江城大学 with teams, people, calendar, regulations and demo logins."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import timezone

from governance.models import AcademicYear, LeadershipTeam, Organization, Person, Position
from governance.services.demo import DemoResult, demo_seed
from governance.services.workdays import missing_years, years_in_use


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as aligned columns; Chinese characters count as two columns, as a terminal shows them."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]


class Command(BaseCommand):
    help = "创建演示数据：虚构的江城大学及其学院、党支部、领导班子、人员、校历、制度和演示账号。可重复运行。"

    def handle(self, *args, **options) -> None:
        # The demo's records are history, not news: building them emails no one (the tasks it registers would
        # otherwise notify their units, and `make run` would print those emails above the logins).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            result = demo_seed()
        self.write_summary(result)
        self.write_logins(result)

    def write_summary(self, result: DemoResult) -> None:
        university = result.university
        self.stdout.write(self.style.MIGRATE_HEADING(f"演示数据：{university}（代码 {university.code}）"))
        if result.created or result.updated:
            for label in dict.fromkeys([*result.created, *result.updated]):
                self.stdout.write(f"  {label}：新建 {result.created[label]}，更新 {result.updated[label]}")
        else:
            self.stdout.write("  组织、人员、校历和账号均已存在，本次没有改动。")

        colleges = Organization.objects.filter(parent=university, kind=Organization.Kind.COLLEGE)
        today = timezone.localdate()
        current = AcademicYear.objects.containing(today).first()
        self.stdout.write(
            f"  学院 {colleges.count()} 个（{'、'.join(c.name for c in colleges)}），"
            f"党支部 {Organization.objects.filter(kind=Organization.Kind.BRANCH).count()} 个，"
            f"领导班子 {LeadershipTeam.objects.count()} 个，人员 {Person.objects.count()} 人，"
            f"在任职务 {Position.objects.active_on(today).count()} 个"
        )
        years = "、".join(y.name for y in AcademicYear.objects.order_by("start"))
        self.stdout.write(f"  学年：{years}；当前学年：{current or '（今天不在任何学年内）'}")
        for regulation in result.regulations:
            self.stdout.write(f"  制度 {regulation.summary()}")
        for line in result.policies:
            self.stdout.write(f"  {line}")
        for line in result.records:
            self.stdout.write(f"  {line}")
        if not result.records:
            self.stdout.write("  各业务模块的演示记录：已存在或今天不在学期内，未新建")

        missing = missing_years(years_in_use(today))
        if missing:
            years_text = "、".join(f"{y}年" for y in missing)
            self.stdout.write(
                self.style.WARNING(
                    f"提醒：系统尚无{years_text}的法定节假日安排，暂按周一至周五计算工作日。"
                    f"国务院办公厅发布通知后，请在管理后台“节假日年度”中录入。"
                )
            )

    def write_logins(self, result: DemoResult) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("演示账号（仅供演示，切勿用于正式环境）："))
        rows = [("用户名", "角色", "姓名", "密码")]
        for login in result.logins:
            password = login.password if login.created else f"{login.password}（如未改过）"
            rows.append((login.username, login.role, login.name, password))
        for line in table(rows):
            self.stdout.write(f"  {line}")
        self.stdout.write(
            "办公室账号 office 可登录管理后台 /admin/；其他账号只能登录门户（打开 /admin/ 时看到说明和返回首页的链接）。"
        )
        # SITE_URL prefixes the links in reminder emails and calendar feeds; unset, it follows the port (PORT).
        self.stdout.write(
            f"提醒邮件和日历订阅中的链接指向 {settings.SITE_URL}/（SITE_URL；未设置时跟随端口 PORT）。"
        )
