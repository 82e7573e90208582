from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "communication"
    verbose_name = _("领导沟通")

    def ready(self) -> None:
        from communication import permissions  # noqa: F401 - registers the object permissions with `rules`
        from communication.family import FAMILY
        from governance import families

        families.register(FAMILY)
