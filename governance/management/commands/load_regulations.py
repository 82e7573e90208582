"""Load regulation files (制度及条款) into the database: `manage.py load_regulations [文件或目录 …]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from governance.services.regulations import (
    REGULATIONS_DIR,
    RegulationFileError,
    regulation_files,
    regulations_import,
)


class Command(BaseCommand):
    help = "载入制度文件（YAML）及其条款；不指定文件时载入 governance/policies/regulations/ 下的全部制度。可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="制度文件或目录；默认全部内置制度")

    def handle(self, *args, paths: list[Path], **options) -> None:
        files: list[Path] = []
        for path in paths or [REGULATIONS_DIR]:
            files.extend(regulation_files(path) if path.is_dir() else [path])
        if not files:
            raise CommandError("没有找到制度文件（*.yaml）。")
        try:
            results = regulations_import(paths=files)
        except RegulationFileError as exc:
            raise CommandError(f"{str(exc).rstrip('。')}。未载入任何制度。") from exc
        for result in results:
            style = self.style.SUCCESS if result.changed else self.style.HTTP_INFO
            self.stdout.write(style(result.summary()))
        changed = sum(1 for r in results if r.changed)
        self.stdout.write(f"共 {len(results)} 部制度，其中 {changed} 部有变化。")
