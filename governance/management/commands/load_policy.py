from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from governance.models import Organization
from governance.services.policies import PolicyPackError, policy_load


class Command(BaseCommand):
    help = "载入制度规则包（governance/policies/packs/<包>.yaml），生成义务规则。重复载入不会产生重复数据。"

    def add_arguments(self, parser):
        parser.add_argument("pack", help="规则包代码（如 000、001）或 YAML 文件路径")
        parser.add_argument("--org", help="采用该制度的组织代码；学校层面的制度默认为学校")
        parser.add_argument(
            "--with-sub-units", action="store_true", help="二级单位参照执行（下级班子也承担义务）"
        )

    def handle(self, *args, **options):
        organization = None
        if options["org"]:
            organization = Organization.objects.filter(code=options["org"]).first()
            if organization is None:
                raise CommandError(f"找不到代码为“{options['org']}”的组织。")
        try:
            result = policy_load(
                name=options["pack"], organization=organization, include_sub_units=options["with_sub_units"]
            )
        except PolicyPackError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"规则包“{result.pack.title}”已载入到 {result.organization.name}："
            f"新增 {len(result.created)} 条，更新 {len(result.updated)} 条，未变 {len(result.unchanged)} 条。"
        )
        for code in result.created:
            self.stdout.write(f"  + {code}")
        for code in result.updated:
            self.stdout.write(f"  ~ {code}")
