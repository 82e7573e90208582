"""Forms check the shape of what a user typed; the services decide whether it may be done."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communication.models import (
    AGENDA_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    DUTIES_MAX,
    MAX_HANDOVERS,
    MINUTES_MAX,
    NOTES_MAX,
    REASON_MAX,
    AbsenceKind,
    Meeting,
    MeetingKind,
    OpinionStance,
    TalkChannel,
    TalkTopic,
)
from communication.services import CHANGE_REASON_MAX
from communication.services.meetings import MAX_ATTACHMENTS_AT_ONCE
from governance.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    parse_id,
    record_date,
    text,
)
from governance.models import Area, Organization, Person

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _OfferedChoices(ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        if getattr(field, "offered", None) is not None:
            self.queryset = field.offered


class OfferMixin:
    """A person field that shows the people `offer()` gives while accepting any person: who may be named in a record
    is the service's to decide, so a forged id is refused by it with the person's name (issue 7, hole 1), not as
    an anonymous "invalid choice"."""

    iterator = _OfferedChoices
    offered = None

    def offer(self, people) -> None:
        self.offered = people
        self.widget.choices = self.choices

    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


class PersonChoiceField(OfferMixin, BoundedModelChoiceField):
    pass


class PeopleChoiceField(OfferMixin, BoundedModelMultipleChoiceField):
    pass


class RecordForPeriodMixin:
    """A record form opened from a rule's "去登记" link for one period (governance.selectors.obligations.RecordPeriod):
    its date must be inside that period, and the form says which period and rule the record is for."""

    record_period = None
    record_notice = ""

    def set_record_period(self, period, rule) -> None:
        self.record_period = period
        self.record_notice = period.notice(rule) if period is not None else ""

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day is not None and self.record_period is not None and day not in self.record_period:
            raise ValidationError(self.record_period.refusal())
        return day


# --- Correcting a record (issue 8) -------------------------------------------------------------------------------


def change_reason_field(label, *, required_message) -> forms.CharField:
    """Why a record is corrected or deleted: required, kept in its audit history (修改记录)."""
    return text(
        label,
        CHANGE_REASON_MAX,
        required=True,
        rows=2,
        error_messages={"required": required_message},
        help_text=_("记入修改记录，有权查看这条记录的人都能看到，如“谈话日期登记错误”。"),
    )


class EditingMixin:
    """A record form opened to correct a record: the same fields, and why (修改原因) at the end."""

    def add_change_reason(self, editing: bool) -> None:
        self.editing = editing
        if editing:
            self.fields["change_reason"] = change_reason_field(  # type: ignore[attr-defined]
                _("修改原因"), required_message=_("请填写修改原因。")
            )


class RecordDeleteForm(forms.Form):
    change_reason = change_reason_field(_("删除原因"), required_message=_("请填写删除原因。"))


# --- Talks --------------------------------------------------------------------------------------------------------


class TalkForm(EditingMixin, RecordForPeriodMixin, forms.Form):
    """What a leader fills in to record their own talk: they are a participant automatically."""

    participants = PeopleChoiceField(
        label=_("谈话对象"),
        queryset=Person.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择谈话对象。")},
    )
    date = record_date(_("谈话日期"))
    formal = forms.BooleanField(
        label=_("正式谈心"), required=False, help_text=_("如党委书记与院长的正式谈心（000 四（五））")
    )
    # What the rules count (the packs' comments give each reading): 谈心谈话 for heart-to-heart talks (000 四（二）
    # 四（五） 四（六）, 001 三（六）), either kind for 沟通 (001 三（一）).
    channel = forms.ChoiceField(
        label=_("谈话类别"),
        choices=TalkChannel.choices,
        initial=TalkChannel.TALK,
        widget=forms.RadioSelect,
        help_text=_(
            "“谈心谈话”指谈心交心、交流思想，计入谈心谈话、正式谈心和“四必谈”的要求；"
            "“沟通交流”指日常工作沟通，只计入经常沟通的要求（如党委书记与校长每周沟通）。"
            "谈心谈话同时计入沟通的要求。"
        ),
    )
    topics = forms.MultipleChoiceField(
        label=_("谈话内容"), choices=TalkTopic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = text(_("谈话要点"), NOTES_MAX, rows=5, help_text=_("仅谈话双方和党委办公室可见。"))
    meeting = forms.ModelChoiceField(
        label=_("计入民主生活会“四必谈”"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("民主生活会前的谈心谈话可关联该会议（000 四（二））"),
    )

    def __init__(
        self,
        *args,
        people=None,
        meetings=None,
        participants_label=None,
        period=None,
        rule=None,
        editing=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.set_record_period(period, rule)
        if people is not None:
            self.fields["participants"].offer(people)
        if meetings is not None:
            self.fields["meeting"].queryset = meetings
        if participants_label:
            self.fields["participants"].label = participants_label
        self.fields["date"].initial = timezone.localdate()
        self.add_change_reason(editing)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("formal") and cleaned.get("channel") == TalkChannel.COMMUNICATION:
            # 000 四（五）: a formal talk is a heart-to-heart talk; as a working exchange it would count for neither.
            self.add_error("channel", _("正式谈心属于谈心谈话，请将类别选为“谈心谈话”。"))
        return cleaned


# --- Meetings -----------------------------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one file input (each checked like a single upload: not empty, a name); at most
    MAX_ATTACHMENTS_AT_ONCE."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS_AT_ONCE:
            raise ValidationError(_("一次最多上传 %(count)d 个附件。") % {"count": MAX_ATTACHMENTS_AT_ONCE})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class PeopleCheckboxes(forms.CheckboxSelectMultiple):
    """A person picker as checkboxes; the meeting form's template groups them (the team first, then 其他人员)."""

    def __init__(self, attrs=None):
        super().__init__({"class": "form-check-input", **(attrs or {})})


class MeetingForm(EditingMixin, RecordForPeriodMixin, forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    organization = forms.ModelChoiceField(
        label=_("召开单位"), queryset=Organization.objects.filter(is_active=True)
    )
    title = text(_("会议名称"), 200, required=True)
    date = record_date(_("会议日期"))
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("结束时间"), required=False, widget=TIME_WIDGET)
    place = text(_("地点"), 100)
    chair = PersonChoiceField(label=_("主持人"), queryset=Person.objects.all())
    attendees = PeopleChoiceField(
        label=_("参会人员"), queryset=Person.objects.all(), required=False, widget=PeopleCheckboxes
    )
    observers = PeopleChoiceField(
        label=_("列席人员"),
        queryset=Person.objects.all(),
        required=False,
        widget=PeopleCheckboxes,
        help_text=_("如党委办公室主任、校长办公室主任（001 一（二））"),
    )
    agenda = text(_("议题"), AGENDA_MAX, rows=4)
    minutes = text(_("会议纪要"), MINUTES_MAX, rows=6)
    confidential = forms.BooleanField(
        label=_("保密"), required=False, initial=True, help_text=_("沟通交流会议实行保密制度（001 三（八））")
    )
    topics_announced_on = record_date(
        _("议题预告日期"), required=False, help_text=_("务虚会必填（000 四（三））")
    )
    preparation_start = record_date(
        _("谈心谈话开始日期"), required=False, help_text=_("民主生活会必填（000 四（二））")
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_(
            "可一次选择多个文件（最多 %(count)d 个，每个不超过 50 MB）。"
            "保密会议的附件仅参会、列席人员和党委办公室可见（001 三（八））。"
        )
        % {"count": MAX_ATTACHMENTS_AT_ONCE},
    )

    def __init__(self, *args, people=None, period=None, rule=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_record_period(period, rule)
        if people is not None:
            for name in ("chair", "attendees", "observers"):
                self.fields[name].queryset = people
        self.add_change_reason(editing)

    def current(self, name: str):
        """What the form shows for a field now: the submitted value when bound, else the initial one (the view
        groups the attendees by the team of this organization on this date)."""
        field = self.fields[name]
        if self.is_bound:
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        else:
            value = self.get_initial_for_field(field, name)
        try:
            return field.clean(value) if value not in (None, "") else None
        except ValidationError:
            return None

    def values_as_initial(self) -> dict:
        """The submitted values as an unbound form's initial data (files excepted): to show the form again after a
        button that only changes what it shows, such as 按班子成员填入, without error messages."""
        return {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
            if name != "attachments"
        }

    def split_people(self, name: str, team_ids: list[int]) -> tuple[list, list]:
        """The field's checkboxes as (the team's, in team order; everyone else's, by name)."""
        order = {pk: i for i, pk in enumerate(team_ids)}
        team, others = [], []
        for index, widget in enumerate(self[name]):
            widget.order = index
            pk = parse_id(str(widget.data["value"]))
            (team if pk in order else others).append(widget)
        team.sort(key=lambda w: order[parse_id(str(w.data["value"]))])
        return team, others


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    name = text(_("附件名称"), 200, help_text=_("留空则用文件名"))


# --- Agenda items -------------------------------------------------------------------------------------------------


class AgendaItemForm(forms.Form):
    title = text(_("议题名称"), 200, required=True)
    organization = forms.ModelChoiceField(
        label=_("所属单位"), queryset=Organization.objects.filter(is_active=True)
    )
    meeting_kind = forms.ChoiceField(
        label=_("拟提交会议"),
        choices=[
            (k, label)
            for k, label in MeetingKind.choices
            if k
            in (
                MeetingKind.PARTY_COMMITTEE,
                MeetingKind.JOINT,
                MeetingKind.ADMINISTRATIVE,
                MeetingKind.SECRETARY_SPECIAL,
                MeetingKind.COORDINATION,
            )
        ],
    )
    proposer = PersonChoiceField(label=_("提出人"), queryset=Person.objects.all())
    description = text(_("议题说明"), DESCRIPTION_MAX, rows=4)
    is_major = forms.BooleanField(label=_("属于“三重一大”事项"), required=False)
    areas = BoundedModelMultipleChoiceField(
        label=_("涉及分管领域"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("“三重一大”议题须听取分管这些领域的班子成员的意见（001 三（三））"),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["proposer"].queryset = people


class OpinionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("意见"),
        choices=[(v, label) for v, label in OpinionStance.choices if v != OpinionStance.PENDING],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择意见：同意、不同意或提出意见建议。")},
    )
    comment = text(_("具体意见"), COMMENT_MAX, rows=2, help_text=_("不同意或提出意见建议时必填"))


class ResolveForm(forms.Form):
    resolution_note = text(
        _("取得共识情况"),
        COMMENT_MAX,
        required=True,
        rows=2,
        error_messages={"required": _("请填写进一步交换意见、取得共识的情况。")},
    )


class ScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("上会会议"),
        queryset=Meeting.objects.none(),
        error_messages={"required": _("请选择会议。")},
        empty_label=_("请选择会议"),
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["meeting"].queryset = meetings


class ConsulteeForm(forms.Form):
    """补充征求: offers the organization's leadership team today (less the proposer and those already asked); the
    service refuses anyone else by name (000 四（一）、001 三（三））."""

    person = PersonChoiceField(
        label=_("补充征求对象"),
        queryset=Person.objects.all(),
        empty_label=_("请选择班子成员"),
        error_messages={"required": _("请选择补充征求意见的班子成员。")},
    )
    reason = text(_("说明"), 200)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].offer(people)


class DecideForm(forms.Form):
    decision = text(_("会议决定"), DESCRIPTION_MAX, rows=2)


# --- Absences -----------------------------------------------------------------------------------------------------


class AbsenceForm(EditingMixin, forms.Form):
    person = PersonChoiceField(label=_("外出人员"), queryset=Person.objects.all())
    kind = forms.ChoiceField(label=_("外出类型"), choices=AbsenceKind.choices, initial=AbsenceKind.TRIP)
    start = record_date(_("开始日期"))
    end = record_date(_("结束日期"))
    destination = text(_("地点"), 200)
    reason = text(_("事由"), REASON_MAX, rows=2)
    notified = PeopleChoiceField(
        label=_("已通报"),
        queryset=Person.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("党政主要领导外出须相互通报（001 三（七））"),
    )
    leave_approved_by = PersonChoiceField(
        label=_("准假领导"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("班子其他成员外出须向主要领导请假（001 三（七））"),
    )

    def __init__(self, *args, people=None, self_person=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            for name in ("person", "notified", "leave_approved_by"):
                self.fields[name].offer(people)
        if self_person is not None:
            # A leader reports their own absence.
            self.fields["person"].queryset = Person.objects.filter(pk=self_person.pk)
            self.fields["person"].initial = self_person.pk
            self.fields["person"].widget = forms.HiddenInput()
        self.add_change_reason(editing)

    def clean(self):
        cleaned = super().clean()
        start: dt.date | None = cleaned.get("start")
        end: dt.date | None = cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return cleaned


class HandoverForm(forms.Form):
    covering = PersonChoiceField(label=_("代管人"), queryset=Person.objects.all(), required=False)
    duties = text(_("代管工作"), DUTIES_MAX, rows=2)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["covering"].offer(people)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("covering") and not (cleaned.get("duties") or "").strip():
            self.add_error("duties", _("请填写代管的工作。"))
        if (cleaned.get("duties") or "").strip() and not cleaned.get("covering"):
            self.add_error("covering", _("请选择代管人。"))
        return cleaned


class BoundedFormSet(forms.BaseFormSet):
    """A formset that builds at most `absolute_max` forms and says so in Chinese (issue 7, hole 3: a forged
    TOTAL_FORMS=1010 built a thousand forms, 10 s and 3.5 MB a request)."""

    default_error_messages = {
        "missing_management_form": _("表单数据不完整，请刷新页面后重新填写。"),
        "too_many_forms": _("最多填写 %(num)d 项。"),
        "too_few_forms": _("至少填写 %(num)d 项。"),
    }


HandoverFormSet = forms.formset_factory(
    HandoverForm,
    formset=BoundedFormSet,
    extra=2,
    max_num=MAX_HANDOVERS,
    absolute_max=MAX_HANDOVERS,
    validate_max=True,
)
