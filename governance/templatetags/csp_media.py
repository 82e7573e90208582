"""A form's media with this request's CSP nonce.

The site's policy allows scripts from 'self' and, on a page that asks for one, a nonce (settings
CONTENT_SECURITY_POLICY). An editor whose modules need a `<script type="importmap">` (an import map cannot be an
external file) renders its media through this tag: django-js-asset's Media puts the nonce on the import map and its
other tags, and django-csp then adds the same nonce to the page's script-src. Any other inline script stays refused.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import Media
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def media_with_nonce(context: dict[str, Any], media: Media) -> SafeString:
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", None)
    with_nonce = getattr(media, "with_nonce", None)
    if nonce is None or with_nonce is None:
        # Plain Django media has no inline script, so it needs no nonce.
        return media.render()
    return with_nonce(str(nonce)).render()
