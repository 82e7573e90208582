"""Pages of the disclosure family: the list (the office's register with filters; everyone else's "disclosed to
me"), proposing and editing an item, an item's page with its workflow and feedback, the public page and its Atom
feed (no login), attachments and the audit history.

Thin: a form checks the input, one service does the work, a refusal comes back as a form error with the input kept.
Who sees what is decided by disclosure.permissions only."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from disclosure import selectors, services
from disclosure.filters import ArchiveFilter, ItemFilter
from disclosure.forms import (
    ApproveForm,
    AssignForm,
    CloseFeedbackForm,
    DepartmentResponseForm,
    EscalateForm,
    FeedbackForm,
    ItemForm,
    NoteForm,
    PublicFeedbackForm,
    ResponseForm,
    ReturnForm,
    WidenDecisionForm,
    WidenRequestForm,
    topic_choices,
)
from disclosure.models import (
    EDITABLE_STATES,
    SHOWN_STATES,
    WIDENING_STATES,
    DisclosureItem,
    Feedback,
    ItemAction,
    ItemAttachment,
    ItemState,
    wider_scopes,
)
from disclosure.permissions import (
    accepts_public_feedback,
    can_see_timeline,
    can_view_item,
    is_committee_member,
)
from governance.access import OfficeRequiredMixin
from governance.filters import FilteredListView
from governance.forms import apply_errors
from governance.models import Organization
from governance.roles import is_office
from governance.services.freshness import cached_fragment
from governance.storage import attachment_response
from governance.views import FamilyRegulationsView

PAGE_SIZE = 50


class IndexView(FamilyRegulationsView):
    """The regulation the family is built on (003 党务公开), section by section."""

    family = "disclosure"
    template_name = "disclosure/index.html"


# --- Lists ----------------------------------------------------------------------------------------------------------


class ItemListView(LoginRequiredMixin, FilteredListView):
    """The office: every item, any state (the register). Everyone else: what is disclosed to them now."""

    template_name = "disclosure/item_list.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE
    filterset_class = ItemFilter

    def get_queryset(self):
        return selectors.items_for_list(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if not is_office(self.request.user):
            filterset.form.fields.pop("state", None)  # everyone else sees published items only
        return filterset

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["office"] = is_office(self.request.user)
        context["committee"] = is_committee_member(self.request.user)
        return context


class RegisterExportView(OfficeRequiredMixin, View):
    """The register (四（四）) as an Excel workbook: the list page's items, same filters, same order."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.utils.http import content_disposition_header

        from disclosure.register import register_workbook

        queryset = selectors.items_for_list(request.user).select_related("approved_by")
        items = list(ItemFilter(request.GET, queryset=queryset, request=request).qs)
        content = register_workbook(items, computed_at=timezone.now())
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"{_('党务公开登记簿')}-{timezone.localdate().isoformat()}.xlsx"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response


class ArchiveView(FilteredListView):
    """四（四）资料归档: the items archived after publication and the versions a re-disclosure replaced (三（一）4),
    searchable by year, category, scope and text — each viewer sees what was disclosed to them (anyone: 社会; the
    office: everything, also the items past their window). The office exports the same list as the register."""

    template_name = "disclosure/archive.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE
    filterset_class = ArchiveFilter

    def get_queryset(self):
        return selectors.archive_items(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["items"] = list(context["items"])
        selectors.mark_newer_versions(context["items"])
        context["office"] = is_office(self.request.user)
        return context


class ArchiveExportView(OfficeRequiredMixin, View):
    """The archive's register (四（四）) as an Excel workbook: the archive page's items, same filters, same order."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.utils.http import content_disposition_header

        from disclosure.register import register_workbook

        queryset = selectors.archive_register_items(request.user)
        items = list(ArchiveFilter(request.GET, queryset=queryset, request=request).qs)
        content = register_workbook(items, computed_at=timezone.now())
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"{_('党务公开档案登记簿')}-{timezone.localdate().isoformat()}.xlsx"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response


class PublicListView(TemplateView):
    """社会: the items disclosed to everyone, without logging in (三（二）), newest first."""

    template_name = "disclosure/public_list.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        # The same for every visitor: cached by the data's version and the day (a window opens or closes at
        # midnight); any change to an item, an opinion or a position computes it afresh (governance freshness).
        context["body"] = cached_fragment(
            "disclosure-public",
            today,
            render=lambda: render_to_string(
                "disclosure/includes/public_body.html",
                {
                    "items": list(selectors.public_page_items(today=today)[:100]),
                    "group": selectors.leading_group(today=today),
                },
            ),
        )
        return context


class PublicFeed(Feed):
    """The public items as an Atom feed (django.contrib.syndication)."""

    feed_type = Atom1Feed
    title = gettext_lazy("党务公开")
    subtitle = gettext_lazy("面向社会公开的党务公开事项（三（二））")
    link = reverse_lazy("disclosure:public")

    def items(self):
        return selectors.public_page_items()[:50]

    def item_title(self, item: DisclosureItem) -> str:
        return item.title

    def item_description(self, item: DisclosureItem) -> str:
        return str(item.content_html)

    def item_pubdate(self, item: DisclosureItem):
        return item.published_at

    def item_updateddate(self, item: DisclosureItem):
        return item.updated_at

    def item_categories(self, item: DisclosureItem):
        return [str(item.get_category_display())]


# --- Proposing and editing ----------------------------------------------------------------------------------------


class ItemCreateView(OfficeRequiredMixin, FormView):
    """提出公开事项 (三（一）1)."""

    template_name = "disclosure/item_form.html"
    form_class = ItemForm

    def get_initial(self) -> dict:
        return {"publish_from": timezone.localdate()}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["topics"] = topic_choices()
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        files = data.pop("files")
        try:
            item = services.item_propose(user=self.request.user, files=files, **data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记拟公开事项，核对后报校党委审批（三（一）1）。"))
        return HttpResponseRedirect(item.get_absolute_url())


class ItemUpdateView(OfficeRequiredMixin, FormView):
    """The office corrects an item before publication; an approved item changed in substance goes back for approval."""

    template_name = "disclosure/item_form.html"
    form_class = ItemForm

    @property
    def item(self) -> DisclosureItem:
        # Looked up after the office check (OfficeRequiredMixin.dispatch): others learn nothing of which ids exist.
        if not hasattr(self, "_item"):
            self._item = get_object_or_404(DisclosureItem, pk=self.kwargs["pk"])
        return self._item

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["editing"] = True
        return kwargs

    def get_initial(self) -> dict:
        item = self.item
        return {name: getattr(item, name) for name in services.items.ITEM_FIELDS}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        context["topics"] = topic_choices()
        return context

    def get(self, request, *args, **kwargs):
        if self.item.state not in EDITABLE_STATES:
            messages.error(
                request, _("“%(state)s”的事项不能修改。") % {"state": self.item.get_state_display()}
            )
            return HttpResponseRedirect(self.item.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        files = data.pop("files")
        note = data.pop("note", "")
        was = self.item.state
        try:
            item = services.item_update(
                item=self.item, user=self.request.user, files=files, note=note, **data
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        if was == ItemState.APPROVED and item.state == ItemState.PENDING:
            messages.warning(
                self.request, _("已修改。该事项已批准过，修改了内容、范围或时限，须重新报校党委审批。")
            )
        else:
            messages.success(self.request, _("已修改。"))
        return HttpResponseRedirect(item.get_absolute_url())


# --- An item's page and its actions --------------------------------------------------------------------------------

ACTION_FORMS: dict[str, Any] = {
    ItemAction.SUBMIT: NoteForm,
    ItemAction.APPROVE: ApproveForm,
    ItemAction.RETURN: ReturnForm,
    ItemAction.PUBLISH: NoteForm,
    ItemAction.CLOSE_FEEDBACK: CloseFeedbackForm,
    ItemAction.ARCHIVE: NoteForm,
    ItemAction.WIDEN_REQUEST: WidenRequestForm,
    ItemAction.WIDEN_APPROVE: WidenDecisionForm,
    ItemAction.REVISE: NoteForm,
}


def _action_form(action: str, item: DisclosureItem, data: Any = None) -> Any:
    kwargs: dict[str, Any] = {"prefix": action}
    if action == ItemAction.WIDEN_REQUEST:
        kwargs["scopes"] = wider_scopes(item.scope)
    return ACTION_FORMS[action](data, **kwargs)


FEEDBACK = "feedback"
PUBLIC_FEEDBACK = "opinion"
# The session key that carries the thank-you (reference number, how the answer comes) to the page after the redirect.
PUBLIC_THANKS = "disclosure_public_feedback"


def available_actions(user: Any, item: DisclosureItem) -> list[str]:
    """The workflow steps the user may take on the item now (the forms the page shows)."""
    office = is_office(user)
    state = item.state
    found: list[str] = []
    if office and state in (ItemState.PROPOSED, ItemState.RETURNED):
        found.append(ItemAction.SUBMIT)
    if state == ItemState.PENDING and is_committee_member(user):
        found += [ItemAction.APPROVE, ItemAction.RETURN]
    if office and state == ItemState.APPROVED:
        found.append(ItemAction.PUBLISH)
    if office and state == ItemState.PUBLISHED:
        found.append(ItemAction.CLOSE_FEEDBACK)
    if office and state == ItemState.RESPONDED:
        found.append(ItemAction.ARCHIVE)
    if office and state in WIDENING_STATES and not item.widen_to and wider_scopes(item.scope):
        found.append(ItemAction.WIDEN_REQUEST)
    if item.widen_to and state in WIDENING_STATES and is_committee_member(user):
        found.append(ItemAction.WIDEN_APPROVE)
    if office and state in SHOWN_STATES and not item.revisions.exists():
        found.append(ItemAction.REVISE)  # 三（一）4 再公开
    return found


def _visible_item_or_404(request: HttpRequest, pk: int) -> DisclosureItem:
    try:
        item = selectors.item_for_detail(pk, request.user)
    except DisclosureItem.DoesNotExist:
        raise Http404(_("没有这个公开事项。")) from None
    if not can_view_item(request.user, item):
        raise Http404(_("没有这个公开事项。"))  # outside the scope: not even that it exists
    return item


class ItemDetailView(TemplateView):
    """Anyone in the item's scope (anonymous visitors for 社会); the office and approvers also see the workflow."""

    template_name = "disclosure/item_detail.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.item = _visible_item_or_404(request, kwargs["pk"])
        except Http404:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        item, user = self.item, self.request.user
        office = is_office(user)
        bound = kwargs.get("bound_forms", {})
        context["item"] = item
        context["office"] = office
        context["actions"] = [
            {
                "name": a,
                "label": _("审批扩大公开范围") if a == ItemAction.WIDEN_APPROVE else ItemAction(a).label,
                "form": bound.get(a) or _action_form(a, item),
                "open": a in bound,
            }
            for a in available_actions(user, item)
        ]
        context["can_edit"] = office and item.state in EDITABLE_STATES
        context["revision"] = selectors.revision_of(item, user)
        newer = item.revisions.order_by("-version").first()
        context["newer"] = newer if newer is not None and can_view_item(user, newer) else None
        context["timeline"] = selectors.timeline(item) if can_see_timeline(user) else None
        context["feedback_open"] = item.state == ItemState.PUBLISHED
        context["feedback_form"] = (
            (bound.get(FEEDBACK) or FeedbackForm(prefix=FEEDBACK))
            if item.state == ItemState.PUBLISHED and user.is_authenticated and not office
            else None
        )
        context["public_feedback_form"] = (
            (bound.get(PUBLIC_FEEDBACK) or PublicFeedbackForm(prefix=PUBLIC_FEEDBACK))
            if not user.is_authenticated and accepts_public_feedback(item)
            else None
        )
        context["public_thanks"] = _public_thanks(self.request, item)
        context["response_errors"] = bound.get("response")
        context["step_errors"] = bound.get("step")
        context["can_respond"] = office and item.state in (ItemState.PUBLISHED, ItemState.RESPONDED)
        context["departments"] = selectors.departments() if context["can_respond"] else []
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item, user = self.item, request.user
        action = request.POST.get("action", "")
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if action == FEEDBACK:
            return self._feedback(request, item)
        if action == "response":
            return self._response(request, item)
        if action in FEEDBACK_STEPS:
            return self._feedback_step(request, item, action)
        if action not in available_actions(user, item):
            if action in ACTION_FORMS:
                messages.error(
                    request,
                    _("“%(state)s”的事项，您不能%(action)s。")
                    % {"state": item.get_state_display(), "action": ItemAction(action).label},
                )
                return HttpResponseRedirect(item.get_absolute_url())
            raise Http404
        form = _action_form(action, item, request.POST)
        if action == ItemAction.REVISE and form.is_valid():
            try:
                revision = services.item_revise(item=item, user=user, note=form.cleaned_data["note"])
            except ValidationError as error:
                apply_errors(form, error)
                return self.render_to_response(self.get_context_data(bound_forms={action: form}))
            messages.success(
                request,
                _("已起草第 %(n)d 版：修改后报校党委审批，公开后上一版归档（三（一）4）。")
                % {"n": revision.version},
            )
            return HttpResponseRedirect(reverse("disclosure:item_update", args=[revision.pk]))
        if form.is_valid():
            try:
                message = self._run(action, item, form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, message)
                if can_view_item(user, DisclosureItem.objects.get(pk=item.pk)):
                    return HttpResponseRedirect(item.get_absolute_url())
                return HttpResponseRedirect(reverse("disclosure:item_list"))
        return self.render_to_response(self.get_context_data(bound_forms={action: form}))

    def _run(self, action: str, item: DisclosureItem, data: dict) -> str:
        user = self.request.user
        if action == ItemAction.SUBMIT:
            services.item_submit(item=item, user=user, note=data["note"])
            return _("已报校党委审批，校党委成员会收到邮件（三（一）1）。")
        if action == ItemAction.APPROVE:
            services.item_approve(item=item, user=user, note=data["note"])
            return _("已批准公开，党务公开工作办公室会按时限公开（三（一）2）。")
        if action == ItemAction.RETURN:
            services.item_return(item=item, user=user, reason=data["reason"])
            return _("已退回党务公开工作办公室，理由已记录。")
        if action == ItemAction.PUBLISH:
            services.item_publish(item=item, user=user, note=data["note"])
            return _("已公开，公开范围内的人员可以查看并提出意见（三（一）2、3）。")
        if action == ItemAction.CLOSE_FEEDBACK:
            services.item_close_feedback(item=item, user=user, summary=data["summary"])
            return _("已公开意见的处理和落实情况（三（一）4）。")
        if action == ItemAction.WIDEN_REQUEST:
            services.scope_widen_request(item=item, user=user, scope=data["scope"], reason=data["reason"])
            return _("已申请扩大公开范围，等待校党委批准（先党内、后党外）。")
        if action == ItemAction.WIDEN_APPROVE:
            services.scope_widen_decide(item=item, user=user, approve=data["decision"], note=data["note"])
            return _("已批准扩大公开范围。") if data["decision"] else _("已答复不同意扩大公开范围。")
        services.item_archive(item=item, user=user, note=data["note"])
        return _("已归档（四（四））。")

    def _feedback(self, request: HttpRequest, item: DisclosureItem) -> HttpResponse:
        form = FeedbackForm(request.POST, prefix=FEEDBACK)
        if form.is_valid():
            try:
                services.feedback_leave(
                    item=item,
                    user=request.user,
                    text=form.cleaned_data["text"],
                    anonymous=form.cleaned_data["anonymous"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("意见已提交，党务公开工作办公室答复后您会收到邮件。"))
                return HttpResponseRedirect(item.get_absolute_url() + "#feedback")
        return self.render_to_response(self.get_context_data(bound_forms={FEEDBACK: form}))

    def _feedback_step(self, request: HttpRequest, item: DisclosureItem, action: str) -> HttpResponse:
        """The office's handling of an opinion: to a department, the department's answer, up to the committee."""
        if not is_office(request.user):
            raise Http404
        form = _feedback_step_form(action, request.POST)
        if form.is_valid():
            feedback = Feedback.objects.filter(pk=form.cleaned_data["feedback"], item=item).first()
            if feedback is None:
                raise Http404
            try:
                message = _feedback_step_run(action, feedback, request.user, form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(f"{item.get_absolute_url()}#feedback-{feedback.pk}")
        step = {"id": request.POST.get("feedback"), "action": action, "form": form}
        return self.render_to_response(self.get_context_data(bound_forms={"step": step}))

    def _response(self, request: HttpRequest, item: DisclosureItem) -> HttpResponse:
        if not is_office(request.user):
            raise Http404
        form = ResponseForm(request.POST)
        feedback = None
        if form.is_valid():
            feedback = Feedback.objects.filter(pk=form.cleaned_data["feedback"], item=item).first()
            if feedback is None:
                raise Http404
            try:
                services.feedback_respond(
                    feedback=feedback, user=request.user, response=form.cleaned_data["response"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("已答复，提出人会收到邮件。"))
                return HttpResponseRedirect(item.get_absolute_url() + "#feedback")
        return self.render_to_response(
            self.get_context_data(
                bound_forms={"response": {"id": request.POST.get("feedback"), "form": form}}
            )
        )


def _public_thanks(request: HttpRequest, item: DisclosureItem) -> dict | None:
    """The thank-you for the opinion just left on this item (once: taken from the session)."""
    thanks = request.session.get(PUBLIC_THANKS) if hasattr(request, "session") else None
    if not thanks or thanks.get("item") != item.pk:
        return None
    del request.session[PUBLIC_THANKS]
    return thanks


class PublicFeedbackView(ItemDetailView):
    """三（一）3 with 三（二）社会: anyone leaves an opinion on a 社会 item while it collects opinions, without logging in
    (name and contact for the office only). Any other item — another scope, not yet or no longer collecting opinions,
    out of its window — is a 404. CSRF applies as everywhere; the rate is limited per client address (the service)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            item = selectors.item_for_detail(kwargs["pk"], request.user)
        except DisclosureItem.DoesNotExist:
            raise Http404(_("没有这个公开事项。")) from None
        if not accepts_public_feedback(item):
            raise Http404(_("没有这个公开事项。"))
        self.item = item
        return View.dispatch(self, request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.item.get_absolute_url() + "#feedback")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.item
        if request.user.is_authenticated:
            messages.info(request, _("您已登录，请用事项页上的意见表提出意见。"))
            return HttpResponseRedirect(item.get_absolute_url() + "#feedback")
        form = PublicFeedbackForm(request.POST, prefix=PUBLIC_FEEDBACK)
        if form.is_valid():
            try:
                feedback = services.feedback_leave_public(
                    item=item,
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    text=form.cleaned_data["text"],
                    client_ip=get_client_ip_address(request),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                request.session[PUBLIC_THANKS] = {
                    "item": item.pk,
                    "reference": feedback.reference,
                    "contact": feedback.contact,
                    "by_email": feedback.contact_is_email,
                }
                return HttpResponseRedirect(item.get_absolute_url() + "#feedback-thanks")
        return self.render_to_response(self.get_context_data(bound_forms={PUBLIC_FEEDBACK: form}))


FEEDBACK_STEPS = ("assign", "department_response", "escalate")


def _feedback_step_form(action: str, data: Any) -> Any:
    if action == "assign":
        return AssignForm(data, departments=selectors.departments())
    if action == "department_response":
        return DepartmentResponseForm(data)
    return EscalateForm(data)


def _feedback_step_run(action: str, feedback: Feedback, user: Any, data: dict) -> str:
    if action == "assign":
        department = Organization.objects.get(pk=data["department"])
        services.feedback_assign(feedback=feedback, user=user, department=department, note=data["note"])
        return _("已分派给%(department)s研究落实（三（一）3）。") % {"department": department.name}
    if action == "department_response":
        services.feedback_record_department_response(feedback=feedback, user=user, response=data["response"])
        return _("已登记部门的研究落实情况，提出人会收到邮件。")
    services.feedback_escalate(feedback=feedback, user=user, reason=data["reason"])
    return _("已上报校党委，校党委成员会收到邮件并在首页看到（四（三））。")


class ItemHistoryView(LoginRequiredMixin, TemplateView):
    """The item's audit history: who changed what when, old → new, and why (selectors.item_history) — a widened
    scope shows as 公开范围：全体党员 → 社会, a moved window as 公开开始日期：2026-11-20 → 2026-11-27; the rich-text
    公开内容 is said to have changed, never quoted. The office and the committee members who may see the item
    (can_see_timeline); a history copies every field, so it is never shown more widely, and a committee member does
    not see in it what only the office sees on the item's page. Constant queries whatever the length of the history."""

    template_name = "disclosure/item_history.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        item = _visible_item_or_404(self.request, self.kwargs["pk"])
        if not can_see_timeline(self.request.user):
            raise Http404(_("没有这个公开事项。"))
        context["item"] = item
        context["history"] = selectors.item_history(item, self.request.user)
        return context


class AttachmentDownloadView(View):
    """An item's attachment, to those who may see the item (anyone for 社会 items); 404 to everyone else."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = get_object_or_404(ItemAttachment.objects.select_related("item"), pk=pk)
        if not can_view_item(request.user, attachment.item):
            raise Http404
        return attachment_response(attachment)
