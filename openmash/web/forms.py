"""GOV.UK Design System markup for Django forms.

Set ``FORM_RENDERER = "openmash.web.forms.GovukFormRenderer"`` and every ``{{ form }}`` and
``{{ form.field.as_field_group }}`` renders as GOV.UK Frontend components: form groups, labels
or fieldset legends, hints (from ``help_text``), error messages and the right input classes.

Fields and widgets:

- ``GovukDateField`` (widget ``GovukDateWidget``): the GOV.UK date input (day, month, year)
  with the Design System's error messages ("Date of birth must be a real date").
- ``GovukDateTimeField`` (widget ``GovukDateTimeWidget``): a date input plus a 24-hour time.
- ``GovukRadios`` / ``GovukCheckboxes``: ``RadioSelect`` / ``CheckboxSelectMultiple`` with
  optional per-choice hints, inline (radios) and small variants. Plain ``RadioSelect`` and
  ``CheckboxSelectMultiple`` render as GOV.UK radios and checkboxes too.
- ``GovukModelForm``: a ``ModelForm`` whose model date and date-time fields become the two
  fields above.

A form may name the field whose label (or legend) is the page's heading, for one-question pages:
``govuk_page_heading = "outcome"``.

The error summary is ``{% include "web/components/error_summary.html" with form=form %}``;
``web/base.html`` prefixes the page title with "Error: " when the context's ``form`` has errors.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.forms.renderers import DjangoTemplates
from django.forms.utils import pretty_name
from django.utils import timezone
from django.utils.safestring import SafeString

__all__ = [
    "GovukCheckboxes",
    "GovukDateField",
    "GovukDateTimeField",
    "GovukDateTimeWidget",
    "GovukDateWidget",
    "GovukFormRenderer",
    "GovukModelForm",
    "GovukRadios",
    "error_summary_items",
    "field_context",
    "govuk_formfield_callback",
]


class GovukFormRenderer(DjangoTemplates):
    """Renders forms and fields with the GOV.UK templates in ``web/templates/web/forms/``.

    Built on Django's own ``DjangoTemplates`` renderer, so Django's widget templates are found
    without adding ``django.forms`` to ``INSTALLED_APPS``.
    """

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


# -- Date and date-time fields ---------------------------------------------------------------

_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9
_TIME_RE = re.compile(r"^(?P<hour>\d{1,2})(?:[:.]?(?P<minute>\d{2}))$")
_DATE_PARTS = ("day", "month", "year")


def _lower_first(text: str) -> str:
    """'Date of birth' -> 'date of birth', but 'NHS number' stays 'NHS number'."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _join_parts(parts: Sequence[str]) -> str:
    return " and ".join(parts) if len(parts) <= 2 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _as_list(value: object, length: int) -> list[str]:
    if isinstance(value, (list, tuple)):
        values = [("" if v is None else str(v)).strip() for v in value]
    else:
        values = []
    return (values + [""] * length)[:length]


class _NamedErrorsMixin:
    """Gives a field the name its error messages use: ``error_name``, else its label."""

    error_name: str | None
    label: Any

    def _init_error_name(self, error_name: str | None) -> None:
        self.error_name = error_name

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        # Called before cleaning: remember a name for messages if none was given.
        if not self.error_name:
            self.error_name = str(self.label) if self.label else pretty_name(field_name)
        bound: forms.BoundField = super().get_bound_field(form, field_name)  # type: ignore[misc]
        return bound

    @property
    def _name(self) -> str:
        return self.error_name or "Date"

    def _error(self, message: str, code: str, parts: Sequence[str]) -> ValidationError:
        return _validation_error(message, code, parts)


class _GovukDatePartsWidget(forms.MultiWidget):
    """Shared rendering for the date and date-time widgets: GOV.UK date input items."""

    template_name = "web/forms/widgets/date_input.html"
    use_fieldset = True
    widgets_names: list[str]
    part_labels: Mapping[str, str] = {"day": "Day", "month": "Month", "year": "Year"}
    part_widths: Mapping[str, str] = {"day": "2", "month": "2", "year": "4"}

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        error_parts = attrs.pop("_govuk_error_parts", None)
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base_id = widget["attrs"].get("id") or f"id_{name}"
        parts = []
        for part, subwidget in zip(self.widgets_names, widget["subwidgets"], strict=True):
            part = part.lstrip("_")
            errored = error_parts is not None and (not error_parts or part in error_parts)
            classes = ["govuk-input", f"govuk-input--width-{self.part_widths[part]}"]
            if part in _DATE_PARTS:
                classes.insert(1, "govuk-date-input__input")
            if errored:
                classes.append("govuk-input--error")
            parts.append(
                {
                    "part": part,
                    "id": f"{base_id}_{part}",
                    "name": subwidget["name"],
                    "label": self.part_labels[part],
                    "value": subwidget["value"] or "",
                    "classes": " ".join(classes),
                    "inputmode": "text" if part == "time" else "numeric",
                    "disabled": bool(widget["attrs"].get("disabled")),
                }
            )
        widget["id"] = base_id
        widget["parts"] = parts
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else id_


class GovukDateWidget(_GovukDatePartsWidget):
    """Three text inputs: day, month and year (names ``<name>_day`` etc.)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput() for part in _DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]


class GovukDateTimeWidget(_GovukDatePartsWidget):
    """A GOV.UK date input plus a 24-hour time (``HH:MM``) input."""

    part_labels = {"day": "Day", "month": "Month", "year": "Year", "time": "Time (24-hour)"}
    part_widths = {"day": "2", "month": "2", "year": "4", "time": "5"}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        parts = (*_DATE_PARTS, "time")
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput() for part in parts
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return [str(value.day), str(value.month), str(value.year), value.strftime("%H:%M")]
        return ["", "", "", ""]


_DIGITS = re.compile(r"[0-9]+")


def _number(text: str) -> int | None:
    """ASCII digits -> their number; None otherwise. ("²" passes str.isdigit() but not int(),
    and int() refuses strings of more than a few thousand digits.)"""
    if not _DIGITS.fullmatch(text):
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _parse_date(name: str, day: str, month: str, year: str) -> dt.date:
    """Day, month and year as typed -> a date, or a ValidationError worded as GOV.UK advises."""
    missing = [part for part, text in zip(_DATE_PARTS, (day, month, year), strict=True) if not text]
    if missing:
        return _raise(f"{name} must include a {_join_parts(missing)}", "incomplete", missing)
    day_number = _number(day)
    if day_number is None or not 1 <= day_number <= 31:
        return _raise(f"{name} must be a real date", "invalid", ["day"])
    month_number = _number(month)
    if month_number is None:
        month_number = _MONTH_NAMES.get(month.lower().rstrip("."))
    if month_number is None or not 1 <= month_number <= 12:
        return _raise(f"{name} must be a real date", "invalid", ["month"])
    if not _DIGITS.fullmatch(year):
        return _raise(f"{name} must be a real date", "invalid", ["year"])
    if len(year) != 4:
        return _raise("Year must include 4 numbers", "invalid_year", ["year"])
    try:
        return dt.date(int(year), month_number, day_number)
    except ValueError:
        return _raise(f"{name} must be a real date", "invalid", [])


def _validation_error(message: str, code: str, parts: Sequence[str]) -> ValidationError:
    """An error that records which parts of the input it is about (for highlighting and the
    summary's link). Django %-formats messages that have params, so a "%" in a label is escaped.
    """
    return ValidationError(message.replace("%", "%%"), code=code, params={"parts": list(parts)})


def _raise(message: str, code: str, parts: Sequence[str]) -> NoReturn:
    raise _validation_error(message, code, parts)


class GovukDateField(_NamedErrorsMixin, forms.Field):
    """A date entered as day, month and year, cleaned to ``datetime.date``.

    ``error_name`` is the name used in error messages (default: the label, e.g. "Date of
    birth"). ``not_in_future`` / ``not_in_past`` add "must be today or in the past/future".
    """

    widget = GovukDateWidget
    hidden_widget = forms.MultipleHiddenInput
    default_error_messages = {"required": "Enter %(name)s"}

    def __init__(
        self,
        *,
        error_name: str | None = None,
        not_in_future: bool = False,
        not_in_past: bool = False,
        **kwargs: Any,
    ) -> None:
        self._init_error_name(error_name)
        self.not_in_future = not_in_future
        self.not_in_past = not_in_past
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        day, month, year = _as_list(value, 3)
        if not (day or month or year):
            return None
        return _parse_date(self._name, day, month, year)

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            message = self.error_messages["required"] % {"name": _lower_first(self._name)}
            raise self._error(message, "required", [])
        if value is None:
            return
        today = timezone.localdate()
        if self.not_in_future and value > today:
            raise self._error(f"{self._name} must be today or in the past", "future", [])
        if self.not_in_past and value < today:
            raise self._error(f"{self._name} must be today or in the future", "past", [])

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return bool(self.to_python(data) != initial)
        except ValidationError:
            return True


class GovukDateTimeField(_NamedErrorsMixin, forms.Field):
    """A date input plus a 24-hour time, cleaned to an aware ``datetime`` (current time zone)."""

    widget = GovukDateTimeWidget
    hidden_widget = forms.MultipleHiddenInput
    default_error_messages = {"required": "Enter %(name)s"}

    def __init__(self, *, error_name: str | None = None, **kwargs: Any) -> None:
        self._init_error_name(error_name)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.datetime | None:
        if isinstance(value, dt.datetime):
            return value
        day, month, year, time = _as_list(value, 4)
        if not (day or month or year or time):
            return None
        date = _parse_date(self._name, day, month, year) if (day or month or year) else None
        if date is None:
            parts = list(_DATE_PARTS)
            _raise(f"{self._name} must include a date", "incomplete", parts)
        if not time:
            _raise(f"{self._name} must include a time", "incomplete", ["time"])
        match = _TIME_RE.match(time)
        hour, minute = (int(match["hour"]), int(match["minute"])) if match else (-1, -1)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            message = f"{self._name} must include a real time, like 09:30 or 14:30"
            _raise(message, "invalid_time", ["time"])
        assert date is not None
        naive = dt.datetime(date.year, date.month, date.day, hour, minute)
        return timezone.make_aware(naive) if timezone.is_naive(naive) else naive

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            message = self.error_messages["required"] % {"name": _lower_first(self._name)}
            raise self._error(message, "required", [])

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return bool(self.to_python(data) != initial)
        except ValidationError:
            return True


# -- Radios and checkboxes -------------------------------------------------------------------


class GovukRadios(forms.RadioSelect):
    """GOV.UK radios. ``hints`` maps a choice's value to its hint; ``inline``; ``small``."""

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        choices: Any = (),
        *,
        hints: Mapping[Any, str] | None = None,
        inline: bool = False,
        small: bool = False,
    ) -> None:
        super().__init__(attrs, choices)
        self.hints = {str(k): v for k, v in (hints or {}).items()}
        self.modifiers = [
            m for m, on in (("govuk-radios--inline", inline), ("govuk-radios--small", small)) if on
        ]


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes. ``hints`` maps a choice's value to its hint; ``small``."""

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        choices: Any = (),
        *,
        hints: Mapping[Any, str] | None = None,
        small: bool = False,
    ) -> None:
        super().__init__(attrs, choices)
        self.hints = {str(k): v for k, v in (hints or {}).items()}
        self.modifiers = ["govuk-checkboxes--small"] if small else []


# -- Model forms -----------------------------------------------------------------------------


def govuk_formfield_callback(db_field: models.Field[Any, Any], **kwargs: Any) -> Any:
    """Model date/date-time fields become GOV.UK date inputs; everything else as Django does."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", GovukDateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", GovukDateField)
    return db_field.formfield(**kwargs)


class GovukModelFormMetaclass(ModelFormMetaclass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(govuk_formfield_callback)
        return super().__new__(mcs, name, bases, attrs)


if TYPE_CHECKING:
    # django-stubs makes ModelForm generic in its model; at run time it is not subscriptable.
    _ModelForm = forms.ModelForm[Any]
else:
    _ModelForm = forms.ModelForm


class GovukModelForm(_ModelForm, metaclass=GovukModelFormMetaclass):
    """A ModelForm whose model date and date-time fields use the GOV.UK date input."""


# -- Rendering helpers (used by the templates in web/templates/web/forms/) --------------------

_KINDS: list[tuple[type[forms.Widget], str]] = [
    (GovukDateTimeWidget, "datetime"),
    (GovukDateWidget, "date"),
    (forms.CheckboxSelectMultiple, "checkboxes"),  # a subclass of RadioSelect: test it first
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.PasswordInput, "password"),
    (forms.FileInput, "file"),
]


def field_kind(bf: forms.BoundField) -> str:
    widget = bf.field.widget
    if widget.is_hidden:
        return "hidden"
    for widget_class, kind in _KINDS:
        if isinstance(widget, widget_class):
            return kind
    return "input"


def _error_parts(bf: forms.BoundField) -> list[str]:
    """Which parts of a date input an error is about ([] = the whole input)."""
    parts: list[str] = []
    for error in bf.errors.as_data():
        params = error.params if isinstance(error.params, dict) else {}
        error_parts = params.get("parts") or []
        if not error_parts:
            return []
        parts.extend(p for p in error_parts if p not in parts)
    return parts


def _classes(*names: str | None) -> str:
    return " ".join(n for n in names if n)


def _render_input(bf: forms.BoundField, kind: str, attrs: dict[str, Any]) -> SafeString:
    widget = bf.field.widget
    extra = widget.attrs.get("class")
    error = bool(bf.errors)
    if kind == "select":
        attrs["class"] = _classes("govuk-select", extra, "govuk-select--error" if error else "")
    elif kind == "textarea":
        attrs["class"] = _classes("govuk-textarea", extra, "govuk-textarea--error" if error else "")
        # GOV.UK's textarea is 5 rows; Django's default (10) gives way, an explicit value doesn't.
        if str(widget.attrs.get("rows", "10")) == "10":
            attrs["rows"] = 5
    elif kind == "file":
        attrs["class"] = _classes("govuk-file-upload", extra, "govuk-file-upload--error" * error)
    else:
        attrs["class"] = _classes("govuk-input", extra, "govuk-input--error" if error else "")
        if kind == "password":
            attrs["class"] += " govuk-password-input__input govuk-js-password-input-input"
            attrs.setdefault("spellcheck", "false")
            attrs.setdefault("autocapitalize", "none")
            attrs.setdefault("autocomplete", widget.attrs.get("autocomplete", "current-password"))
        if isinstance(widget, forms.NumberInput):
            # GOV.UK advises text inputs with a numeric keyboard rather than type="number".
            widget = copy.copy(widget)
            widget.input_type = "text"
            widget.attrs = {
                k: v for k, v in widget.attrs.items() if k not in {"min", "max", "step"}
            }
            attrs.setdefault("inputmode", "numeric")
        if isinstance(widget, forms.EmailInput):
            attrs.setdefault("spellcheck", "false")
            attrs.setdefault("autocomplete", widget.attrs.get("autocomplete", "email"))
    return _render_widget(bf, widget, attrs)


def _render_widget(bf: forms.BoundField, widget: forms.Widget, attrs: dict[str, Any]) -> SafeString:
    final = bf.build_widget_attrs(attrs, widget)
    final.pop("required", None)  # GOV.UK: no browser validation; the server says what's wrong
    final.pop("aria-invalid", None)  # the error message is linked with aria-describedby
    if bf.auto_id and "id" not in widget.attrs:
        final.setdefault("id", bf.auto_id)
    html = widget.render(bf.html_name, bf.value(), attrs=final, renderer=bf.form.renderer)
    return SafeString(html)


def _choice_items(bf: forms.BoundField, field_id: str) -> list[dict[str, Any]]:
    widget = bf.field.widget
    hints: Mapping[str, str] = getattr(widget, "hints", {})
    items = []
    subwidgets = [sub for sub in bf.subwidgets if sub.data["value"] not in (None, "")]
    for index, sub in enumerate(subwidgets):
        # A blank choice ("---------") is never right as a radio or checkbox: leave it out.
        value = str(sub.data["value"])
        item_id = field_id if index == 0 else f"{field_id}-{index + 1}"
        hint = hints.get(value, "")
        items.append(
            {
                "id": item_id,
                "name": sub.data["name"],
                "value": value,
                "label": sub.data["label"],
                "checked": bool(sub.data["selected"]),
                "hint": hint,
                "hint_id": f"{item_id}-item-hint" if hint else "",
                "disabled": bool(bf.field.disabled),
            }
        )
    return items


def field_context(bf: forms.BoundField) -> dict[str, Any]:
    """Everything ``web/forms/field.html`` needs to render one field the GOV.UK way."""
    kind = field_kind(bf)
    field_id = bf.auto_id or bf.html_name
    form = bf.form
    is_heading = getattr(form, "govuk_page_heading", None) == bf.name
    size = "l" if is_heading else "s"
    hint_id = f"{field_id}-hint" if bf.help_text else ""
    error_id = f"{field_id}-error" if bf.errors else ""
    described_by = _classes(hint_id, error_id)
    uses_fieldset = kind in {"radios", "checkboxes", "date", "datetime"}
    ctx: dict[str, Any] = {
        "kind": kind,
        "id": field_id,
        "label": bf.label,
        "is_heading": is_heading,
        "label_classes": f"govuk-label govuk-label--{size}",
        "legend_classes": f"govuk-fieldset__legend govuk-fieldset__legend--{size}",
        "hint": bf.help_text,
        "hint_id": hint_id,
        "errors": list(bf.errors),
        "error_id": error_id,
        "described_by": described_by,
        "fieldset": uses_fieldset,
        "group_classes": _classes(
            "govuk-form-group",
            "govuk-form-group--error" if bf.errors else "",
            "govuk-password-input" if kind == "password" else "",
        ),
    }
    if kind in {"radios", "checkboxes"}:
        widget = bf.field.widget
        ctx["items"] = _choice_items(bf, field_id)
        ctx["container_classes"] = _classes(
            f"govuk-{kind}", *getattr(widget, "modifiers", []), widget.attrs.get("class")
        )
    elif kind in {"date", "datetime"}:
        attrs: dict[str, Any] = {"_govuk_error_parts": _error_parts(bf) if bf.errors else None}
        ctx["widget"] = _render_widget(bf, bf.field.widget, attrs)
    elif kind == "checkbox":
        widget = bf.field.widget
        assert isinstance(widget, forms.CheckboxInput)
        ctx["checked"] = bool(widget.check_test(bf.value()))
        ctx["name"] = bf.html_name
        ctx["disabled"] = bool(bf.field.disabled)
        ctx["described_by"] = described_by
    elif kind != "hidden":
        attrs = {"aria-describedby": described_by} if described_by else {}
        ctx["widget"] = _render_input(bf, kind, attrs)
    return ctx


def error_summary_items(form: forms.BaseForm) -> list[dict[str, str]]:
    """The error summary's list: each error with the id of the input it should move focus to.

    Non-field errors come first, without links. A date error links to the first input it is
    about (the day input when it is about the whole date).
    """
    items = [{"text": str(error), "href": ""} for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        bf = form[name]
        field_id = bf.auto_id or bf.html_name
        kind = field_kind(bf)
        for error in errors.as_data():
            target = field_id
            if kind in {"date", "datetime"}:
                params = error.params if isinstance(error.params, dict) else {}
                parts = params.get("parts") or ["day"]
                target = f"{field_id}_{parts[0]}"
            for message in error.messages:
                href = "" if kind == "hidden" else f"#{target}"
                items.append({"text": message, "href": href})
    return items
