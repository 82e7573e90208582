"""After migrate: the role groups and the default periodic tasks exist (created once, never overwritten, so the
office's own changes to reminder times in the admin survive every deploy)."""

from __future__ import annotations

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def create_groups_and_schedules(sender, app_config=None, **kwargs) -> None:
    if app_config is None or app_config.label != "governance":
        return
    from .roles import ensure_groups
    from .services.schedules import ensure_periodic_tasks

    ensure_groups()
    ensure_periodic_tasks()
