"""Site-wide pages: the home page each role lands on, the health check, logout, and the regulation list every
family app shows on its index page."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import ListView, TemplateView

from governance import families
from governance.models import Person
from governance.roles import is_leader, is_office
from governance.selectors.calendar import current_semester
from governance.selectors.dashboard import Dashboard, leader_dashboard, member_dashboard, office_attention
from governance.selectors.evaluations import PERSON_TIMEOUT, PersonView, person_view
from governance.selectors.people import PersonPositions, person_for_user, positions_of
from governance.selectors.regulations import regulations_listed
from governance.services.freshness import CORE_SCOPE, cached_fragment, organizations_of_user
from governance.services.workdays import WorkdayCalendar, years_in_use


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For docker's health check: the process answers. Touches neither the database nor the session."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


logger = logging.getLogger(__name__)


class LogoutView(auth_views.LogoutView):
    """Django's POST-only logout, telling the user on the login page that it worked."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("您已安全退出。"))
        return response


class HomeView(LoginRequiredMixin, TemplateView):
    """One address for everyone; each role sees its own page."""

    def get_template_names(self) -> list[str]:
        user = self.request.user
        if is_office(user):
            return ["governance/home_office.html"]
        if is_leader(user):
            return ["governance/home_leader.html"]
        return ["governance/home_member.html"]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        context["today"] = today
        if is_office(user):
            context["semester"] = current_semester(today)
            calendar = WorkdayCalendar()
            context["holiday_sources"] = [
                {"year": year, "source": str(calendar.source_for_year(year))} for year in years_in_use(today)
            ]
            context["admin_cards"] = [card for f in families.families() for card in f.admin_cards]
            context["office_today"] = cached_fragment(
                "office-home", today, render=lambda: self._render_office_today(today)
            )
        elif is_leader(user):
            # The leader's page shows their teams' obligations and records: only those organizations' changes count.
            organizations = organizations_of_user(user)
            context["leader_home"] = cached_fragment(
                "leader-home",
                user.pk,
                today,
                render=lambda: self._render_leader_home(user, today, organizations),
                organizations=organizations,
            )
        else:
            # Party members and staff: each family's panel of what it has for them (a constant number of queries).
            panels = [
                {
                    "family": f,
                    "template": f.member_panel.template,
                    "panel": f.member_panel.select(user, today=today),
                }
                for f in _with_panel("member_panel")
            ]
            context["panels"] = [entry for entry in panels if entry["panel"] is not None]
            # What they owe as an event's owner (a unit's liaison: each cycle of a long task's progress reports,
            # 003 第五条), above the panels.
            context["dashboard"] = dashboard = member_dashboard(user, today=today)
            # A unit's liaison with tasks to act on is not told there is nothing for them to do here.
            context["has_work"] = bool(dashboard and dashboard.groups) or any(
                entry["family"].member_panel.has_work(entry["panel"])
                for entry in context["panels"]
                if entry["family"].member_panel.has_work is not None
            )
        return context

    def _render_office_today(self, today) -> str:
        """The office's 今日关注: what is overdue or due soon, then each family's panel (agenda items not ready, the
        coming week's meetings …)."""
        context = {
            "today": today,
            "attention": office_attention(today=today),
            "panels": [
                {
                    "family": f,
                    "template": f.office_panel.template,
                    "panel": f.office_panel.select(today=today),
                }
                for f in _with_panel("office_panel")
            ],
        }
        return render_to_string("governance/includes/office_today.html", context, request=self.request)

    def _render_leader_home(self, user, today, organizations: list[int]) -> str:
        """The leader's page body: positions, obligations (the dashboard) and each family's panel."""
        person = person_for_user(user)
        # The positions (at the page's foot) are cached apart, until the core's records change for these organizations;
        # the rest of the page needs only the person.
        home = None if person is None else PersonPositions(person=person, current=[], past=[])
        context: dict[str, Any] = {"today": today, "semester": current_semester(today), "home": home}
        if home is not None:
            # Rendered by its own template (a SafeString, kept as one in the cache).
            context["positions"] = cached_fragment(
                "leader-positions",
                user.pk,
                today,
                render=functools.partial(self._render_leader_positions, person, today),
                organizations=organizations,
                scope=CORE_SCOPE,
            )
            context["obligations"] = obligations_html(person, today)
            # The families' main actions (登记谈心谈话 …), right under the header: a phone shows them first.
            context["actions"] = families.page_actions(families.LEADER_HOME, user, home.person)
            # Each family's panel is cached on its own, until that family's records (or the core's) change for the
            # leader's organizations: after a talk, only the communication panel and the obligations are computed.
            all_panels = families.leader_panels()
            context["panels"] = [
                {
                    "family": f,
                    # The jump bar's target: a family's first panel.
                    "first": i == 0 or all_panels[i - 1][0] is not f,
                    # The panel's own template rendered it (a SafeString, kept as one in the cache).
                    "html": cached_fragment(
                        f"leader-panel-{f.name}-{panel.template}",
                        user.pk,
                        today,
                        render=functools.partial(
                            self._render_leader_panel, panel, home, today, context["semester"]
                        ),
                        organizations=organizations,
                        scope=panel.scopes or (f.name,),
                    ),
                }
                for i, (f, panel) in enumerate(all_panels)
            ]
            # A panel with nothing to show (no democratic life meeting being prepared) takes no room.
            context["panels"] = [item for item in context["panels"] if item["html"].strip()]
        return render_to_string("governance/includes/leader_home.html", context, request=self.request)

    def _render_leader_positions(self, person, today) -> str:
        context = {"home": positions_of(person, on=today), "today": today}
        return render_to_string("governance/includes/leader_positions.html", context, request=self.request)

    def _render_leader_panel(self, panel: families.Panel, home, today, semester) -> str:
        context = {
            "today": today,
            "semester": semester,
            "home": home,
            "person": home.person,
            "panel": panel.select(home.person, today=today),
        }
        return render_to_string(panel.template, context, request=self.request)


@dataclass(frozen=True)
class ObligationsHTML:
    """A leader's obligations as the home page shows them: the open ones, and the settled ones folded apart."""

    open: str
    settled: str
    has_settled: bool


def _render_obligations(dashboard: Dashboard) -> ObligationsHTML:
    """The obligations' two parts; nothing in them depends on the request (kept ahead of it by a write)."""
    context = {"dashboard": dashboard, "today": dashboard.today}
    return ObligationsHTML(
        open=render_to_string("governance/includes/obligations_panel.html", context),
        settled=render_to_string("governance/includes/obligations_settled.html", context),
        has_settled=bool(dashboard.settled),
    )


def _html_key(view: PersonView) -> str | None:
    """Where a person's obligations are kept as HTML: beside their teams' view, while they owe nothing as an event's
    owner (what they owe as one is read afresh on every page, so its HTML is not kept)."""
    return f"{view.key}:html" if view.key and not view.owned.obligations else None


def obligations_html(person, today) -> ObligationsHTML:
    """The leader's obligations as HTML, kept since the request that last changed them wrote them ahead (or since the
    last page that rendered them), while their teams' records are unchanged."""
    view = person_view(person, today=today)
    key = _html_key(view)
    try:
        found = cache.get(key) if key else None
    except Exception:
        logger.exception("cache unavailable; rendering the obligations")
        found = key = None
    if isinstance(found, ObligationsHTML):
        return found
    html = _render_obligations(leader_dashboard(person, today=today, result=view.result))
    if key:
        try:
            cache.set(key, html, PERSON_TIMEOUT)
        except Exception:
            logger.exception("could not cache the obligations")
    return html


def keep_obligations_html(views: dict[int, PersonView], *, today) -> int:
    """After a write (governance.middleware.EvaluateOnWriteMiddleware): render and keep the obligations of the people
    whose views it evaluated, so that each one's next home page reads them. Returns how many were kept."""
    kept = {}
    for pid, view in views.items():
        key = _html_key(view)
        if key:
            person = view.teams.people.get(pid) or Person(pk=pid)
            kept[key] = _render_obligations(leader_dashboard(person, today=today, result=view.result))
    if kept:
        cache.set_many(kept, PERSON_TIMEOUT)
    return len(kept)


def _with_panel(attribute: str) -> list[families.Family]:
    """The registered families that have a panel of this kind, in the panels' order."""
    found = [f for f in families.families() if getattr(f, attribute) is not None]
    return sorted(found, key=lambda f: (getattr(f, attribute).order, f.order, f.name))


class FamilyRegulationsView(LoginRequiredMixin, ListView):
    """A family app's index: the regulations it is built on, each with its clauses. Subclasses set `family`."""

    family: str = ""
    context_object_name = "regulations"

    def get_queryset(self):
        # The organizations' own regulations (with their 参照), and the shipped ones nobody has adopted yet.
        return regulations_listed(family=self.family)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["family"] = self.family
        return context
