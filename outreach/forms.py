"""Forms of outreach: the quick activity form (a leader on a phone: kind, date, unit, a few words — under a minute),
its correction (with the reason), and the office's 联系点 assignment. Forms check the input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.forms import (
    DATE_WIDGET,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    text,
)
from governance.forms import record_date as day
from governance.models import Organization, Person, Semester
from outreach.models import (
    ANSWER_MAX,
    ESCALATION_MEETING_CHOICES,
    ISSUE_TEXT_MAX,
    NOTE_MAX,
    ActivityKind,
    ContactKind,
    FeedbackChannel,
    Festival,
    LinkedContact,
    ReceptionSession,
)

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("一次最多上传 %(count)d 个附件。") % {"count": MAX_FILES})
        single = super().clean
        return [single(f, initial) for f in files]


class PersonChoices(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


class UnitChoices(BoundedModelMultipleChoiceField):
    """Units by their full name (党委办公室, not 党办), as every other page names an Organization (its str); a phone
    wraps a long name under its checkbox rather than shortening it."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ContactChoice(BoundedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.leader.name}）"


class ActivityForm(forms.Form):
    """The quick form. A leader's own name and linked units come preselected; the fields for 听课, 节日走访 and the
    non-party contacts only matter for those kinds (the page shows them for that kind)."""

    kind = forms.ChoiceField(label=_("活动类别"), choices=ActivityKind.choices)
    date = day(_("日期"))
    leaders = PersonChoices(
        label=_("参加的班子成员"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    units = UnitChoices(
        label=_("基层单位"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = forms.IntegerField(label=_("参加人数"), required=False, min_value=0, max_value=100_000)
    title = text(_("主题"), 200, help_text=_("可不填，默认为活动类别"))
    notes = text(_("活动情况/听课记录"), NOTE_MAX, rows=3)
    # 听课 (004 第五条4)
    course = text(_("课程"), 100)
    teacher = text(_("授课教师"), 50)
    class_hours = forms.DecimalField(
        label=_("学时"), required=False, min_value=0, max_value=12, max_digits=4, decimal_places=1
    )
    # 节日走访 (003 二3)
    festival = forms.ChoiceField(label=_("节日"), choices=[("", "—"), *Festival.choices], required=False)
    # 与党外人士谈心, 参加民主党派活动 (004 第五条5)
    contact = ContactChoice(
        label=_("党外人士或民主党派组织"), queryset=LinkedContact.objects.none(), required=False
    )
    files = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args: Any, leaders: Any, units: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = leaders
        self.fields["units"].queryset = units
        self.fields["contact"].queryset = contacts

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ActivityKind.CLASS_OBSERVATION:
            if not cleaned.get("class_hours"):
                self.add_error("class_hours", _("听课须填写学时（004 第五条4：每学期不少于4学时）。"))
            if not (cleaned.get("course") or "").strip():
                self.add_error("course", _("听课须填写课程名称（004 第五条4：做好听课记录）。"))
        if kind == ActivityKind.FESTIVAL_VISIT and not cleaned.get("festival"):
            self.add_error("festival", _("节日走访须选择节日（003 二3：元旦、春节、重阳节）。"))
        if kind in (ActivityKind.NON_PARTY_TALK, ActivityKind.NON_PARTY_EVENT) and not cleaned.get("contact"):
            self.add_error("contact", _("请选择联系的党外人士或民主党派组织（004 第五条5）。"))
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["leaders"] = list(data["leaders"])
        data["units"] = list(data.get("units") or [])
        data["files"] = data.get("files") or []
        data["contact"] = data.get("contact") or None
        data.pop("reason", None)
        return data


class ActivityEditForm(ActivityForm):
    reason = text(
        _("修改原因"),
        200,
        required=True,
        error_messages={"required": _("请写明修改原因，它会记入修改记录。")},
    )


class ContactForm(forms.Form):
    """The office assigns a 联系点 (003 二2; 004 第五条5)."""

    leader = BoundedModelChoiceField(label=_("班子成员"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("联系对象类别"), choices=ContactKind.choices)
    organization = BoundedModelChoiceField(
        label=_("联系的基层单位"), queryset=Organization.objects.none(), required=False
    )
    name = text(_("党外人士或民主党派组织"), 100, help_text=_("联系党外人士或民主党派组织时填写"))
    start = day(_("联系开始"))
    end = day(_("联系结束"), required=False)
    note = text(_("备注"), 200)

    def __init__(self, *args: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["organization"].queryset = (
            Organization.objects.filter(is_active=True)
            .exclude(kind=Organization.Kind.UNIVERSITY)
            .order_by("order", "code")
        )


class EndContactForm(forms.Form):
    end = day(_("联系结束日期"))


# --- 师生诉求 ---------------------------------------------------------------------------------------------------------


text_field = text  # the issue forms have a field named "text"


class LeaderChoice(BoundedModelChoiceField):
    """A university leader, with the areas they are in charge of (分管) so the raiser can tell whom to write to."""

    areas: dict[int, str] = {}  # noqa: RUF012 - set per form by the view (selectors.university_leaders)

    def label_from_instance(self, obj: Any) -> str:
        areas = self.areas.get(obj.pk, "")
        return (
            gettext("%(name)s（分管%(areas)s）") % {"name": obj.name, "areas": areas} if areas else obj.name
        )


class MailboxForm(forms.Form):
    """意见箱 (004 第五条7): a title, what happened, and optionally the leader in charge."""

    title = text_field(
        _("反映的事项"), 200, required=True, error_messages={"required": _("请写明反映的事项。")}
    )
    text = text_field(
        _("具体情况"),
        ISSUE_TEXT_MAX,
        required=True,
        rows=6,
        error_messages={"required": _("请写明具体情况。")},
        help_text=_("只收纯文字；请勿填写他人的隐私信息。"),
    )
    owner = LeaderChoice(
        label=_("希望由哪位校领导处理"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("不确定，由党委办公室按分工分送"),
    )

    def __init__(self, *args: Any, leaders: Any, areas: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = leaders
        self.fields["owner"].areas = areas


class IssueRecordForm(forms.Form):
    """An issue raised at a forum, a visit or by a unit (004 第六条3), recorded by the office or the leader."""

    title = text_field(_("诉求事项"), 200, required=True, error_messages={"required": _("请写明诉求事项。")})
    text = text_field(
        _("具体内容"),
        ISSUE_TEXT_MAX,
        required=True,
        rows=4,
        error_messages={"required": _("请写明具体内容。")},
    )
    raiser = text_field(_("反映人"), 100, required=True, help_text=_("如：文学院2023级学生代表、理学院教工"))
    unit = BoundedModelChoiceField(label=_("反映单位"), queryset=Organization.objects.none(), required=False)
    owner = LeaderChoice(label=_("承办校领导"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args: Any, leaders: Any, areas: dict[int, str], units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = leaders
        self.fields["owner"].areas = areas
        self.fields["unit"].queryset = units


class AnswerForm(forms.Form):
    answer = text_field(
        _("答复"), ANSWER_MAX, required=True, rows=4, error_messages={"required": _("请填写答复内容。")}
    )


class TransferForm(forms.Form):
    to_person = LeaderChoice(label=_("移交给校领导"), queryset=Person.objects.none(), required=False)
    to_unit = BoundedModelChoiceField(
        label=_("或移交给职能部门"), queryset=Organization.objects.none(), required=False
    )
    note = text_field(_("移交理由"), 500, required=True, error_messages={"required": _("请写明移交的理由。")})

    def __init__(self, *args: Any, leaders: Any, areas: dict[int, str], units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = leaders
        self.fields["to_person"].areas = areas
        self.fields["to_unit"].queryset = units


class AssignForm(forms.Form):
    owner = LeaderChoice(label=_("分送给校领导"), queryset=Person.objects.none())

    def __init__(self, *args: Any, leaders: Any, areas: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = leaders
        self.fields["owner"].areas = areas


class FeedbackForm(forms.Form):
    channel = forms.ChoiceField(label=_("反馈方式"), choices=FeedbackChannel.choices)
    note = text_field(_("反馈情况"), 500, help_text=_("如：已电话告知学生代表答复内容"))


class EscalateForm(forms.Form):
    """提请上会 (004 第六条4: 提请学校党委会或校长办公会研究解决)."""

    meeting_kind = forms.ChoiceField(
        label=_("提请的会议"), choices=ESCALATION_MEETING_CHOICES, initial="administrative"
    )
    note = text_field(_("提请理由"), 500, rows=2, help_text=_("如：多个学院反映的共性难点问题"))


class AskEscalationForm(forms.Form):
    """The leader in charge asks the office to escalate (004 第六条4) or to have it supervised (督查督办 第二条（四））."""

    target = forms.ChoiceField(
        label=_("请党委办公室"),
        choices=[("agenda", _("列为议题，提请学校会议研究")), ("task", _("转为督办事项"))],
        initial="agenda",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择提请上会或转为督办。")},
    )
    meeting_kind = forms.ChoiceField(
        label=_("提请的会议（列为议题时）"),
        choices=ESCALATION_MEETING_CHOICES,
        initial="administrative",
        required=False,
    )
    reason = text_field(
        _("提请理由"),
        500,
        required=True,
        rows=2,
        help_text=_("如：涉及多个学院的共性难点问题，需要学校层面研究解决"),
        error_messages={"required": _("请写明提请理由。")},
    )

    def __init__(self, *args: Any, available: tuple[str, ...] = ("agenda", "task"), **kwargs: Any) -> None:
        """Only what is still to ask: not what the office has done or the leader has already asked for."""
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.choices = [(value, label) for value, label in field.choices if value in available]
        if available:
            self.initial.setdefault("target", available[0])


def _ask_label(ask: Any) -> str:
    """请党委办公室提请上会（校长办公会） · 2026-11-20"""
    meeting = f"（{ask.get_meeting_kind_display()}）" if ask.meeting_kind else ""
    return f"{ask.get_kind_display()}{meeting} · {timezone.localtime(ask.at):%Y-%m-%d}"


class DeclineAskForm(forms.Form):
    """The office answers a leader's pending request without acting on it, with its reason: listing an agenda item is
    the office's decision (001 三（三）), registering a task the 督查小组's (督查督办 第四条（一））."""

    ask_id = forms.TypedChoiceField(
        label=_("答复的提请"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择要答复的提请。"),
            "invalid_choice": _("这项提请已办理或已答复，请刷新页面查看。"),
        },
    )
    reason = text(
        _("不予提请的理由"),
        500,
        required=True,
        rows=2,
        help_text=_("如：可由职能部门直接办理；不属于党委会议事范围"),
        error_messages={"required": _("请写明不予提请的理由。")},
    )

    def __init__(self, *args: Any, asks: Any = (), **kwargs: Any) -> None:
        """The choices are the requests still pending; the only one is preselected."""
        super().__init__(*args, **kwargs)
        self.fields["ask_id"].choices = [(ask.pk, _ask_label(ask)) for ask in asks]
        if len(asks) == 1:
            self.initial.setdefault("ask_id", asks[0].pk)


class TaskForm(forms.Form):
    """转为督办事项 (003 督查督办 第二条（四）; 第四条（一）立项登记: 承办单位、督办事项、办理时限、工作要求)."""

    lead_unit = BoundedModelChoiceField(
        label=_("主办单位"),
        queryset=Organization.objects.none(),
        error_messages={"required": _("请选择主办单位。")},
    )
    deadline = forms.DateField(
        label=_("办理时限"), widget=DATE_WIDGET, error_messages={"required": _("请填写办理时限。")}
    )
    matter = text(
        _("督办事项"), 5000, required=True, rows=3, error_messages={"required": _("请写明督办事项。")}
    )
    requirements = text(_("工作要求"), 5000, rows=2)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units


# --- 校领导接待日 ---------------------------------------------------------------------------------------------------


class SessionChoice(BoundedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.date:%Y-%m-%d} {obj.leader.name}"


class RotaGenerateForm(forms.Form):
    semester = BoundedModelChoiceField(label=_("学期"), queryset=Semester.objects.none())

    def __init__(self, *args: Any, semesters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["semester"].queryset = semesters


class SwapForm(forms.Form):
    first = SessionChoice(label=_("接待日"), queryset=ReceptionSession.objects.none())
    second = SessionChoice(label=_("与之交换的接待日"), queryset=ReceptionSession.objects.none())

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = sessions
        self.fields["second"].queryset = sessions


class SessionRecordForm(forms.Form):
    visitors = forms.IntegerField(label=_("来访人数"), required=False, min_value=0, max_value=10_000)
    summary = text_field(_("接待情况"), NOTE_MAX, rows=4, help_text=_("来访师生反映的问题和处理意见"))
