"""Pages of the supervision family: the task lists (the office's, a unit's, a leader's), registration, a task's page
with its timeline and the actions the user may take, the printable notice, attachments and the audit history.

Thin: a form checks the input, one service does the work, a refusal comes back as a form error with the input kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from governance.access import OfficeRequiredMixin
from governance.filters import FilteredListView
from governance.forms import apply_errors, parse_id
from governance.history import record_changes
from governance.pdf import PdfTemplateMixin
from governance.roles import is_leader, is_office
from governance.storage import attachment_response
from governance.views import FamilyRegulationsView
from supervision import selectors, services
from supervision.filters import TaskFilter
from supervision.forms import (
    ExtensionDecisionForm,
    ExtensionRequestForm,
    NoteForm,
    NotifyForm,
    OnBehalfApprovalForm,
    OnBehalfExtensionDecisionForm,
    ProgressForm,
    ReturnForm,
    RoundForm,
    SubmitForm,
    TaskForm,
    UrgingForm,
    WarningForm,
)
from supervision.models import SupervisedTask, TaskAction, TaskSource, TaskState
from supervision.permissions import (
    approves_on_behalf,
    can_act_for_lead_unit,
    can_approve_registration,
    can_decide_extension,
    can_report,
    can_request_extension,
    can_view,
    may_use,
    person_of,
    reporting_units,
    unit_ids_of,
)

PAGE_SIZE = 50


class SupervisionUserMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_use(request.user):
            raise PermissionDenied(_("督查督办仅对党委办公室、校领导和承办单位的负责人、联络员开放。"))
        return super().dispatch(request, *args, **kwargs)


class IndexView(FamilyRegulationsView):
    """The regulation the family is built on (003 督查督办), article by article."""

    family = "supervision"
    template_name = "supervision/index.html"


# --- Lists --------------------------------------------------------------------------------------------------------


class TaskListView(SupervisionUserMixin, FilteredListView):
    """The office: every task (台账). A unit's people: their units' tasks. A leader: the tasks they are responsible
    for."""

    template_name = "supervision/task_list.html"
    context_object_name = "tasks"
    paginate_by = PAGE_SIZE
    filterset_class = TaskFilter

    def get_queryset(self):
        return selectors.tasks_for_list(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["tasks"] = selectors.list_rows(selectors.page_of(context["tasks"]), timezone.localdate())
        context["office"] = is_office(self.request.user)
        context["unit_view"] = not context["office"] and bool(unit_ids_of(self.request.user))
        context["can_see_stats"] = context["office"] or is_leader(self.request.user)
        context["badges"] = selectors.COLOUR_BADGES
        return context


# --- Registration -------------------------------------------------------------------------------------------------


class TaskCreateView(OfficeRequiredMixin, FormView):
    """立项登记 (第四条（一）). ?meeting=<id> or ?agenda_item=<id> (“转为督办事项” from a meeting or an agenda item,
    第二条（三）) prefill the source; an agenda item's decision (会议决定) prefills the matter and the content. From a
    meeting, the agenda-item choice offers that meeting's items only, and the page says truthfully what was prefilled:
    a meeting with one item is prefilled from it, one with several lists them to choose (一事一项)."""

    template_name = "supervision/task_form.html"
    form_class = TaskForm

    def _meetings(self):
        from communication.selectors import meetings_for_list

        return meetings_for_list(self.request.user)

    def _all_agenda_items(self):
        from communication.selectors import agenda_items_queryset

        return agenda_items_queryset().select_related("meeting").order_by("-pk")  # the office sees every item

    def _source(self) -> tuple[Any, Any]:
        """The agenda item and the meeting the task is turned from (either may be None), read once."""
        if not hasattr(self, "_source_found"):
            item_id = parse_id(self.request.GET.get("agenda_item"))
            meeting_id = parse_id(self.request.GET.get("meeting"))
            item = self._all_agenda_items().filter(pk=item_id).first() if item_id else None
            if item is not None and item.meeting_id:
                meeting_id = item.meeting_id
            meeting = self._meetings().filter(pk=meeting_id).first() if meeting_id else None
            self._source_found = (item, meeting)
        return self._source_found

    def _agenda_items(self):
        """From a meeting: its agenda items only; from an item not yet on a meeting: that item; else every item."""
        item, meeting = self._source()
        if meeting is not None:
            return self._all_agenda_items().filter(meeting_id=meeting.pk).order_by("pk")
        if item is not None:
            return self._all_agenda_items().filter(pk=item.pk)
        return self._all_agenda_items()

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["meetings"] = self._meetings()
        kwargs["agenda_items"] = self._agenda_items()
        return kwargs

    def get_initial(self) -> dict:
        initial = super().get_initial()
        today = timezone.localdate()
        initial["assigned_on"] = today
        item, meeting = self._source()
        self.meeting_items: list[Any] = []
        if meeting is not None:
            initial["meeting"] = meeting.pk
            initial["source"] = TaskSource.MEETING
            initial["source_detail"] = f"{meeting.date:%Y-%m-%d} {meeting.title}"
            initial["assigned_on"] = meeting.date
            if item is None:
                self.meeting_items = list(self._agenda_items())
                if len(self.meeting_items) == 1:  # one item: the meeting's decision is that item's
                    item = self.meeting_items[0]
        if item is not None:
            initial["agenda_item"] = item.pk
            initial["title"] = item.title
            initial["matter"] = item.decision or item.description
        self.source_record = item or meeting
        self.prefilled_from = item
        return initial

    def _prefill_note(self) -> str:
        """What the page says was prefilled: only what was."""
        item, meeting = getattr(self, "prefilled_from", None), self._source()[1]
        record = getattr(self, "source_record", None)
        if record is None:
            return ""
        said = _("由“%(what)s”转为督办事项：") % {"what": record}
        if meeting is not None:
            said += _("事项来源、来源会议和交办时间已按会议预填。")
        if item is not None and item.decision:
            said += _("督办事项和督办内容已按议题“%(item)s”的会议决定预填，请核对。") % {"item": item.title}
        elif item is not None and item.description:
            said += _("议题“%(item)s”尚未登记会议决定，督办内容暂按议题说明预填，请按会议决定修改。") % {
                "item": item.title
            }
        elif item is not None:
            said += _("督办事项已按议题“%(item)s”预填；该议题没有登记会议决定，请填写督办内容。") % {
                "item": item.title
            }
        elif self.meeting_items:
            said += _(
                "该会议有 %(n)d 个议题：按一事一项（第四条（一）），请选择要督办的议题，督办事项和督办内容将按其会议决定预填。"
            ) % {"n": len(self.meeting_items)}
        else:
            said += _("该会议没有登记议题和会议决定，请填写督办事项和督办内容。")
        return said + _("请补充承办单位、分管校领导和办理时限。")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["source_record"] = getattr(self, "source_record", None)
        context["prefill_note"] = self._prefill_note()
        # Several agenda items of the meeting and none chosen yet: one link each, prefilling from its decision.
        context["meeting_items"] = (
            [] if getattr(self, "prefilled_from", None) else getattr(self, "meeting_items", [])
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            task = services.task_register(
                registered_by=self.request.user,
                title=data["title"],
                source=data["source"],
                source_detail=data["source_detail"],
                meeting=data["meeting"],
                agenda_item=data["agenda_item"],
                kind=data["kind"],
                assigned_on=data["assigned_on"],
                lead_unit=data["lead_unit"],
                co_units=data["co_units"],
                leader=data["leader"],
                matter=data["matter"],
                requirements=data["requirements"],
                deadline=data["deadline"],
                report_cycle=data["report_cycle"],
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        if task.needs_approval:
            messages.success(
                self.request,
                _(
                    "已立项登记，编号 %(number)s。该事项涉及多个单位，已请分管校领导%(leader)s审定（第四条（一））。"
                )
                % {"number": task.number, "leader": task.leader.name},
            )
        else:
            messages.success(self.request, _("已立项登记，编号 %(number)s。") % {"number": task.number})
        return HttpResponseRedirect(task.get_absolute_url())


# --- A task's page and its actions ----------------------------------------------------------------------------------


def _visible_task_or_404(request: HttpRequest, pk: int) -> SupervisedTask:
    try:
        task = selectors.task_for_detail(pk)
    except SupervisedTask.DoesNotExist:
        raise Http404(_("没有这个督办事项。")) from None
    if not can_view(request.user, task):
        raise Http404(_("没有这个督办事项。"))  # outsiders may not learn it exists
    return task


ACTION_FORMS = {
    TaskAction.APPROVE: NoteForm,
    TaskAction.NOTIFY: NotifyForm,
    TaskAction.ACCEPT: NoteForm,
    TaskAction.SUBMIT: SubmitForm,
    TaskAction.COMPLETE: NoteForm,
    TaskAction.RETURN: ReturnForm,
    TaskAction.ARCHIVE: NoteForm,
    TaskAction.URGE: UrgingForm,
    TaskAction.EXTENSION_REQUEST: ExtensionRequestForm,
    TaskAction.WARN: WarningForm,
}
EXTENSION_DECIDE = "ext_decide"


def action_form(action: str, user: Any, task: SupervisedTask, *args: Any) -> Any:
    """The form of a step for this user: the office entering a leader's approval says how it was given (第四条（一））."""
    if action == TaskAction.APPROVE and approves_on_behalf(user, task):
        return OnBehalfApprovalForm(*args, prefix=action)
    return ACTION_FORMS[action](*args, prefix=action)


def decision_form(user: Any, task: SupervisedTask, *args: Any) -> ExtensionDecisionForm:
    """The extension answer's form for this user: the office entering the leader's answer says how it was given
    (第五条)."""
    if approves_on_behalf(user, task):
        return OnBehalfExtensionDecisionForm(*args, prefix="decide")
    return ExtensionDecisionForm(*args, prefix="decide")


def action_label(action: str, user: Any, task: SupervisedTask) -> str:
    if action == TaskAction.APPROVE and approves_on_behalf(user, task):
        return _("代为登记分管校领导的审定")
    return str(TaskAction(action).label)


def available_actions(user: Any, task: SupervisedTask) -> list[str]:
    """The workflow steps the user may take on the task now (the buttons the page shows)."""
    office = is_office(user)
    state = task.state
    found: list[str] = []
    if state == TaskState.REGISTERED and task.needs_approval and task.approved_at is None:
        if can_approve_registration(user, task):
            found.append(TaskAction.APPROVE)
    elif state == TaskState.REGISTERED and office:
        found.append(TaskAction.NOTIFY)
    if state == TaskState.NOTIFIED and can_act_for_lead_unit(user, task):
        found.append(TaskAction.ACCEPT)
    if state in (TaskState.IN_PROGRESS, TaskState.RETURNED) and can_act_for_lead_unit(user, task):
        found.append(TaskAction.SUBMIT)
    if state == TaskState.SUBMITTED and office:
        found += [TaskAction.COMPLETE, TaskAction.RETURN]
    if state == TaskState.COMPLETED and office:
        found.append(TaskAction.ARCHIVE)
    if task.is_open and office:
        found.append(TaskAction.URGE)
    if office and task.is_open:
        level = services.warning_level_due(task)
        if level and not any(w.level == level and w.deadline == task.deadline for w in task.warnings.all()):
            found.append(TaskAction.WARN)
    if can_request_extension(user, task) and selectors.pending_extension(task) is None:
        found.append(TaskAction.EXTENSION_REQUEST)
    return found


class TaskDetailView(SupervisionUserMixin, TemplateView):
    template_name = "supervision/task_detail.html"

    def get_task(self) -> SupervisedTask:
        if not hasattr(self, "_task"):
            self._task = _visible_task_or_404(self.request, self.kwargs["pk"])
        return self._task

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        task = self.get_task()
        user = self.request.user
        today = timezone.localdate()
        selectors.with_colours([task], today, selectors.workday_edge(today))
        actions = available_actions(user, task)
        bound = kwargs.get("bound_forms", {})
        context["task"] = task
        # 第四条（三）: the latest e-mail urging rounds, the older ones counted; ?urgings=all lists every round.
        context["all_urgings"] = self.request.GET.get("urgings") == "all"
        context["recent_urgings"] = selectors.RECENT_URGING_ROUNDS
        context["timeline"] = selectors.timeline(
            task, recent_urgings=None if context["all_urgings"] else selectors.RECENT_URGING_ROUNDS
        )
        context["actions"] = [
            {
                "name": a,
                "label": action_label(a, user, task),
                "form": bound.get(a) or action_form(a, user, task),
                "open": a in bound,
            }
            for a in actions
        ]
        context["can_report"] = can_report(user, task)
        if context["can_report"]:
            context["progress_form"] = bound.get(TaskAction.REPORT) or ProgressForm(
                prefix="report", unit_ids=reporting_units(user, task)
            )
        context["office"] = is_office(user)
        context["badges"] = selectors.COLOUR_BADGES
        context["urgings"] = selectors.urgings_of(task) if context["office"] else []
        pending = selectors.pending_extension(task)
        context["pending_extension"] = pending
        if pending is not None and can_decide_extension(user, task):
            context["decision_form"] = bound.get(EXTENSION_DECIDE) or decision_form(user, task)
            context["decision_on_behalf"] = approves_on_behalf(user, task)
        return context

    def _decide_extension(self, request: HttpRequest, task: SupervisedTask) -> HttpResponse:
        pending = selectors.pending_extension(task)
        if pending is None:
            messages.error(request, _("没有等待审批的延期申请，可能刚刚已被审批。"))
            return HttpResponseRedirect(task.get_absolute_url())
        if not can_decide_extension(request.user, task):
            raise PermissionDenied(_("延期申请由分管校领导审批（第五条）。"))
        form = decision_form(request.user, task, request.POST)
        if form.is_valid():
            approve = form.cleaned_data["decision"]
            try:
                decided = services.extension_decide(
                    extension=pending,
                    user=request.user,
                    approve=approve,
                    note=form.cleaned_data["note"],
                    channel=form.cleaned_data.get("channel", ""),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                date = f"{pending.proposed_deadline:%Y-%m-%d}"
                if decided.decision_recorded_by_name:  # 第五条: says whose answer was entered, and how
                    said = {"decision": decided.decision_text.split("：", 1)[-1], "date": date}
                    message = (
                        _("已代为登记：%(decision)s，办理时限改为 %(date)s。") % said
                        if approve
                        else _("已代为登记：%(decision)s，主办单位会收到邮件。") % said
                    )
                else:
                    message = (
                        _("已同意延期，办理时限改为 %(date)s。") % {"date": date}
                        if approve
                        else _("已答复不同意延期，主办单位会收到邮件。")
                    )
                messages.success(request, message)
                return HttpResponseRedirect(task.get_absolute_url())
        return self.render_to_response(self.get_context_data(bound_forms={EXTENSION_DECIDE: form}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = self.get_task()
        action = request.POST.get("action", "")
        user = request.user
        if action == EXTENSION_DECIDE:
            return self._decide_extension(request, task)
        if action == TaskAction.REPORT:
            if not can_report(user, task):
                raise PermissionDenied(_("您不能为这个事项反馈进展。"))
            form: Any = ProgressForm(
                request.POST, request.FILES, prefix="report", unit_ids=reporting_units(user, task)
            )
            if form.is_valid():
                try:
                    services.progress_report(
                        task=task,
                        user=user,
                        unit=form.cleaned_data["unit"],
                        text=form.cleaned_data["text"],
                        files=form.cleaned_data["files"],
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("进展情况已报送。"))
                    return HttpResponseRedirect(task.get_absolute_url())
            return self.render_to_response(self.get_context_data(bound_forms={TaskAction.REPORT: form}))
        if action not in available_actions(user, task):
            if action in ACTION_FORMS:
                messages.error(
                    request,
                    _("“%(state)s”状态的事项，您不能%(action)s。")
                    % {"state": task.get_state_display(), "action": TaskAction(action).label},
                )
                return HttpResponseRedirect(task.get_absolute_url())
            raise Http404
        form = action_form(action, user, task, request.POST)
        if form.is_valid():
            try:
                message = self._run(action, task, form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(task.get_absolute_url())
        return self.render_to_response(self.get_context_data(bound_forms={action: form}))

    def _run(self, action: str, task: SupervisedTask, data: dict) -> str:
        user = self.request.user
        if action == TaskAction.APPROVE:
            task = services.task_approve(
                task=task, user=user, note=data["note"], channel=data.get("channel", "")
            )
            if task.approval_recorded_by_name:
                return _("已代为登记：%(approval)s。可以发出督办通知。") % {
                    "approval": task.approval_text.split("：", 1)[-1]
                }
            return _("已审定立项，督查小组可以发出督办通知。")
        if action == TaskAction.NOTIFY:
            services.task_notify(task=task, user=user, method=data["method"], note=data["note"])
            return _("已发出督办通知，主办和协办单位的负责人、联络员会收到邮件。")
        if action == TaskAction.ACCEPT:
            services.task_accept(task=task, user=user, note=data["note"])
            return _("已签收，事项进入办理中。")
        if action == TaskAction.SUBMIT:
            services.task_submit(task=task, user=user, result=data["result"])
            return _("已报结，等待督查小组审核（第四条（四））。")
        if action == TaskAction.COMPLETE:
            services.task_complete(task=task, user=user, note=data["note"])
            return _("审核通过，事项已办结。")
        if action == TaskAction.RETURN:
            services.task_return(
                task=task, user=user, reason=data["reason"], new_deadline=data["new_deadline"]
            )
            return _("已退回，责成主办单位在新的时限内办理（第四条（四））。")
        if action == TaskAction.ARCHIVE:
            services.task_archive(task=task, user=user, note=data["note"])
            return _("已立卷归档（第四条（五））。")
        if action == TaskAction.WARN:
            notice = services.warning_issue(task=task, user=user, note=data["note"])
            return _("已发出%(level)s，可打印后送达主办单位。") % {"level": notice.get_level_display()}
        if action == TaskAction.EXTENSION_REQUEST:
            services.extension_request(
                task=task, user=user, reason=data["reason"], proposed_deadline=data["proposed_deadline"]
            )
            return _("延期申请已提交，等待分管校领导%(leader)s审批（第五条）。") % {
                "leader": task.leader.name
            }
        services.urging_record(
            task=task, user=user, channel=data["channel"], urged_on=data["urged_on"], note=data["note"]
        )
        return _("催办已登记。")


class NoticePrintView(SupervisionUserMixin, TemplateView):
    """The 督查督办通知单 (第四条（二）) as an A4 page to print."""

    template_name = "supervision/notice_print.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["task"] = _visible_task_or_404(self.request, self.kwargs["pk"])
        context["today"] = timezone.localdate()
        return context


class WarningPrintView(SupervisionUserMixin, TemplateView):
    """A graded warning notice (黄色预警通知单 / 红色预警督办单) as an A4 page to print, like the 督查督办通知单."""

    template_name = "supervision/warning_print.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        task = _visible_task_or_404(self.request, self.kwargs["pk"])
        notice = next((w for w in task.warnings.all() if w.pk == self.kwargs["warning"]), None)
        if notice is None:
            raise Http404(_("没有这份预警通知。"))
        context["task"] = task
        context["notice"] = notice
        context["overdue_days"] = max((notice.issued_on - notice.deadline).days, 0)
        return context


class NoticePdfView(PdfTemplateMixin, NoticePrintView):
    """The 督查督办通知单 as a PDF download: the print page's template and print CSS, its permissions."""

    def get_pdf_filename(self, context: dict) -> str:
        return f"{_('督查督办通知单')}-{context['task'].number}.pdf"


class WarningPdfView(PdfTemplateMixin, WarningPrintView):
    """A graded warning notice as a PDF download, like the 督查督办通知单's."""

    def get_pdf_filename(self, context: dict) -> str:
        return f"{context['notice'].get_level_display()}-{context['task'].number}.pdf"


# Not on the task's page: the number's parts (fixed at registration) and the amber date computed from the deadline.
TASK_HISTORY_HIDDEN = ("year", "sequence", "number", "amber_from")


class TaskHistoryView(SupervisionUserMixin, TemplateView):
    """The task's audit history (django-simple-history): who changed what when, old → new, and why — a returned
    task's new deadline (第四条（四）) shows as 办理时限：12-04 → 12-11. Same permission as the task itself, and the
    same fields as its page (not the internal 临近期限起始日); long texts (督办内容, 工作要求, 办理结果) are said to have
    changed, never quoted. Constant queries whatever the length of the history."""

    template_name = "supervision/task_history.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        task = _visible_task_or_404(self.request, self.kwargs["pk"])
        context["task"] = task
        context["history"] = record_changes(task, exclude=TASK_HISTORY_HIDDEN)
        return context


class AttachmentDownloadView(LoginRequiredMixin, View):
    """A progress report's attachment, to those who may see the task; 404 to everyone else."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = get_object_or_404(
            selectors.ProgressAttachment.objects.select_related("report__task"), pk=pk
        )
        if not can_view(request.user, attachment.report.task):
            raise Http404
        return attachment_response(attachment)


# --- Statistics for the annual assessment (第六条) ---------------------------------------------------------------------


class StatisticsView(SupervisionUserMixin, TemplateView):
    """Per unit and per responsible leader, for the tasks assigned in a year (?year=): the office sees every task, a
    leader the tasks they are responsible for; units' people are refused (the assessment is the office's)."""

    template_name = "supervision/statistics.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (is_office(user) or is_leader(user)):
            raise PermissionDenied(_("督办统计仅对党委办公室和校领导开放。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        from supervision.statistics import statistics

        context = super().get_context_data(**kwargs)
        user = self.request.user
        office = is_office(user)
        tasks = SupervisedTask.objects.all()
        if not office:
            person = person_of(user)
            tasks = tasks.filter(leader_id=person.pk) if person else tasks.none()
        today = timezone.localdate()
        year = parse_id(self.request.GET.get("year")) or today.year
        if not 2000 <= year <= 2100:
            year = today.year
        context["stats"] = statistics(tasks, year=year, today=today)
        context["office"] = office
        context["can_see_stats"] = True
        return context


# --- The ledger in Excel (第四条（一）): export of the list, import of the office's existing ledgers -----------------


class LedgerExportView(SupervisionUserMixin, View):
    """The list page's tasks (same filters, same order, same people) as an Excel ledger (.xlsx)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.utils.http import content_disposition_header

        from supervision.ledger import ledger_workbook

        queryset = selectors.tasks_for_list(request.user).defer(None)
        tasks = list(TaskFilter(request.GET, queryset=queryset, request=request).qs)
        today = timezone.localdate()
        selectors.with_colours(tasks, today, selectors.workday_edge(today))
        urged = selectors.urgings_sent_count([t.pk for t in tasks])
        for task in tasks:
            task.urged = urged.get(task.pk, 0)  # type: ignore[attr-defined]
        title = _("督办事项台账")
        content = ledger_workbook(tasks, title=title, computed_at=timezone.now())
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{title}-{today.isoformat()}.xlsx"
        )
        return response


IMPORT_SESSION_KEY = "supervision_ledger_import"
MAX_IMPORT_BYTES = (
    2 * 1024 * 1024
)  # a ledger of 2,000 rows is some 200 KB; kept in the session between preview and confirm


class LedgerImportView(OfficeRequiredMixin, TemplateView):
    """Import tasks from the office's existing Excel ledgers: upload → preview with each invalid row's errors (by
    row and column) → confirm. Nothing is saved unless every row is valid (one transaction)."""

    template_name = "supervision/ledger_import.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["office"] = True
        context["can_see_stats"] = True
        context["max_mb"] = MAX_IMPORT_BYTES // (1024 * 1024)
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        import base64

        from supervision.ledger import ledger_import

        if request.POST.get("confirm"):
            stored = request.session.get(IMPORT_SESSION_KEY)
            if not stored:
                messages.error(request, _("预览已过期，请重新上传文件。"))
                return HttpResponseRedirect(request.path)
            content = base64.b64decode(stored["content"])
            outcome = ledger_import(content=content, user=request.user, dry_run=False)
            if outcome.ok:
                del request.session[IMPORT_SESSION_KEY]
                messages.success(
                    request,
                    _("已从“%(name)s”导入 %(n)d 项督办事项，均为立项登记状态，按交办年度依次编号。")
                    % {"name": stored["name"], "n": outcome.saved},
                )
                return HttpResponseRedirect(reverse("supervision:task_list"))
            return self.render_to_response(self.get_context_data(outcome=outcome, name=stored["name"]))
        upload = request.FILES.get("file")
        if upload is None:
            return self.render_to_response(
                self.get_context_data(error=_("请选择要导入的 Excel 文件（.xlsx）。"))
            )
        if upload.size and upload.size > MAX_IMPORT_BYTES:
            return self.render_to_response(
                self.get_context_data(
                    error=_("文件超过 %(mb)d MB。") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}
                )
            )
        content = upload.read()
        outcome = ledger_import(content=content, user=request.user, dry_run=True)
        if outcome.ok:
            request.session[IMPORT_SESSION_KEY] = {
                "content": base64.b64encode(content).decode("ascii"),
                "name": upload.name,
            }
        else:
            request.session.pop(IMPORT_SESSION_KEY, None)
        return self.render_to_response(self.get_context_data(outcome=outcome, name=upload.name, preview=True))


# --- Periodic supervision (第三条（一）) ---------------------------------------------------------------------------


def _key_work_open_tasks():
    """The checklist of a round: open tasks of the year's key work (年度工作要点、折子工程) or registered as 定期督查."""
    from django.db.models import Q

    from supervision.models import OPEN_STATES, TaskKind

    return (
        SupervisedTask.objects.filter(state__in=OPEN_STATES)
        .filter(Q(source=TaskSource.WORK_PLAN) | Q(kind=TaskKind.PERIODIC))
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )


class RoundListView(OfficeRequiredMixin, TemplateView):
    """The rounds held, newest first, each with what it found and the tasks it checked."""

    template_name = "supervision/round_list.html"

    def get_context_data(self, **kwargs) -> dict:
        from django.db.models import Prefetch

        from supervision.models import SupervisionRound

        context = super().get_context_data(**kwargs)
        context["rounds"] = list(
            SupervisionRound.objects.select_related("recorded_by").prefetch_related(
                Prefetch(
                    "tasks", queryset=SupervisedTask.objects.select_related("lead_unit").order_by("number")
                )
            )[:40]
        )
        context["office"] = True
        context["can_see_stats"] = True
        return context


class RoundCreateView(OfficeRequiredMixin, FormView):
    """登记定期督查. From the engine's rule (?rule=&period_start=&period_end=) the date stays inside that half year."""

    template_name = "supervision/round_form.html"
    form_class = RoundForm

    def _period(self):
        import datetime as dt

        try:
            start = dt.date.fromisoformat(self.request.GET.get("period_start", ""))
            end = dt.date.fromisoformat(self.request.GET.get("period_end", ""))
        except ValueError:
            return None
        return (start, end) if start <= end else None

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["tasks"] = _key_work_open_tasks()
        kwargs["period"] = self._period()
        return kwargs

    def get_initial(self) -> dict:
        today = timezone.localdate()
        period = self._period()
        day = min(max(today, period[0]), period[1]) if period else today
        half = _("上半年") if day.month <= 6 else _("下半年")
        return {
            "held_on": day,
            "title": _("%(year)s年%(half)s定期督查") % {"year": day.year, "half": half},
            "tasks": list(_key_work_open_tasks().values_list("pk", flat=True)[:200]),
        }

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["office"] = True
        context["can_see_stats"] = True
        return context

    def form_valid(self, form):
        from governance.models import Organization

        university = Organization.objects.filter(
            kind=Organization.Kind.UNIVERSITY, parent__isnull=True
        ).first()
        if university is None:
            form.add_error(None, _("还没有登记学校，请先在后台建立学校的组织。"))
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            record = services.round_record(
                user=self.request.user,
                organization=university,
                held_on=data["held_on"],
                title=data["title"],
                findings=data["findings"],
                tasks=data["tasks"],
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已登记“%(title)s”，核查在办事项 %(n)d 项（第三条（一））。")
            % {"title": record.title, "n": len(data["tasks"])},
        )
        return HttpResponseRedirect(record.get_absolute_url())
