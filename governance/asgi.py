import os

from django.core.asgi import get_asgi_application

# An empty value (a shell's leftover `export DJANGO_SETTINGS_MODULE=`) counts as unset, as setdefault would not.
os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or "governance.settings.local"
application = get_asgi_application()
