from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("组织与制度")

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401
        from .services import freshness

        freshness.connect()
