"""Pages of outreach (联系基层): the module's front page (a leader's 联系点 and this year's activities, then the
regulations), the quick activity form, the activity list, an activity's page, its correction and history, attachments,
and the office's 联系点 assignment.

Thin: a form checks the input, one service does the work, a refusal comes back as a form error with the input kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from communication.services import agenda_item_may_open
from governance.access import OfficeRequiredMixin
from governance.filters import FilteredListView
from governance.forms import apply_errors, parse_id
from governance.models import ObligationRule, Organization, Person, Semester
from governance.roles import is_leader, is_office
from governance.selectors.obligations import RecordPeriod, record_counted_message, record_period
from governance.storage import attachment_response
from governance.views import FamilyRegulationsView
from outreach import selectors, services
from outreach.evidence import ACTIVITY, activity_evidence
from outreach.filters import ActivityFilter, IssueFilter
from outreach.forms import (
    ActivityEditForm,
    ActivityForm,
    AnswerForm,
    AskEscalationForm,
    AssignForm,
    ContactForm,
    DeclineAskForm,
    EndContactForm,
    EscalateForm,
    FeedbackForm,
    IssueRecordForm,
    MailboxForm,
    RotaGenerateForm,
    SessionRecordForm,
    SwapForm,
    TaskForm,
    TransferForm,
)
from outreach.models import (
    Activity,
    ActivityAttachment,
    ActivityKind,
    ContactKind,
    IssueEventKind,
    IssueState,
    LinkedContact,
    RaisedIssue,
    ReceptionSession,
)
from outreach.permissions import (
    activities_open_to_issues_of,
    activities_visible_to,
    can_download,
    can_edit,
    can_handle_issue,
    can_raise_issue_on,
    can_read_issue_record,
    can_view,
    is_assessment_head,
    issues_visible_to,
    may_record,
    may_see_assessment,
    may_see_ledger_of,
    person_of,
)
from supervision.services import task_may_open

PAGE_SIZE = 50


class OutreachUserMixin(LoginRequiredMixin):
    """Ledgers are the office's and the leaders' own (004 第六条2); everyone else sees the regulations only."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_record(request.user):
            raise PermissionDenied(_("联系基层台账仅对党委办公室和班子成员开放。"))
        return super().dispatch(request, *args, **kwargs)


def _units():
    return (
        Organization.objects.filter(is_active=True)
        .exclude(kind=Organization.Kind.UNIVERSITY)
        .order_by("order", "code")
    )


def _contacts_for(user: Any, day) -> Any:
    """The non-party contacts (004 第五条5) a form may name: the leader's own, or every current one for the office."""
    qs = LinkedContact.objects.active_on(day).exclude(kind=ContactKind.UNIT).select_related("leader")
    if is_office(user):
        return qs.order_by("leader__name", "name")
    person = person_of(user)
    return qs.filter(leader=person).order_by("name") if person else qs.none()


class IndexView(FamilyRegulationsView):
    """The module's front page: a leader's 联系点 and this academic year's activities, the office's entries, then the
    regulations (003 联系服务群众, 004) article by article."""

    family = "outreach"
    template_name = "outreach/index.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_office"] = is_office(user)
        context["assessment_head"] = is_assessment_head(user)
        context["can_record"] = may_record(user)
        context["panel"] = (
            selectors.leader_panel_for_user(user, timezone.localdate()) if is_leader(user) else None
        )
        return context


# --- Activities ---------------------------------------------------------------------------------------------------


class ActivityListView(OutreachUserMixin, FilteredListView):
    """The office: every activity (工作台账, 004 第六条2). A leader: the activities they took part in."""

    template_name = "outreach/activity_list.html"
    context_object_name = "activities"
    paginate_by = PAGE_SIZE
    filterset_class = ActivityFilter

    def get_queryset(self):
        return selectors.activities_for_list(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["office"] = is_office(self.request.user)
        context["assessment_head"] = not context["office"] and is_assessment_head(self.request.user)
        return context


def _next_or(request: HttpRequest, default: str) -> str:
    """Where to go after saving: a `next` on this site (never elsewhere), else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _rule_prefill(code: str | None) -> tuple[dict[str, Any], ObligationRule | None]:
    """A "去登记" link's rule: its evidence conditions (kind, festival) as the form's initial values."""
    if not code:
        return {}, None
    rule = ObligationRule.objects.filter(code=code[:100], evidence_source="outreach.activity").first()
    if rule is None:
        return {}, None
    params = rule.evidence_params or {}
    initial = {}
    kind = params.get("kind")
    if isinstance(kind, list | tuple):
        kind = kind[0] if kind else None
    if kind in ActivityKind.values:
        initial["kind"] = kind
    festival = params.get("festival")
    if isinstance(festival, str) and festival:
        initial["festival"] = festival
    return initial, rule


class ActivityFormMixin:
    request: HttpRequest
    form_class: Any = ActivityForm

    def form_kwargs_for(self, day) -> dict[str, Any]:
        return {
            "leaders": selectors.leaders_on(day),
            "units": _units(),
            "contacts": _contacts_for(self.request.user, day),
        }


class ActivityCreateView(OutreachUserMixin, ActivityFormMixin, FormView):
    """登记联系基层活动: today, the leader themselves and their linked units preselected (a phone, under a minute).
    ?kind= or a rule's "去登记" link (?rule=&period_start=&period_end=) preselect the kind and keep the date in the
    period."""

    template_name = "outreach/activity_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.prefill, self.rule = _rule_prefill(request.GET.get("rule"))
        self.period: RecordPeriod | None = record_period(request.GET, self.rule)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(self.form_kwargs_for(timezone.localdate()))
        # The leader's linked units first (the ones they tick most), then the others in the tree's order.
        me = person_of(self.request.user)
        if me is not None:
            linked = LinkedContact.objects.active_on(timezone.localdate()).filter(
                leader=me, kind=ContactKind.UNIT
            )
            kwargs["units"] = (
                kwargs["units"]
                .annotate(linked=Case(When(pk__in=linked.values("organization_id"), then=0), default=1))
                .order_by("linked", "order", "code")
            )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        day = self.period.default_date(today) if self.period else today
        initial: dict[str, Any] = {"date": day, "kind": ActivityKind.FORUM}
        me = person_of(self.request.user)
        target = me
        for_id = parse_id(self.request.GET.get("for"))
        if is_office(self.request.user) and for_id:
            target = selectors.leaders_on(today).filter(pk=for_id).first() or None
        if target is not None:
            initial["leaders"] = [target.pk]
            contacts = selectors.contacts_of(target, today)
            initial["units"] = [c.organization_id for c in contacts if c.kind == ContactKind.UNIT]
            others = [c.pk for c in contacts if c.kind != ContactKind.UNIT]
            if len(others) == 1:
                initial["contact"] = others[0]
        kind = self.request.GET.get("kind")
        if kind in ActivityKind.values:
            initial["kind"] = kind
        initial.update(self.prefill)
        if initial.get("kind") == ActivityKind.FESTIVAL_VISIT and "festival" not in initial:
            near = services.festival_near(day)
            if near:
                initial["festival"] = near[0]
        return initial

    def form_valid(self, form: ActivityForm) -> HttpResponse:
        data = form.service_kwargs()
        if self.period is not None and data["date"] not in self.period:
            form.add_error("date", self.period.refusal())
            return self.form_invalid(form)
        try:
            activity = services.record_activity(by=self.request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        if self.rule is None:
            messages.success(self.request, _("已登记：%(title)s。") % {"title": activity.display_title})
            return HttpResponseRedirect(activity.get_absolute_url())
        # From a rule's "去登记" (a dashboard line or a reminder): back where the user came from, told what the record
        # counted toward, rule and period — as communication's talks and meetings do (issue 6 §2).
        key = f"{ACTIVITY}:{activity.pk}"
        gathered = activity_evidence.gather(
            start=activity.date, end=activity.date, organizations=[activity.organization_id]
        )
        record = next((r for r in gathered if r.key == key), None)
        # Whom the rule's line was about: the leader themself, or the one the office recorded for (?for=).
        me = person_of(self.request.user)
        named = (
            parse_id(self.request.GET.get("for")) if is_office(self.request.user) else (me.pk if me else None)
        )
        messages.success(
            self.request,
            record_counted_message(
                record,
                rule=self.rule,
                period=self.period,
                people=[named] if named else [],
                today=timezone.localdate(),
            ),
        )
        return HttpResponseRedirect(_next_or(self.request, reverse("home")))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["rule"] = self.rule
        context["period"] = self.period
        context["festivals"] = services.upcoming_festivals(timezone.localdate(), 3)
        context["office"] = is_office(self.request.user)
        return context


def _visible_activity_or_404(request: HttpRequest, pk: int) -> Activity:
    activity = (
        activities_visible_to(request.user).filter(pk=pk).select_related("organization", "contact").first()
    )
    if activity is None:
        raise Http404(_("没有这条记录，或者您无权查看。"))
    return activity


class ActivityDetailView(OutreachUserMixin, TemplateView):
    template_name = "outreach/activity_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        activity = _visible_activity_or_404(self.request, self.kwargs["pk"])
        context["activity"] = activity
        context["leaders"] = list(activity.leaders.order_by("name"))
        context["units"] = list(activity.units.order_by("order", "code"))
        context["attachments"] = list(activity.attachments.all())
        context["can_edit"] = can_edit(self.request.user, activity)
        # Read-only for whoever reads it on another leader's ledger (004 第六条1): no issue recorded on it either.
        context["can_raise_issue"] = can_raise_issue_on(self.request.user, activity)
        context["issues"] = list(
            issues_visible_to(self.request.user).filter(activity=activity).order_by("pk")
        )
        recorder = activity.recorded_by
        context["recorder_name"] = (recorder.get_full_name() or recorder.username) if recorder else ""
        return context


class ActivityUpdateView(OutreachUserMixin, ActivityFormMixin, FormView):
    """修改: the office or whoever recorded it; the reason goes into the history (修改记录)."""

    template_name = "outreach/activity_form.html"
    form_class = ActivityEditForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and may_record(request.user):
            self.activity = _visible_activity_or_404(request, kwargs["pk"])
            if not can_edit(request.user, self.activity):
                raise PermissionDenied(_("只有登记人和党委办公室可以修改这条记录。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(self.form_kwargs_for(self.activity.date))
        # Whoever took part stays choosable even if no longer on a team.
        kwargs["leaders"] = (kwargs["leaders"] | self.activity.leaders.all()).distinct().order_by("name")
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        a = self.activity
        return {
            "kind": a.kind,
            "date": a.date,
            "leaders": [p.pk for p in a.leaders.all()],
            "units": [o.pk for o in a.units.all()],
            "participants": a.participants,
            "title": a.title,
            "notes": a.notes,
            "course": a.course,
            "teacher": a.teacher,
            "class_hours": a.class_hours_text or None,  # "2", not "2.0"
            "festival": a.festival,
            "contact": a.contact_id,
        }

    def form_valid(self, form: ActivityEditForm) -> HttpResponse:
        data = form.service_kwargs()
        reason = form.cleaned_data["reason"]
        try:
            activity = services.update_activity(self.activity, by=self.request.user, reason=reason, **data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已修改，修改原因已记入修改记录。"))
        return HttpResponseRedirect(activity.get_absolute_url())

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["activity"] = self.activity
        context["editing"] = True
        context["office"] = is_office(self.request.user)
        return context


class ActivityHistoryView(OutreachUserMixin, TemplateView):
    """修改记录: who entered or changed the activity, when, why and which fields. Same permission as the activity."""

    template_name = "outreach/activity_history.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        activity = _visible_activity_or_404(self.request, self.kwargs["pk"])
        context["activity"] = activity
        context["rows"] = selectors.history_rows(activity)
        return context


class AttachmentDownloadView(LoginRequiredMixin, View):
    """An activity's attachment, to those who may see the activity; 404 to everyone else."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = get_object_or_404(ActivityAttachment.objects.select_related("activity"), pk=pk)
        if not can_download(request.user, attachment):
            raise Http404
        return attachment_response(attachment)


# --- 联系点 (the office) ------------------------------------------------------------------------------------------


class ContactListView(OfficeRequiredMixin, FormView):
    """The office assigns 联系点 (003 二2; 004 第五条1、3、5) and ends them; the list shows the current and future ones."""

    template_name = "outreach/contact_list.html"
    form_class = ContactForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["leaders"] = selectors.leaders_on(timezone.localdate())
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"start": timezone.localdate()}

    def form_valid(self, form: ContactForm) -> HttpResponse:
        try:
            contact = services.assign_contact(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已安排：%(leader)s 联系 %(target)s。")
            % {"leader": contact.leader.name, "target": contact.target},
        )
        return HttpResponseRedirect(reverse("outreach:contact_list"))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["contacts"] = selectors.contacts_for_office(today)
        context["today"] = today
        context["office"] = True
        return context


class ContactEndView(OfficeRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contact = get_object_or_404(LinkedContact.objects.select_related("leader", "organization"), pk=pk)
        form = EndContactForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(reverse("outreach:contact_list"))
        try:
            services.end_contact(contact, by=request.user, end=form.cleaned_data["end"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已结束：%(leader)s 联系 %(target)s。")
                % {"leader": contact.leader.name, "target": contact.target},
            )
        return HttpResponseRedirect(reverse("outreach:contact_list"))


# --- 师生诉求 (004 第五条7, 第六条3—4) ------------------------------------------------------------------------------


def _issue_form_kwargs() -> dict[str, Any]:
    leaders, areas = selectors.university_leaders(timezone.localdate())
    return {"leaders": leaders, "areas": areas}


class MailboxView(LoginRequiredMixin, FormView):
    """意见箱 for everyone signed in (staff and students): what happens next is said before and after writing."""

    template_name = "outreach/mailbox.html"
    form_class = MailboxForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(_issue_form_kwargs())
        return kwargs

    def form_valid(self, form: MailboxForm) -> HttpResponse:
        try:
            issue = services.mailbox_raise(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        if issue.owner_id:
            message = _("已收到，已转交%(leader)s处理。答复后您可以在“我的诉求”中查看。") % {
                "leader": issue.owner.name
            }
        else:
            message = _("已收到。党委办公室将按分工转交校领导处理，答复后您可以在“我的诉求”中查看。")
        messages.success(self.request, message)
        return HttpResponseRedirect(issue.get_absolute_url())

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["per_day"], context["min_seconds"] = services.mailbox_limits()
        return context


class IssueListView(LoginRequiredMixin, FilteredListView):
    """The office: every issue. A leader: those they handle and those they raised. Anyone else: those they raised."""

    template_name = "outreach/issue_list.html"
    context_object_name = "issues"
    paginate_by = PAGE_SIZE
    filterset_class = IssueFilter

    def get_queryset(self):
        return selectors.issues_for_list(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["office"] = is_office(self.request.user)
        context["handler"] = context["office"] or is_leader(self.request.user)
        context["assessment_head"] = not context["office"] and is_assessment_head(self.request.user)
        return context


class IssueCreateView(OutreachUserMixin, FormView):
    """An issue raised at a forum, a visit (?activity=) or by a unit (004 第六条3)."""

    template_name = "outreach/issue_form.html"
    form_class = IssueRecordForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.activity = None
        self.reception = None
        activity_id = parse_id(request.GET.get("activity") or request.POST.get("activity"))
        if activity_id and request.user.is_authenticated:
            self.activity = activities_open_to_issues_of(request.user).filter(pk=activity_id).first()
        reception_id = parse_id(request.GET.get("reception") or request.POST.get("reception"))
        if reception_id and request.user.is_authenticated and self.activity is None:
            # 004 第五条8: a visitor's issue on a reception day; only that day's duty leader and the office.
            session = ReceptionSession.objects.select_related("leader").filter(pk=reception_id).first()
            if session is None or not services.can_record_session(request.user, session):
                raise Http404(_("没有这条记录，或者您无权查看。"))
            self.reception = session

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(_issue_form_kwargs())
        kwargs["units"] = _units()
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        if self.activity is not None:
            units = list(self.activity.units.all()[:1])
            if units:
                initial["unit"] = units[0].pk
            me = person_of(self.request.user)
            if me is not None and is_leader(self.request.user):
                initial["owner"] = me.pk
        elif self.reception is not None:
            initial["owner"] = self.reception.leader_id  # the duty leader answers first (第五条8)
        return initial

    def form_valid(self, form: IssueRecordForm) -> HttpResponse:
        try:
            issue = services.issue_record(
                by=self.request.user, activity=self.activity, reception=self.reception, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记诉求：%(title)s。") % {"title": issue.title})
        return HttpResponseRedirect(issue.get_absolute_url())

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["activity"] = self.activity
        context["reception"] = self.reception
        context["office"] = is_office(self.request.user)
        return context


def _visible_issue_or_404(request: HttpRequest, pk: int) -> RaisedIssue:
    issue = (
        issues_visible_to(request.user)
        .filter(pk=pk)
        .select_related(
            "owner",
            "handling_unit",
            "unit",
            "activity",
            "reception__leader",
            "raised_by",
            "agenda_item",
            "supervised_task",
        )
        .first()
    )
    if issue is None:
        raise Http404(_("没有这条记录，或者您无权查看。"))
    return issue


ISSUE_ACTIONS = ("answer", "transfer", "assign", "feedback", "close", "escalate", "task", "ask", "decline")
TASK_UNIT_KINDS = (Organization.Kind.COLLEGE, Organization.Kind.DEPARTMENT)  # 主办单位: 学院或职能部门


def _standing_declines(issue: RaisedIssue, events: list[Any]) -> list[Any]:
    """The office's declines the leader has not answered with a new request of the same kind (and the office has not
    since done what was asked): what the issue page shows as the office's answer. Read from the loaded history."""
    latest: dict[str, Any] = {}
    for event in events:
        if event.kind in (IssueEventKind.ASKED_AGENDA, IssueEventKind.ASKED_TASK):
            latest[event.kind] = None
        elif event.kind == IssueEventKind.DECLINED_ASK and event.ask is not None:
            latest[event.ask.kind] = event
    done = {
        IssueEventKind.ASKED_AGENDA: issue.agenda_item_id,
        IssueEventKind.ASKED_TASK: issue.supervised_task_id,
    }
    return [event for kind, event in latest.items() if event is not None and not done.get(kind)]


class IssueDetailView(LoginRequiredMixin, TemplateView):
    """An issue: what was raised, the answer (the raiser sees it), the handling steps, and the actions of the leader
    who handles it and of the office. POST ?action= runs one step; a refusal comes back on its form, input kept."""

    template_name = "outreach/issue_detail.html"

    def pending(self) -> list[Any]:
        """The leader's requests to escalate the office has not acted on yet (one query, read once a request)."""
        if not hasattr(self, "_pending"):
            self._pending = services.pending_asks(self.issue)
        return self._pending

    def askable(self) -> tuple[str, ...]:
        """What the leader in charge may still ask the office for: neither done nor already asked."""
        asked = {e.kind for e in self.pending()}
        return tuple(
            target
            for target, done, kind in (
                ("agenda", self.issue.agenda_item_id, IssueEventKind.ASKED_AGENDA),
                ("task", self.issue.supervised_task_id, IssueEventKind.ASKED_TASK),
            )
            if not done and kind not in asked
        )

    def forms(self, data: Any = None, action: str = "") -> dict[str, Any]:
        kwargs = _issue_form_kwargs()
        bound = {name: (data if name == action else None) for name in ISSUE_ACTIONS}
        # The office's escalation form starts from what the leader asked for (meeting and reason).
        asked = next((e for e in self.pending() if e.kind == IssueEventKind.ASKED_AGENDA), None)
        escalate_initial = {"meeting_kind": asked.meeting_kind, "note": asked.note} if asked else {}
        return {
            "answer": AnswerForm(bound["answer"], prefix="answer", initial={"answer": self.issue.answer}),
            "transfer": TransferForm(bound["transfer"], prefix="transfer", units=_units(), **kwargs),
            "assign": AssignForm(bound["assign"], prefix="assign", **kwargs),
            "feedback": FeedbackForm(
                bound["feedback"],
                prefix="feedback",
                initial={"channel": "portal" if self.issue.raised_by_id else "face"},
            ),
            "escalate": EscalateForm(bound["escalate"], prefix="escalate", initial=escalate_initial),
            "ask": AskEscalationForm(bound["ask"], prefix="ask", available=self.askable()),
            "decline": DeclineAskForm(bound["decline"], prefix="decline", asks=self.pending()),
            "task": TaskForm(
                bound["task"],
                prefix="task",
                units=_units().filter(kind__in=TASK_UNIT_KINDS),
                initial={"lead_unit": self.issue.handling_unit_id, "matter": self.issue.text},
            ),
        }

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.issue = _visible_issue_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, forms: dict[str, Any] | None = None, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        issue = self.issue
        user = self.request.user
        handler = can_handle_issue(user, issue)
        # The handling record, read-only for whoever reads the ledger listing the issue (004 第六条1).
        reader = handler or can_read_issue_record(self.request.user, issue)
        events = (
            list(issue.events.select_related("by", "to_person", "to_unit", "ask", "ask__by"))
            if reader
            else []
        )
        context.update(
            issue=issue,
            handler=handler,
            reader=reader,
            activity_link=reader
            and issue.activity is not None
            and (handler or can_view(self.request.user, issue.activity)),
            # Where the issue was raised and what it led to, to whoever reads the handling record: a link where the
            # reader may open the page, else the same facts as text (the ledger's reader, 004 第六条1, reads a
            # reception day, an agenda item or a task he has no part in that way).
            reception_link=reader
            and issue.reception is not None
            and services.can_record_session(user, issue.reception),
            agenda_link=reader
            and issue.agenda_item is not None
            and agenda_item_may_open(item=issue.agenda_item, user=user),
            task_link=reader
            and issue.supervised_task is not None
            and task_may_open(task=issue.supervised_task, user=user),
            office=is_office(self.request.user),
            open=issue.state != IssueState.CLOSED,
            events=events,
            pending=self.pending() if handler else [],
            declined=_standing_declines(issue, events),
            askable=self.askable() if handler else (),
            forms=forms or self.forms(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        issue = self.issue
        if not can_handle_issue(request.user, issue):
            raise PermissionDenied(_("只有承办的校领导和党委办公室可以办理这条诉求。"))
        action = request.POST.get("action", "")
        if action not in ISSUE_ACTIONS:
            raise PermissionDenied(_("无法识别的操作。"))
        if action == "ask" and is_office(request.user):
            raise PermissionDenied(_("党委办公室可直接列为议题或转为督办事项，无需提请。"))
        if action == "decline" and not is_office(request.user):
            raise PermissionDenied(_("只有党委办公室可以答复校领导的提请。"))
        if action == "decline" and not self.pending():
            # A stale page: the request was acted on or answered meanwhile, and the page has no decline form to show.
            messages.error(request, _("这项提请已办理或已答复，请刷新页面查看。"))
            return HttpResponseRedirect(issue.get_absolute_url())
        if action in ("escalate", "task") and not is_office(request.user):
            # 001 三（三）: the office prepares agenda items; 督查督办 第四条（一）: the 督查小组 registers tasks.
            raise PermissionDenied(
                _("议题和督办事项由党委办公室列入、立项，请向党委办公室提请（004 第六条4）。")
            )
        forms = self.forms(request.POST, action)
        form = forms.get(action)
        try:
            if action == "close":
                services.issue_close(issue, by=request.user)
                done = _("已办结。")
            elif not form.is_valid():
                return self.render_to_response(self.get_context_data(forms=forms))
            elif action == "answer":
                services.issue_answer(issue, by=request.user, **form.cleaned_data)
                done = _("已答复。请向反映人反馈后再办结（件件有回音）。")
            elif action == "transfer":
                services.issue_transfer(issue, by=request.user, **form.cleaned_data)
                done = _("已移交。")
            elif action == "assign":
                services.issue_assign(issue, by=request.user, **form.cleaned_data)
                done = _("已分送。")
            elif action == "escalate":
                services.issue_escalate(issue, by=request.user, **form.cleaned_data)
                done = _("已列为议题，按议题的程序征求意见、安排上会。诉求在向反映人反馈后才能办结。")
            elif action == "task":
                services.issue_to_task(issue, by=request.user, **form.cleaned_data)
                done = _("已转为督办事项。诉求在向反映人反馈后才能办结。")
            elif action == "ask":
                services.issue_ask_escalation(issue, by=request.user, **form.cleaned_data)
                done = _("已向党委办公室提请，党委办公室办理后在本页显示议题或督办事项。")
            elif action == "decline":
                services.issue_decline_ask(issue, by=request.user, **form.cleaned_data)
                done = _("已答复：不予提请。承办校领导在本页看到答复和理由，并收到邮件通知。")
            else:
                services.issue_feedback(issue, by=request.user, **form.cleaned_data)
                done = _("已登记反馈。")
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
                return HttpResponseRedirect(issue.get_absolute_url())
            apply_errors(form, error)
            return self.render_to_response(self.get_context_data(forms=forms))
        messages.success(request, done)
        if not issues_visible_to(request.user).filter(pk=issue.pk).exists():
            return HttpResponseRedirect(reverse("outreach:issue_list"))  # transferred away from this leader
        return HttpResponseRedirect(issue.get_absolute_url())


# --- 校领导接待日 (004 第五条8) ----------------------------------------------------------------------------------------


class ReceptionScheduleView(TemplateView):
    """The public schedule, no login: the coming reception days, the duty leader and where. Nothing else personal."""

    template_name = "outreach/reception_schedule.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["sessions"] = list(
            ReceptionSession.objects.filter(date__gte=today)
            .select_related("leader")
            .only("date", "start_time", "end_time", "place", "moved_from", "leader__name", "leader__title")
            .order_by("date")[:12]
        )
        return context


class ReceptionRotaView(OfficeRequiredMixin, TemplateView):
    """The office: generate a semester's rota, swap two duty leaders, see every reception day."""

    template_name = "outreach/reception_rota.html"

    def forms(self, data: Any = None, action: str = "") -> dict[str, Any]:
        today = timezone.localdate()
        coming = ReceptionSession.objects.filter(date__gte=today).select_related("leader").order_by("date")
        return {
            "generate": RotaGenerateForm(
                data if action == "generate" else None,
                prefix="generate",
                semesters=Semester.objects.filter(end__gte=today).order_by("start"),
            ),
            "swap": SwapForm(data if action == "swap" else None, prefix="swap", sessions=coming),
        }

    def get_context_data(self, forms: dict[str, Any] | None = None, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["forms"] = forms or self.forms()
        context["sessions"] = list(
            ReceptionSession.objects.filter(date__gte=today - dt.timedelta(days=120))
            .select_related("leader")
            .order_by("date")
        )
        context["today"] = today
        context["office"] = True
        context["conf"] = services.reception_settings()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action", "")
        forms = self.forms(request.POST, action)
        form = forms.get(action)
        if form is None:
            raise PermissionDenied(_("无法识别的操作。"))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(forms=forms))
        try:
            if action == "generate":
                sessions, dropped = services.rota_generate(by=request.user, **form.cleaned_data)
                message = _("已排定 %(n)d 个接待日。") % {"n": len(sessions)}
                if dropped:
                    message += _("取消（当周再无工作日）：%(days)s。") % {
                        "days": "、".join(d.isoformat() for d in dropped)
                    }
            else:
                services.sessions_swap(by=request.user, **form.cleaned_data)
                message = _("已交换当班领导。")
        except ValidationError as error:
            apply_errors(form, error)
            return self.render_to_response(self.get_context_data(forms=forms))
        messages.success(request, message)
        return HttpResponseRedirect(reverse("outreach:reception_rota"))


class ReceptionSessionView(LoginRequiredMixin, FormView):
    """A reception day for the office and its duty leader: record how many came and what they raised."""

    template_name = "outreach/reception_session.html"
    form_class = SessionRecordForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.session = get_object_or_404(
                ReceptionSession.objects.select_related("leader"), pk=kwargs["pk"]
            )
            if not services.can_record_session(request.user, self.session):
                raise Http404(_("没有这条记录，或者您无权查看。"))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"visitors": self.session.visitors, "summary": self.session.summary}

    def form_valid(self, form: SessionRecordForm) -> HttpResponse:
        try:
            services.session_record(by=self.request.user, session=self.session, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记接待情况。"))
        return HttpResponseRedirect(reverse("outreach:reception_session", args=[self.session.pk]))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        context["office"] = is_office(self.request.user)
        context["held"] = self.session.date <= timezone.localdate()
        context["issues"] = list(self.session.issues.select_related("owner").order_by("created_at", "pk"))
        return context


# --- 工作台账 (004 第六条2) and the assessment group's summary (第六条1) ------------------------------------------------


def _year_of(request: HttpRequest) -> int:
    from outreach.ledger import year_key

    today = timezone.localdate()
    key = parse_id(request.GET.get("year"))
    current = year_key(today)
    return key if key and current - 20 <= key <= current else current


def _year_choices() -> list[int]:
    from outreach.ledger import year_key

    current = year_key(timezone.localdate())
    return list(range(current, current - 5, -1))


class LedgerHomeView(OutreachUserMixin, View):
    """/outreach/ledger/: a leader's own ledger; the office's summary across leaders."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if is_office(request.user):
            return HttpResponseRedirect(reverse("outreach:assessment"))
        person = person_of(request.user)
        if person is None:
            raise PermissionDenied(_("联系基层台账仅对党委办公室和班子成员开放。"))
        return HttpResponseRedirect(reverse("outreach:ledger", args=[person.pk]))


class LedgerAccessMixin(OutreachUserMixin):
    """A leader's ledger: the leader and the office (004 第六条2), and the assessment group's head for the university
    leaders the summary lists (第六条1); anyone else gets no page, whatever the URL."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and may_record(request.user):
            person = Person.objects.filter(pk=kwargs["person_pk"]).first()
            if person is None or not may_see_ledger_of(request.user, person):
                raise Http404(_("没有这条记录，或者您无权查看。"))
            self.person = person
        return super().dispatch(request, *args, **kwargs)

    def span(self):
        from outreach.ledger import year_span

        return year_span(_year_of(self.request))

    def book(self, span=None):
        from outreach.ledger import ledger

        return ledger(self.person, span or self.span())


class LedgerView(LedgerAccessMixin, TemplateView):
    """The ledger page, also its print version (A4 print CSS): every activity, every issue, totals and the rules."""

    template_name = "outreach/ledger.html"

    def get_context_data(self, **kwargs) -> dict:
        from django.template.loader import render_to_string

        from governance.services.freshness import cached_fragment

        context = super().get_context_data(**kwargs)
        span = self.span()

        def render() -> str:
            return render_to_string("outreach/includes/ledger_body.html", {"book": self.book(span)})

        # Cached until an activity, an issue, a position or a rule changes (freshness stamps; an issue's change
        # moves every stamp): the same page for the leader and the office.
        # render_to_string's SafeString, kept as such in the cache (as the core's home and overview fragments).
        context["body"] = cached_fragment(
            "outreach-ledger", self.person.pk, span.key, timezone.localdate(), render=render
        )
        context["person"] = self.person
        context["span"] = span
        context["years"] = _year_choices()
        context["office"] = is_office(self.request.user)
        context["assessment_head"] = is_assessment_head(self.request.user)
        return context


class LedgerExportView(LedgerAccessMixin, View):
    """The ledger as an Excel workbook: the page's activities, totals and rules."""

    def get(self, request: HttpRequest, person_pk: int) -> HttpResponse:
        from django.utils.http import content_disposition_header

        from outreach.export import ledger_workbook

        book = self.book()
        response = HttpResponse(
            ledger_workbook(book),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"{_('联系基层工作台账')}-{book.person.name}-{book.span.key}.xlsx"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response


class AssessmentView(LoginRequiredMixin, TemplateView):
    """考核小组的学年汇总 (004 第六条1): every university leader's activities by kind, 听课 hours, rules met, with a
    chart drawn on the server. The office and the group's head (由党委书记任组长) only; other leaders, staff and
    members get 403."""

    template_name = "outreach/assessment.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_see_assessment(request.user):
            raise PermissionDenied(_("学年汇总仅对党委办公室和考核小组组长（党委书记）开放（004 第六条1）。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        from django.template.loader import render_to_string

        from governance.services.freshness import cached_fragment
        from outreach.ledger import summary, year_span

        context = super().get_context_data(**kwargs)
        span = year_span(_year_of(self.request))

        def render() -> str:
            return render_to_string(
                "outreach/includes/assessment_body.html",
                {"summary": summary(span), "ledger_prefix": reverse("outreach:ledger_home")},
            )

        # The chart and the table, cached until an activity, a position or a rule changes anywhere (the stamps of
        # governance/services/freshness.py; an activity touches its organization and "any organization").
        context["body"] = cached_fragment(
            "outreach-assessment", span.key, timezone.localdate(), render=render
        )
        context["span"] = span
        context["years"] = _year_choices()
        context["office"] = is_office(self.request.user)
        context["assessment_head"] = is_assessment_head(self.request.user)
        return context
