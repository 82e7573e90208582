"""Forms check the shape of what a user typed; the services decide whether it may be done."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    text,
)
from governance.forms import record_date as day
from governance.models import Organization, Person, Position
from supervision.models import ApprovalChannel, NoticeMethod, ReportCycle, TaskKind, TaskSource, UrgingChannel

UNIT_KINDS = (Organization.Kind.COLLEGE, Organization.Kind.DEPARTMENT)


def units() -> Any:
    return Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("order", "code")


def university_leaders() -> Any:
    """校领导: people on the university's leadership team today (第一条（一）: 分管校领导)."""
    today = timezone.localdate()
    return Person.objects.filter(
        pk__in=Position.objects.active_on(today)
        .filter(team__organization__kind=Organization.Kind.UNIVERSITY)
        .values("person_id")
    ).order_by("name")


class PersonChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


class TaskForm(forms.Form):
    """立项登记 (第四条（一）): 立项编号 is given on saving; 交办时间、承办单位、督办事项、办理时限、工作要求."""

    title = text(
        _("督办事项"), 200, required=True, help_text=_("一事一项（第四条（一）），写明要办成的一件事")
    )
    source = forms.ChoiceField(label=_("事项来源（第二条）"), choices=TaskSource.choices)
    source_detail = text(_("来源说明"), 200, help_text=_("如文件名称与文号、批示领导、会议名称"))
    meeting = BoundedModelChoiceField(label=_("来源会议"), queryset=None, required=False)
    agenda_item = BoundedModelChoiceField(label=_("来源议题"), queryset=None, required=False)
    kind = forms.ChoiceField(
        label=_("督查形式（第三条）"), choices=TaskKind.choices, initial=TaskKind.SPECIAL
    )
    assigned_on = day(_("交办时间"))
    lead_unit = BoundedModelChoiceField(
        label=_("主办单位"), queryset=None, error_messages={"required": _("请选择主办单位。")}
    )
    co_units = BoundedModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("有协办单位或联合督查的事项，须经分管校领导审定后正式立项（第四条（一））"),
    )
    leader = PersonChoiceField(
        label=_("分管校领导"), queryset=None, error_messages={"required": _("请选择分管校领导。")}
    )
    matter = text(_("督办内容"), 5000, required=True, rows=4)
    requirements = text(_("工作要求"), 5000, rows=3)
    deadline = day(_("办理时限"))
    report_cycle = forms.TypedChoiceField(
        label=_("进展反馈周期（第五条）"),
        choices=[("", _("不需定期反馈")), *ReportCycle.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, meetings: Any, agenda_items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.date:%Y-%m-%d} {m.title}"
        self.fields["agenda_item"].queryset = agenda_items
        self.fields["lead_unit"].queryset = units()
        self.fields["co_units"].queryset = units()
        self.fields["leader"].queryset = university_leaders()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assigned, deadline = data.get("assigned_on"), data.get("deadline")
        if assigned and deadline and deadline < assigned:
            self.add_error("deadline", _("办理时限不能早于交办时间。"))
        item, meeting = data.get("agenda_item"), data.get("meeting")
        if item is not None and meeting is not None and item.meeting_id != meeting.pk:
            self.add_error("agenda_item", _("所选议题不是来源会议的议题，请重新选择（第二条（三））。"))
        lead = data.get("lead_unit")
        if lead and lead in (data.get("co_units") or []):
            self.add_error("co_units", _("主办单位不必再列为协办单位。"))
        return data


class NoteForm(forms.Form):
    note = text(_("说明"), 2000, rows=2)


def leader_channel(label: Any, *, help_text: Any, required: Any) -> forms.ChoiceField:
    """How the responsible leader gave the decision the office enters on their behalf (书面、电话、当面): the approval
    of a registration (第四条（一）), the answer to an extension request (第五条)."""
    return forms.ChoiceField(
        label=label,
        choices=[("", "---------"), *ApprovalChannel.choices],
        help_text=help_text,
        error_messages={"required": required},
    )


class OnBehalfApprovalForm(forms.Form):
    """第四条（一）: the office enters the approval the responsible leader gave outside the portal, saying how."""

    channel = leader_channel(
        _("分管校领导审定的方式"),
        help_text=_(
            "立项须经分管校领导审定（第四条（一））。分管校领导可在本系统中审定；已在立项审批表上签字、或电话、当面同意的，"
            "由党委办公室代为登记，事项页面和办理记录会写明由谁代为登记、以何种方式审定。"
        ),
        required=_("请选择分管校领导审定的方式：书面、电话或当面。"),
    )
    note = text(_("说明"), 2000, rows=2, help_text=_("如审批表的日期、文号"))


class NotifyForm(forms.Form):
    method = forms.ChoiceField(
        label=_("通知方式"),
        choices=NoticeMethod.choices,
        initial=NoticeMethod.NOTICE,
        help_text=_(
            "会议已明确承办单位和办结时限的事项、领导批示和交办的事项，可电话通知或口头督办（第四条（二））"
        ),
    )
    note = text(_("说明"), 2000, rows=2)


class SubmitForm(forms.Form):
    result = text(
        _("办理结果"), 5000, required=True, rows=4, error_messages={"required": _("请填写办理结果。")}
    )


class ReturnForm(forms.Form):
    reason = text(
        _("退回理由"),
        2000,
        required=True,
        rows=3,
        error_messages={"required": _("请写明退回的理由：哪些应办理而未办理或未办理好。")},
    )
    new_deadline = day(_("新的办理时限"), error_messages={"required": _("请给出新的办理时限。")})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    unit = BoundedModelChoiceField(label=_("报送单位"), queryset=None, empty_label=None)
    text = text(
        _("进展情况"), 5000, required=True, rows=4, error_messages={"required": _("请填写进展情况。")}
    )
    files = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args: Any, unit_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organization.objects.filter(pk__in=unit_ids).order_by("order", "code")


class UrgingForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("催办方式"), choices=[c for c in UrgingChannel.choices if c[0] != UrgingChannel.EMAIL]
    )
    urged_on = day(_("催办日期"), initial=timezone.localdate)
    note = text(_("催办情况"), 2000, rows=2)


class ExtensionRequestForm(forms.Form):
    """第五条: the lead unit asks its responsible leader for a later deadline."""

    reason = text(
        _("延期理由"),
        2000,
        required=True,
        rows=3,
        help_text=_("确因特殊情况不能按时、按要求办结的，写明情况（第五条）"),
        error_messages={"required": _("请写明不能按时办结的特殊情况（第五条）。")},
    )
    proposed_deadline = day(_("申请延至"), error_messages={"required": _("请填写申请延至的日期。")})


class ExtensionDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("approve", _("同意延期")), ("refuse", _("不同意延期"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "approve",
        error_messages={"required": _("请选择同意或不同意延期。")},
    )
    note = text(_("审批意见"), 2000, rows=2, help_text=_("不同意时请写明理由"))


class OnBehalfExtensionDecisionForm(ExtensionDecisionForm):
    """第五条: the office enters the answer the responsible leader gave outside the portal, saying how."""

    channel = leader_channel(
        _("分管校领导答复的方式"),
        help_text=_(
            "分管校领导已在申请上签字、或电话、当面答复的，由党委办公室代为登记；事项页面、办理记录和审计历史会写明"
            "由谁代为登记、以何种方式答复。"
        ),
        required=_("请选择分管校领导答复的方式：书面、电话或当面。"),
    )
    field_order = ["decision", "channel", "note"]


class WarningForm(forms.Form):
    note = text(
        _("督办要求"),
        2000,
        rows=2,
        help_text=_("印在预警单上，如“请于3个工作日内书面说明进展”"),
    )


class RoundForm(forms.Form):
    """定期督查 (第三条（一）): the date, the findings and the checklist of open key-work tasks checked."""

    held_on = day(_("督查日期"))
    title = text(
        _("名称"),
        100,
        required=True,
        error_messages={"required": _("请填写名称，如“2026年上半年定期督查”。")},
    )
    findings = text(
        _("督查情况"),
        5000,
        required=True,
        rows=5,
        help_text=_("年度重点工作的完成情况、发现的问题和整改要求"),
        error_messages={"required": _("请写明督查情况：年度重点工作的完成情况、发现的问题和要求。")},
    )
    tasks = BoundedModelMultipleChoiceField(
        label=_("核查的在办事项"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("年度工作要点、折子工程和定期督查的在办事项；勾选本次核查过的"),
    )

    def __init__(self, *args: Any, tasks: Any, period: tuple[Any, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].label_from_instance = lambda t: (
            f"{t.number} {t.title}（{t.lead_unit.name}，{t.deadline:%Y-%m-%d}）"
        )
        self.period = period

    def clean_held_on(self) -> Any:
        value = self.cleaned_data["held_on"]
        if self.period and not (self.period[0] <= value <= self.period[1]):
            raise ValidationError(
                _("督查日期须在 %(start)s 至 %(end)s 之间（补登该半年的定期督查）。")
                % {"start": f"{self.period[0]:%Y-%m-%d}", "end": f"{self.period[1]:%Y-%m-%d}"}
            )
        return value
