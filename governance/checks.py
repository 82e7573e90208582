"""System checks of this project's own settings, run by `manage.py check --deploy`."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.http.request import validate_host

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104 # nosec # B104: names compared, nothing bound


@register(deploy=True)
def check_site_url(app_configs, **kwargs) -> list:
    """SITE_URL prefixes every link in reminder emails and calendar feeds: it must be the portal's public address."""
    site_url = settings.SITE_URL
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                f"SITE_URL（{site_url!r}）不是完整的网址。",
                hint="请设为门户的正式地址，例如 https://portal.example.edu.cn。",
                id="governance.E001",
            )
        ]
    problems = []
    if parts.hostname in LOCAL_HOSTS:
        problems.append(
            Warning(
                f"SITE_URL 仍指向本机（{site_url}）：提醒邮件和日历订阅里的链接在用户的电脑上打不开。",
                hint="请在环境变量中把 SITE_URL 设为门户的正式地址，例如 https://portal.example.edu.cn。",
                id="governance.W001",
            )
        )
    elif not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        problems.append(
            Warning(
                f"SITE_URL 的主机名 {parts.hostname} 不在 ALLOWED_HOSTS 中：邮件里的链接会被本站拒绝（400）。",
                hint="把该主机名加入 ALLOWED_HOSTS，或改正 SITE_URL。",
                id="governance.W002",
            )
        )
    if parts.scheme != "https" and getattr(settings, "SECURE_SSL_REDIRECT", False):
        problems.append(
            Warning(
                f"SITE_URL 使用 http（{site_url}），而本站只接受 https：每个链接都要多跳转一次。",
                hint="把 SITE_URL 改为 https:// 开头。",
                id="governance.W003",
            )
        )
    return problems
