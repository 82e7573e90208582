"""The office overview (leaders × rules) and its drill-down. The leader's dashboard is part of the home page."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from governance.access import OfficeRequiredMixin
from governance.forms import EARLIEST_DAY, LATEST_DAY, parse_day, parse_id
from governance.models import LeadershipTeam, ObligationRule, Organization, Person
from governance.selectors.dashboard import office_overview, row_for
from governance.selectors.obligations import evaluate_obligations
from governance.services.freshness import cached_fragment
from governance.services.obligations import obligation_excuse


def _today(request) -> dt.date:
    """The day the page is for: `?on=YYYY-MM-DD` within the days the portal knows (governance.forms), else today.
    A malformed or out-of-range day (0001-01-01 overflowed the period arithmetic) is said so and today is shown."""
    value = request.GET.get("on")
    if value:
        day = parse_day(value)
        if day is not None:
            return day
        messages.warning(
            request,
            _("日期“%(value)s”无效或超出可查询的范围（%(first)s至%(last)s），已显示今天的情况。")
            % {
                "value": value[:40],
                "first": date_format(EARLIEST_DAY, "DATE_FORMAT"),
                "last": date_format(LATEST_DAY, "DATE_FORMAT"),
            },
        )
    return timezone.localdate()


def _person(value: str | None) -> Person | None:
    """The person a drill-down names by id (None when it names none); 404 for an id that is none or nobody's."""
    if not value:
        return None
    pk = parse_id(value)
    person = Person.objects.filter(pk=pk).first() if pk is not None else None
    if person is None:
        raise Http404(_("没有这位人员。"))
    return person


class OverviewView(OfficeRequiredMixin, TemplateView):
    template_name = "governance/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        code = self.request.GET.get("org") or ""
        today = _today(self.request)
        organization = Organization.objects.filter(code=code[:100]).first() if code else None
        # An unknown code shows the whole overview, cached once: never a cache entry per string someone typed.
        code = organization.code if organization is not None else ""

        def render() -> str:
            overview = office_overview(today=today, organization=organization)
            return render_to_string(
                "governance/includes/overview_body.html",
                {"overview": overview, "selected_org": code},
                request=self.request,
            )

        # One organization's overview changes with that organization's data only; the whole one with anyone's.
        ctx["overview_body"] = cached_fragment(
            "overview",
            code,
            today,
            render=render,
            organizations=[organization.pk] if organization is not None else None,
        )
        return ctx


RULE_CODE = re.compile(r"[-A-Za-z0-9_]{1,100}")


class OverviewCellView(OfficeRequiredMixin, TemplateView):
    """Drill-down: one rule for one person (or the team), with the records that counted and excusing."""

    template_name = "governance/overview_cell.html"

    def _load(self):
        params = self.request.GET if self.request.method == "GET" else self.request.POST
        pk = parse_id(params.get("team"))
        team = (
            LeadershipTeam.objects.select_related("organization__parent").filter(pk=pk).first()
            if pk is not None
            else None
        )
        if team is None:
            raise Http404(_("没有这个领导班子。"))
        # The rule was adopted by the team's organization, or by an ancestor for its sub-units (参照执行).
        owners = [team.organization, *team.organization.ancestors()]
        code = params.get("rule", "")
        # A rule code is a short slug: anything else (a NUL byte PostgreSQL refuses in text, a huge string) names no rule.
        rule = (
            ObligationRule.objects.select_related("clause__regulation__reference")
            .filter(code=code, organization__in=owners)
            .first()
            if RULE_CODE.fullmatch(code)
            else None
        )
        if rule is None:
            raise Http404(_("没有这条规则。"))
        return team, rule, _person(params.get("person"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        team, rule, person = self._load()
        today = _today(self.request)
        # The records that counted are listed here: a fresh evaluation of this team (the shared one keeps figures).
        result = evaluate_obligations(start=today, end=today, today=today, team_ids=[team.pk])
        rows = [
            row_for(ob, result, person.pk if person else None, today=today, for_office=True)
            for ob in result.obligations
            if ob.rule.code == rule.code
            and (
                person is None
                and ob.subject_person_id is None
                or person is not None
                and person.pk in (ob.subject_person_id, ob.counterpart_person_id)
            )
        ]
        ctx.update(
            team=team,
            rule=rule,
            person=person,
            rows=rows,
            today=today,
            back_org=self.request.GET.get("org", ""),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        team, rule, person = self._load()
        # A subject or counterpart that is named but is nobody is a 404, never an excuse for the whole team.
        counterpart = _person(request.POST.get("counterpart"))
        subject = _person(request.POST.get("subject"))
        period_start = parse_day(request.POST.get("period_start", ""))
        try:
            if period_start is None:
                raise ValueError
            obligation_excuse(
                rule=rule,
                period_start=period_start,
                team=team,
                person=subject,
                counterpart=counterpart,
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
        except ValueError:
            messages.error(request, _("周期开始日期无效。"))
        except ValidationError as exc:
            # ExcuseError (a DomainError), or the model's own checks (a reason over its 300 characters).
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登记免于考核，该周期不再计为逾期。"))
        return HttpResponseRedirect(request.get_full_path())
