"""Template helpers for the GOV.UK form templates: ``{% load govuk_forms %}``."""

from typing import Any

from django import forms, template

from openmash.web.forms import error_summary_items, field_context

register = template.Library()


@register.filter
def govuk_field(bound_field: forms.BoundField) -> dict[str, Any]:
    """``{% with g=field|govuk_field %}``: the rendering context for one field."""
    return field_context(bound_field)


@register.simple_tag
def govuk_error_summary_items(form: forms.BaseForm | None) -> list[dict[str, str]]:
    """``{% govuk_error_summary_items form as items %}``: errors with the links to their inputs."""
    if form is None or not getattr(form, "errors", None):
        return []
    own = getattr(form, "error_summary", None)  # a form may word its own summary items
    return own() if callable(own) else error_summary_items(form)
