from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督查督办")

    def ready(self) -> None:
        from governance import families
        from supervision.family import FAMILY
        from supervision.roles import create_group_after_migrate

        families.register(FAMILY)
        # The units' people group (单位负责人/联络员) exists after every migrate, like the core's role groups.
        post_migrate.connect(create_group_after_migrate, sender=self, dispatch_uid="supervision-unit-group")
