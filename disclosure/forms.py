"""Forms check the shape of what a user typed; the services decide whether it may be done (and sanitize)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import ProseEditorWidget, prose_editor_base_media, prose_editor_js
from js_asset import Media, Script

from disclosure.models import SUGGESTED_TOPICS, Category, Form, Nature, Scope
from governance.forms import DATE_WIDGET, text


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


class RichTextWidget(ProseEditorWidget):
    """The content's textarea, turned into django-prose-editor's editor by disclosure/rich-text.js (all assets from
    /static/, the import map with the page's CSP nonce). Without JavaScript it stays a plain textarea: the sanitizer
    turns plain text into paragraphs (disclosure/sanitize.py)."""

    @property
    def media(self) -> Media:
        return prose_editor_base_media + Media(
            css={"all": ["disclosure/rich-text.css"]},
            js=[
                "disclosure/rich-text-i18n.js",
                prose_editor_js,
                Script("disclosure/rich-text.js", type="module"),
            ],
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = forms.Textarea.get_context(self, name, value, attrs)
        context["widget"]["attrs"]["data-disclosure-rich-text"] = ""
        return context


def topic_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [(str(Category(c).label), [(t, t) for t in topics]) for c, topics in SUGGESTED_TOPICS.items()]


class ItemForm(forms.Form):
    """提出公开事项: 内容（二（一））、范围（三（二））、时限（三（三））、形式（二（二））."""

    title = text(_("公开事项"), 200, required=True, error_messages={"required": _("请填写公开事项。")})
    category = forms.ChoiceField(label=_("公开内容类别（二（一））"), choices=Category.choices)
    topic = text(
        _("具体事项"),
        100,
        help_text=_("可从二（一）所列事项中选择，也可填写其他师生员工普遍关注的事项"),
    )
    content = text(
        _("公开内容"),
        50000,
        required=True,
        rows=10,
        error_messages={"required": _("请填写公开内容。")},
        # For the office's staff, in words (QA walk-through, issue 11: it listed raw HTML tags). What it names is
        # what the toolbar offers and disclosure/sanitize.py keeps.
        help_text=_(
            "可用：标题、加粗、倾斜、下划线、列表、引用、链接、表格，用编辑器上方的按钮设置。"
            "从网页或文档粘贴的内容只保留这些格式；编辑器没有出现时直接输入文字即可，空一行为新段落。"
        ),
    )
    nature = forms.ChoiceField(
        label=_("工作性质（三（三））"), choices=Nature.choices, initial=Nature.TEMPORARY
    )
    scope = forms.ChoiceField(
        label=_("公开范围（三（二））"),
        choices=Scope.choices,
        help_text=_("先党内、后党外（三）：可先在党内公开，再经批准扩大范围"),
    )
    form = forms.ChoiceField(label=_("公开形式（二（二））"), choices=Form.choices, initial=Form.WEBSITE)
    publish_from = forms.DateField(
        label=_("公开开始日期"), widget=DATE_WIDGET, error_messages={"required": _("请填写公开开始日期。")}
    )
    publish_until = forms.DateField(
        label=_("公开截止日期"), widget=DATE_WIDGET, required=False, help_text=_("长期公开则留空")
    )
    follow_up_on = forms.DateField(
        label=_("跟进日期（阶段性工作）"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_(
            "阶段性工作预计完成的日期：过了这一天仍未公开，每日提醒邮件提醒党委办公室一次（三（三））"
        ),
    )
    files = MultipleFileField(label=_("附件"), required=False)
    note = text(_("修改说明"), 2000, rows=2, help_text=_("已批准的事项修改后须重新报批，请说明改了什么"))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].widget.attrs["list"] = "disclosure-topics"
        content = self.fields["content"]
        content.widget = RichTextWidget(attrs=content.widget.attrs)
        if not editing:
            del self.fields["note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("publish_from"), data.get("publish_until")
        if start and end and end < start:
            self.add_error("publish_until", _("公开截止日期不能早于开始日期。"))
        return data


class NoteForm(forms.Form):
    note = text(_("说明"), 2000, rows=2)


class ApproveForm(forms.Form):
    note = text(_("审批意见"), 2000, rows=2)


class ReturnForm(forms.Form):
    reason = text(
        _("退回理由"), 2000, required=True, rows=3, error_messages={"required": _("请写明退回的理由。")}
    )


class CloseFeedbackForm(forms.Form):
    summary = text(
        _("意见处理和落实情况"),
        5000,
        required=True,
        rows=4,
        help_text=_("三（一）4：将处理和落实情况予以公开，查看人在事项页上看到"),
        error_messages={"required": _("请写明意见的处理和落实情况（三（一）4）。")},
    )


class FeedbackForm(forms.Form):
    text = text(
        _("意见建议"), 2000, required=True, rows=3, error_messages={"required": _("请填写意见或建议。")}
    )
    anonymous = forms.BooleanField(label=_("对其他查看人匿名（党委办公室仍能看到您的姓名）"), required=False)


class ResponseForm(forms.Form):
    feedback = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    response = text(_("答复"), 2000, required=True, rows=2, error_messages={"required": _("请填写答复。")})


class AssignForm(forms.Form):
    """三（一）3: hand an opinion to a department. `departments` are (id, name) pairs, read once for the page."""

    feedback = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    department = forms.TypedChoiceField(
        label=_("承办部门"), coerce=int, error_messages={"required": _("请选择承办部门。")}
    )
    note = text(_("说明"), 1000, rows=2)

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "---------"), *departments]


class DepartmentResponseForm(forms.Form):
    feedback = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    response = text(
        _("部门研究落实情况"),
        2000,
        required=True,
        rows=2,
        error_messages={"required": _("请填写部门的研究落实情况。")},
    )


class EscalateForm(forms.Form):
    """四（三）: 涉及重要事项或重大问题的，要及时向上级汇报."""

    feedback = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = text(
        _("上报理由"), 1000, required=True, rows=2, error_messages={"required": _("请写明上报校党委的理由。")}
    )


class WidenRequestForm(forms.Form):
    """三: 先党内、后党外 — the office asks to widen a published item's scope."""

    scope = forms.ChoiceField(label=_("扩大到"), choices=())
    reason = text(
        _("理由"),
        2000,
        required=True,
        rows=2,
        help_text=_("如：党内公开期间无异议，拟向全体教职工和社会公开"),
        error_messages={"required": _("请写明扩大公开范围的理由。")},
    )

    def __init__(self, *args: Any, scopes: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(s, Scope(s).label) for s in scopes]


class WidenDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("approve", _("批准扩大公开范围")), ("refuse", _("不同意"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "approve",
        error_messages={"required": _("请选择批准或不同意。")},
    )
    note = text(_("审批意见"), 2000, rows=2, help_text=_("不同意时请写明理由"))


class PublicFeedbackForm(forms.Form):
    """三（一）3: an opinion on a 社会 item from anyone, without logging in. The name and the contact are the office's
    only. `website` is a honeypot: hidden from people (and from screen readers), filled in by form-filling robots."""

    field_order = ["text", "name", "contact", "website"]

    name = text(
        _("姓名"),
        50,
        required=True,
        error_messages={
            "required": _("请留下您的姓名，党务公开工作办公室答复时称呼您（其他查看人看不到）。")
        },
    )
    contact = text(
        _("电话或电子邮箱"),
        100,
        required=True,
        help_text=_("只有党务公开工作办公室看到，用于答复您；留电子邮箱的，答复会发到邮箱。"),
        error_messages={"required": _("请留下电话或电子邮箱，党务公开工作办公室据此答复您。")},
    )
    website = forms.CharField(label=_("网址（请留空）"), required=False)
    text = text(  # last: the name `text` shadows the helper in the class body
        _("意见建议"), 2000, required=True, rows=4, error_messages={"required": _("请填写意见或建议。")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("website"):
            raise ValidationError(
                _(
                    "提交未被接受：隐藏的“网址”一栏应当留空。如果浏览器自动填写了它，请清空后重新提交，您填写的意见仍在下面。"
                ),
                code="honeypot",
            )
        return data
