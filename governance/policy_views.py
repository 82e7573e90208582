"""The office adopts a policy pack for an organization's team, in the portal: it picks a pack, names its own regulation
(title, 文号, date; the pack's source is kept as 参照), previews the rules adopting it would create, and confirms.

The preview and the confirmation run the same plan (governance.services.policies.policy_plan); the confirmation carries
the digest of the plan it previewed, and a plan that changed meanwhile is shown again instead of applied."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from governance.access import OfficeRequiredMixin
from governance.forms import LATEST_DAY
from governance.models import Organization
from governance.selectors.regulations import PackInfo, policy_packs
from governance.services.policies import (
    OwnRegulation,
    PackPlan,
    PlanChanged,
    PolicyPackError,
    policy_adopt,
    policy_preview,
)

# A regulation of the People's Republic era; the portal knows no day after LATEST_DAY.
EARLIEST_ISSUE = dt.date(1949, 10, 1)


class PolicyAdoptForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("采用单位"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        empty_label=gettext_lazy("请选择组织"),
        help_text=gettext_lazy("规则由该组织的领导班子承担。"),
        error_messages={
            "required": gettext_lazy("请选择采用规则包的组织。"),
            "invalid_choice": gettext_lazy("找不到这个组织（或它没有领导班子），请从列表中选择。"),
        },
    )
    pack = forms.ChoiceField(
        label=gettext_lazy("规则包"),
        error_messages={
            "required": gettext_lazy("请选择规则包。"),
            "invalid_choice": gettext_lazy("没有“%(value)s”这个规则包，请从列表中选择。"),
        },
    )
    include_sub_units = forms.BooleanField(
        label=gettext_lazy("二级单位参照执行"),
        required=False,
        help_text=gettext_lazy(
            "勾选后，下级学院、部门的领导班子也承担这些规则（如 001 第四条“各二级单位参照本制度执行”）。"
        ),
    )
    title = forms.CharField(
        label=gettext_lazy("本单位制度名称"),
        max_length=200,
        help_text=gettext_lazy(
            "本单位印发的制度全称，不加书名号。规则、提醒和看板都引用这个名称；规则包依据的其他单位制度作为“参照”注明。"
        ),
        error_messages={
            "required": gettext_lazy("请填写本单位制度的名称，如《中共江城大学委员会领导班子议事沟通制度》。")
        },
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("如：中共江城大学委员会领导班子议事沟通制度")}
        ),
    )
    document_number = forms.CharField(
        label=gettext_lazy("文号"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：江大党发〔2025〕12号")}),
    )
    issued_on = forms.DateField(
        label=gettext_lazy("印发日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("请按“年-月-日”填写印发日期，如 2025-03-18。")},
    )
    issuing_body = forms.CharField(
        label=gettext_lazy("发文机关"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：中共江城大学委员会")}),
    )

    def __init__(self, *args, packs: list[PackInfo], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.packs = {p.code: p for p in packs}
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        field.queryset = Organization.objects.filter(team__isnull=False, is_active=True).order_by(
            "order", "code"
        )
        pack_field = self.fields["pack"]
        assert isinstance(pack_field, forms.ChoiceField)  # noqa: S101 - narrows the type for mypy
        pack_field.choices = [("", _("请选择规则包"))] + [
            (
                p.code,
                _("%(code)s · %(title)s（%(level)s，%(n)d 条规则）")
                % {"code": p.code, "title": p.title, "level": p.level_label, "n": p.rules},
            )
            for p in packs
        ]

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip().strip("《》〈〉 \u3000")

    def clean_issued_on(self) -> dt.date | None:
        day = self.cleaned_data.get("issued_on")
        if day is not None and not EARLIEST_ISSUE <= day <= LATEST_DAY:
            raise ValidationError(
                _("印发日期应在%(first)s至%(last)s之间。")
                % {
                    "first": date_format(EARLIEST_ISSUE, "DATE_FORMAT"),
                    "last": date_format(LATEST_DAY, "DATE_FORMAT"),
                }
            )
        return day

    def own(self) -> OwnRegulation:
        data = self.cleaned_data
        return OwnRegulation(
            title=data["title"],
            document_number=data.get("document_number", ""),
            issued_on=data.get("issued_on"),
            issuing_body=data.get("issuing_body", ""),
        )


class PolicyAdoptView(OfficeRequiredMixin, FormView):
    """采用制度规则包: pick, name, preview, confirm. The office only (403 for everyone else, by page and by URL)."""

    template_name = "governance/policy_adopt.html"
    form_class = PolicyAdoptForm

    @cached_property
    def packs(self) -> list[PackInfo]:
        # Read once the office's access is checked (OfficeRequiredMixin.dispatch), not for every request.
        return policy_packs()

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["packs"] = self.packs
        return kwargs

    def get_initial(self) -> dict:
        # The overview of an organization without rules links here with ?org=<code>.
        initial = {}
        code = (self.request.GET.get("org") or "")[:100]
        if code:
            if Organization.objects.filter(code=code, team__isnull=False).exists():
                initial["organization"] = code
            else:
                messages.warning(
                    self.request,
                    _("找不到代码为“%(code)s”且有领导班子的组织，请从列表中选择。") % {"code": code},
                )
        pack = self.request.GET.get("pack") or ""
        if pack in {p.code for p in self.packs}:
            initial["pack"] = pack
        return initial

    def get_context_data(self, **kwargs) -> dict:
        ctx = super().get_context_data(**kwargs)
        ctx["packs"] = self.packs
        ctx["overview_url"] = reverse("overview")
        return ctx

    def form_valid(self, form: PolicyAdoptForm):
        data = form.cleaned_data
        organization: Organization = data["organization"]
        arguments = {
            "name": data["pack"],
            "organization": organization,
            "own": form.own(),
            "include_sub_units": data["include_sub_units"],
            "by": self.request.user,
        }
        confirming = self.request.POST.get("action") == "confirm"
        try:
            if confirming:
                expected = self.request.POST.get("digest", "")
                if not expected:
                    # A confirmation always follows a preview: without one, show it first.
                    return self._preview(form, policy_preview(**arguments))
                result = policy_adopt(**arguments, expected=expected)
            else:
                return self._preview(form, policy_preview(**arguments))
        except PlanChanged as changed:
            form.add_error(None, changed.messages[0])
            return self._preview(form, changed.plan)
        except PolicyPackError as exc:
            form.add_error("pack", str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:  # a DomainError: the office's checks, a field refused
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
        regulation = result.regulation
        cited = f"《{regulation.title}》" if regulation is not None else ""
        parts = [
            _("已为%(org)s采用规则包“%(pack)s”，规则依据%(cited)s。")
            % {"org": organization.name, "pack": result.pack.title, "cited": cited}
        ]
        if result.created:
            parts.append(_("新增 %(n)d 条规则。") % {"n": len(result.created)})
        if result.updated:
            parts.append(_("更新 %(n)d 条规则。") % {"n": len(result.updated)})
        if result.unchanged:
            parts.append(_("%(n)d 条规则已存在，未作改动。") % {"n": len(result.unchanged)})
        messages.success(self.request, "".join(parts))
        return HttpResponseRedirect(f"{reverse('overview')}?{urlencode({'org': organization.code})}")

    def _preview(self, form: PolicyAdoptForm, plan: PackPlan):
        data = form.cleaned_data
        issued_on = data.get("issued_on")
        confirm_fields = [
            ("organization", plan.organization.code),
            ("pack", data["pack"]),
            ("title", data["title"]),
            ("document_number", data.get("document_number", "")),
            ("issued_on", issued_on.isoformat() if issued_on else ""),
            ("issuing_body", data.get("issuing_body", "")),
        ]
        if plan.include_sub_units:
            confirm_fields.append(("include_sub_units", "on"))
        return self.render_to_response(
            self.get_context_data(form=form, plan=plan, confirm_fields=confirm_fields)
        )
