"""The Celery app. Redis when REDIS_URL is set; otherwise kombu's filesystem transport under var/ (see settings)."""

from __future__ import annotations

import os

from celery import Celery

# An empty value (a shell's leftover `export DJANGO_SETTINGS_MODULE=`) counts as unset, as setdefault would not.
os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or "governance.settings.local"

app = Celery("governance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
