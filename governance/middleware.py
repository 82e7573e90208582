"""Language follows the user's own choice (the language switcher's cookie), never the browser's Accept-Language:
the office works in Chinese, and an English-language browser must not get a page half in English."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class EvaluateOnWriteMiddleware:
    """After a request that wrote (any method but GET, HEAD, OPTIONS), evaluate and keep what its committed changes
    changed (governance.selectors.evaluations.evaluate_after_changes): the current obligations of the people of the
    teams they touched, and their obligations as the home page shows them, so that their dashboards are read, not
    evaluated or rendered, on their next visit; after a change that
    may touch any page (a rule, the calendar), every team's view. The writer waits once (tens of milliseconds for a
    talk; about half a second for a rule on the benchmark's university) instead of each reader after every change.
    Changes made outside a request are left to the pages. A failure here never fails the write: the pages then
    evaluate as before."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE or not settings.EVALUATE_ON_WRITE:
            return self.get_response(request)
        from governance.services import freshness

        with freshness.changes_committed() as committed:
            response = self.get_response(request)
        if committed:
            try:
                from django.utils import timezone

                evaluate_after_write(committed, today=timezone.localdate())
            except Exception:
                logger.exception("could not evaluate the obligations a change touched")
        return response


def evaluate_after_write(committed, *, today) -> None:
    """What EvaluateOnWriteMiddleware does once a request's changes have committed (bench/run.py does the same)."""
    from governance.selectors.evaluations import evaluate_after_changes
    from governance.views import keep_obligations_html

    keep_obligations_html(evaluate_after_changes(committed, today=today), today=today)
