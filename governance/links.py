"""Links to many objects of one kind, built fast: `reverse()` once, then a string join per object.

A page or a job may link thousands of rows (the admin's lists, the obligation engine's evidence); reversing each
URL costs far more than the rest of the row."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# Any id every URL pattern of this project accepts (<int:pk>, the admin's <path:object_id>).
_PLACEHOLDER = "2147483647"


def pk_link_maker(
    view_name: str, *, current_app: str | None = None, query: str = ""
) -> Callable[[object], str]:
    """A function from an object's id (already quoted where the view needs it) to the URL of `view_name` for that
    object, with `?query` appended when given."""
    url = reverse(view_name, args=[_PLACEHOLDER], current_app=current_app)
    head, found, tail = url.rpartition(f"/{_PLACEHOLDER}/")
    if not found:
        raise ValueError(f"{view_name}: the object's id is not a path segment of {url}")
    head, tail = f"{head}/", f"/{tail}" + (f"?{query}" if query else "")
    return lambda pk: f"{head}{pk}{tail}"
