"""The admin is the office's tool: anyone else signed in who opens it gets a page of the portal saying so.

Django's admin sends every signed-in user it does not admit to its own login form ("您已认证为…，但无权访问此页面"),
which reads to a leader as if their password were wrong. Here a signed-in user who is not the office (governance.roles)
and opens any admin address gets a 403 page in the site's layout: what the admin is for, and the links back to their
own pages. Anonymous visitors still get the admin's login form; the office gets the admin. The admin's own gate
(`admin.site.has_permission`, office only) stays behind this one.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from governance.roles import is_leader, is_office


class AdminForTheOfficeMiddleware:
    """Placed after AuthenticationMiddleware: it needs `request.user`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(reverse("admin:index"))
            and not is_office(user)
        ):
            return render(
                request,
                "admin/office_only.html",
                {"opened": request.path, "leader": is_leader(user)},
                status=403,
            )
        return self.get_response(request)
