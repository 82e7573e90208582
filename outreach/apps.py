from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("联系基层")

    def ready(self) -> None:
        from governance import families
        from outreach.family import FAMILY

        families.register(FAMILY)
