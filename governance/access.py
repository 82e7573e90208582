"""Who may use the office's pages and the admin: one home for the checks every app shares."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied

from governance.roles import is_office


class OfficeRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Office pages: anonymous users go to the login page, everyone else gets 403."""

    def test_func(self) -> bool:
        return is_office(self.request.user)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied("仅党委办公室可以查看。")
        return super().handle_no_permission()


class OfficeOnlyAdminMixin:
    """View, add, change, delete — and the history pages, which copy confidential fields — for the office only.
    The office needs no per-model permissions; the admin's own gate keeps everyone else out."""

    def has_module_permission(self, request) -> bool:
        return is_office(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_office(request.user)

    def has_add_permission(self, request, *args) -> bool:
        return is_office(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_office(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_office(request.user)
