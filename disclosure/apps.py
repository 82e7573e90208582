from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("党务公开")

    def ready(self) -> None:
        from disclosure.family import FAMILY
        from governance import families

        families.register(FAMILY)
