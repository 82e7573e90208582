"""The project's URLs plus the floor: the site's base template, empty, for the signed-in user, through the same
middleware and context processors as every page. What any page costs at least."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import include, path
from django.views.generic import TemplateView


class FloorView(LoginRequiredMixin, TemplateView):
    template_name = "base.html"


class PublicFloorView(TemplateView):
    """The floor of a page that needs no login (the disclosure public page): base.html, empty, for a visitor."""

    template_name = "base.html"


urlpatterns = [
    path("__bench__/floor/", FloorView.as_view(), name="bench_floor"),
    path("__bench__/floor/public/", PublicFloorView.as_view(), name="bench_floor_public"),
    path("", include("governance.urls")),
]
