from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance.middleware import evaluate_after_write
from governance.models import Organization
from governance.services.freshness import changes_committed
from governance.services.policies import OwnRegulation, PolicyPackError, policy_load


class Command(BaseCommand):
    help = (
        "载入制度规则包（governance/policies/packs/<包>.yaml），生成义务规则。重复载入不会产生重复数据。"
        "用 --title（及 --document-number、--issued-on）写明本单位自己的制度，规则即引用它，规则包依据的制度作为“参照”保留。"
    )

    def add_arguments(self, parser):
        parser.add_argument("pack", help="规则包代码（如 000、001）或 YAML 文件路径")
        parser.add_argument("--org", help="采用该制度的组织代码；学校层面的制度默认为学校")
        parser.add_argument(
            "--with-sub-units", action="store_true", help="二级单位参照执行（下级班子也承担义务）"
        )
        parser.add_argument(
            "--title", help="本单位制度的名称，如：中共江城大学委员会领导班子议事沟通制度（不加书名号）"
        )
        parser.add_argument(
            "--document-number", default="", help="本单位制度的文号，如：江大党发〔2025〕12号"
        )
        parser.add_argument("--issued-on", default="", help="本单位制度的印发日期，YYYY-MM-DD")
        parser.add_argument("--issuing-body", default="", help="本单位制度的发文机关，如：中共江城大学委员会")

    def handle(self, *args, **options):
        organization = None
        if options["org"]:
            organization = Organization.objects.filter(code=options["org"]).first()
            if organization is None:
                raise CommandError(f"找不到代码为“{options['org']}”的组织。")
        own = self._own(options)
        try:
            with changes_committed() as committed:
                result = policy_load(
                    name=options["pack"],
                    organization=organization,
                    include_sub_units=options["with_sub_units"],
                    own=own,
                )
        except PolicyPackError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:  # a DomainError: the own regulation's name refused
            raise CommandError(" ".join(exc.messages)) from exc
        # As a write through the portal does: every team's view is evaluated now, so the office's pages and the next
        # reminder job read it instead of evaluating the whole university. A failure here leaves that to them.
        try:
            evaluate_after_write(committed, today=timezone.localdate())
        except Exception as exc:  # the rules are loaded whatever happens here
            self.stderr.write(f"规则已载入；预先计算各班子的义务时出错（页面打开时再计算）：{exc}")
        self.stdout.write(
            f"规则包“{result.pack.title}”已载入到 {result.organization.name}："
            f"新增 {len(result.created)} 条，更新 {len(result.updated)} 条，未变 {len(result.unchanged)} 条。"
        )
        regulation = result.regulation
        if regulation is not None:
            line = f"规则依据：《{regulation.title}》"
            if regulation.document_number:
                line += f"（{regulation.document_number}）"
            if regulation.reference_id is not None:
                line += f"；参照：{regulation.reference.cited_as}"
            self.stdout.write(line)
        for code in result.created:
            self.stdout.write(f"  + {code}")
        for code in result.updated:
            self.stdout.write(f"  ~ {code}")

    def _own(self, options) -> OwnRegulation | None:
        named = [options["document_number"], options["issued_on"], options["issuing_body"]]
        if not options["title"]:
            if any(named):
                raise CommandError(
                    "--document-number、--issued-on、--issuing-body 须与 --title（本单位制度的名称）一起使用。"
                )
            return None
        issued_on = None
        if options["issued_on"]:
            try:
                issued_on = dt.date.fromisoformat(options["issued_on"])
            except ValueError:
                raise CommandError(
                    f"--issued-on“{options['issued_on']}”不是有效日期，应为 YYYY-MM-DD。"
                ) from None
        return OwnRegulation(
            title=options["title"],
            document_number=options["document_number"],
            issued_on=issued_on,
            issuing_body=options["issuing_body"],
        )
