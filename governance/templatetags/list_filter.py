"""The list pages' filter form (templates/includes/list_filter.html) without crispy's per-field machinery.

Crispy renders every field through its bootstrap5 field template (a dozen includes and filters per field, ~0.5 ms
each; 3.5 ms for a list's seven filters — a third of a unit's list at 20,000 supervised tasks). A filter form holds
plain inputs and selects, so the include writes the same markup itself and asks here only for the widget with the
classes crispy would give it: the widget's own name (`textinput`, `select`, …), `form-control` or `form-select`,
and `is-invalid` with `aria-describedby` naming the error block when the value did not validate. Checkboxes, radio
buttons and file inputs still go through crispy (`plain_filter_field` says which)."""

from __future__ import annotations

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_NOT_PLAIN = (
    forms.CheckboxInput,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


@register.filter
def plain_filter_field(field: BoundField) -> bool:
    """Whether the field is a plain input or select, which `filter_widget` renders as crispy would."""
    return not isinstance(field.field.widget, _NOT_PLAIN)


@register.filter
def filter_widget(field: BoundField) -> SafeString:
    """The field's widget with crispy's bootstrap5 classes (crispy_forms_field.CrispyFieldNode, bootstrap5/field.html),
    without changing the widget (a form's widgets are shared by every request)."""
    widget = field.field.widget
    own = widget.__class__.__name__.lower()
    classes = widget.attrs.get("class", "").split()
    if own not in classes:
        classes.append(own)
    classes.append("form-select" if isinstance(widget, forms.Select) else "form-control")
    attrs = {}
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    attrs["class"] = " ".join(classes)
    return field.as_widget(attrs=attrs)
