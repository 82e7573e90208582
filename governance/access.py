"""Who may use the office's pages and the admin: one home for the checks every app shares."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.text import smart_split
from django.utils.translation import gettext as _

from governance.forms import parse_id
from governance.roles import is_office

MAX_SEARCH_TERMS = 10


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

    # The admin ANDs one OR-group per word of a search over every search field: a search of some hundreds of words
    # made SQLite refuse the query ("Expression tree is too large", a server error). At most MAX_SEARCH_TERMS words,
    # in the list (the search box then shows what was searched, and a message says so) and in autocompletion.
    def changelist_view(self, request, extra_context=None):
        term = request.GET.get(SEARCH_VAR)
        if term and _capped(term) != term:
            request.GET = request.GET.copy()
            request.GET[SEARCH_VAR] = _capped(term)
            messages.warning(
                request, _("搜索词太多，只按前 %(count)d 个搜索。") % {"count": MAX_SEARCH_TERMS}
            )
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, _capped(search_term or ""))

    # django-simple-history's history pages look the id up as given: "abc" raised ValueError and 2^64 OverflowError
    # (a server error). An id that is no valid key of the model is a 404, as for the admin's change page.
    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _key_or_404(self.model, object_id)
        if parse_id(version_id) is None:
            raise Http404(_("没有这条历史记录。"))
        return super().history_form_view(request, object_id, version_id, extra_context)


def _capped(search_term: str) -> str:
    """The first MAX_SEARCH_TERMS words of an admin search (quoted phrases count as one, as in the admin)."""
    words = list(smart_split(search_term))
    return " ".join(words[:MAX_SEARCH_TERMS]) if len(words) > MAX_SEARCH_TERMS else search_term


def _key_or_404(model, object_id: str) -> None:
    """Http404 unless `object_id` (as in an admin URL) is a value the model's primary key can hold."""
    pk = model._meta.pk
    value = unquote(object_id)
    if isinstance(pk, models.IntegerField):
        valid = parse_id(value) is not None
    else:
        try:
            pk.to_python(value)
        except ValidationError:
            valid = False
        else:
            valid = True
    if not valid:
        raise Http404(_("没有这条记录。"))
