"""The office overview (leaders × rules) and its drill-down. The leader's dashboard is part of the home page."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from governance.access import OfficeRequiredMixin
from governance.forms import EARLIEST_DAY, LATEST_DAY, parse_day, parse_id
from governance.models import LeadershipTeam, ObligationRule, Organization, Person
from governance.selectors.dashboard import office_overview, row_for
from governance.selectors.excuses import excuses_withdrawn
from governance.selectors.obligations import evaluate_obligations
from governance.services.freshness import cached_fragment
from governance.services.obligations import ExcuseError, obligation_excuse, obligation_excuse_withdraw
from governance.services.overview_export import overview_workbook


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


def overview_filters(request) -> tuple[Organization | None, str, dt.date]:
    """The overview's filters, the same for the page, its print view and its Excel export: the organization
    (`?org=CODE`; an unknown code is the whole university), its code ("" for all) and the day (`?on=`)."""
    code = request.GET.get("org") or ""
    today = _today(request)
    organization = Organization.objects.filter(code=code[:100]).first() if code else None
    # An unknown code shows the whole overview, cached once: never a cache entry per string someone typed.
    return organization, organization.code if organization is not None else "", today


def overview_query(code: str, today: dt.date) -> str:
    """The query string of the overview's filters, for its print and export links: the same organization and day."""
    return urlencode({"org": code, "on": today.isoformat()} if code else {"on": today.isoformat()})


class OverviewView(OfficeRequiredMixin, TemplateView):
    template_name = "governance/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        organization, code, today = overview_filters(self.request)

        def render() -> str:
            overview = office_overview(today=today, organization=organization)
            return render_to_string(
                "governance/includes/overview_body.html",
                {
                    "overview": overview,
                    "selected_org": code,
                    # The fragment is cached until the data changes: 数据截至 is when these figures were computed.
                    "computed_at": timezone.now(),
                    "filters_query": overview_query(code, today),
                },
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


def _withdrawn(rows, *, rule, team, person, result) -> list[dict]:
    """The excuses withdrawn for the periods the drill-down shows: the period, whom it covered, why it had been
    given, who withdrew it, when and why (the audit history: governance.services.obligations)."""
    labels = {
        row.period_start: _("%(label)s（%(start)s — %(end)s）")
        % {
            "label": row.period_label,
            "start": date_format(row.period_start, "DATE_FORMAT"),
            "end": date_format(row.period_end, "DATE_FORMAT"),
        }
        for row in rows
    }
    found = excuses_withdrawn(
        rule=rule, team=team, period_starts=list(labels), person_id=person.pk if person else None
    )
    return [
        {
            "period": labels[w.period_start],
            "whom": "、".join(result.person_name(pid) for pid in (w.person_id, w.counterpart_id) if pid)
            or _("班子整体"),
            "reason": w.reason,
            "at": w.withdrawn_at,
            "by": w.withdrawn_by,
            "why": w.withdraw_reason,
        }
        for w in found
    ]


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
            withdrawn=_withdrawn(rows, rule=rule, team=team, person=person, result=result),
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


# --- The overview's print view and Excel export, and withdrawing an excuse (issue 8) -----------------------------


class OverviewPrintView(OfficeRequiredMixin, View):
    """The overview on A4 paper: no navigation, the organization, the day, when the figures were computed, the
    legend and the table (print CSS in static/css/overview-print.css). The same filters as the page."""

    def get(self, request, *args, **kwargs):
        organization, code, today = overview_filters(request)

        def render() -> str:
            overview = office_overview(today=today, organization=organization)
            return render_to_string(
                "governance/overview_print.html",
                {
                    "overview": overview,
                    "computed_at": timezone.now(),
                    "back_query": overview_query(code, today),
                },
                request=request,
            )

        # Cached like the page (and on the same stamps): printing again costs nothing until the data changes.
        html = cached_fragment(
            "overview-print",
            code,
            today,
            render=render,
            organizations=[organization.pk] if organization is not None else None,
        )
        return HttpResponse(html)


class OverviewExportView(OfficeRequiredMixin, View):
    """The overview as an Excel workbook (.xlsx): the page's rows, columns and labels for the same filters."""

    def get(self, request, *args, **kwargs):
        organization, code, today = overview_filters(request)
        overview = office_overview(today=today, organization=organization)
        content = overview_workbook(overview, computed_at=timezone.now())
        name = "-".join(
            filter(None, [_("制度落实总览"), organization.name if organization else "", today.isoformat()])
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{name}.xlsx"
        )
        return response


class OverviewExcuseWithdrawView(OverviewCellView):
    """The office withdraws an excuse (免于考核) from the drill-down, with a reason kept in the audit history; the
    period then shows as it really stands. POST only (the form carries the cell's rule, team and person, its query
    string the overview's filters); back to the same drill-down, or that page again with the message and what was
    typed when the withdrawal is refused."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        team, rule, person = self._load()
        counterpart = _person(request.POST.get("counterpart"))
        subject = _person(request.POST.get("subject"))
        period_start = parse_day(request.POST.get("period_start", ""))
        try:
            if period_start is None:
                raise ExcuseError(_("周期开始日期无效。"))
            obligation_excuse_withdraw(
                rule=rule,
                period_start=period_start,
                team=team,
                person=subject,
                counterpart=counterpart,
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            context = self.get_context_data(**kwargs)
            context["withdraw_draft"] = {
                "period_start": period_start,
                "reason": request.POST.get("reason", "")[:1000],
            }
            return self.render_to_response(context)
        messages.success(request, _("已撤销免于考核，该周期恢复按实际完成情况计算；撤销原因已记入修改历史。"))
        back = {"rule": rule.code, "team": team.pk}
        if person is not None:
            back["person"] = person.pk
        if request.GET.get("org"):
            back["org"] = request.GET["org"][:100]
        if parse_day(request.GET.get("on", "")) is not None:
            back["on"] = request.GET["on"]
        return HttpResponseRedirect(f"{reverse('overview_cell')}?{urlencode(back)}")
