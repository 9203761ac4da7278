import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory

from openmash.web.forms import (
    GovukDateField,
    GovukDateTimeField,
    GovukFormRenderer,
    GovukModelForm,
    govuk_formfield_callback,
)
from openmash.web.forms import error_summary_items as summary_items
from openmash.web.tests.forms_for_tests import VALID_DATA, EveryFieldForm


def bound(**changes: object) -> EveryFieldForm:
    data = {**VALID_DATA, **changes}
    form = EveryFieldForm(data={k: v for k, v in data.items() if v is not None})
    form.is_valid()
    return form


def group(html: str, field_id: str) -> str:
    """The form group containing the element with this id."""
    start = html.rindex('<div class="govuk-form-group', 0, html.index(f'id="{field_id}"'))
    return html[start : start + 4000]


def test_valid_data_cleans_to_python_values():
    form = bound()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(2015, 3, 3)
    received = form.cleaned_data["received_at"]
    assert received == dt.datetime(2025, 3, 27, 14, 30, tzinfo=ZoneInfo("Europe/London"))
    assert form.cleaned_data["agencies"] == ["police", "health"]


def test_text_input_has_label_hint_and_no_browser_validation():
    html = str(EveryFieldForm())
    assert '<label class="govuk-label govuk-label--s" for="id_name">Full name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As it appears' in html
    name_input = re.search(r'<input[^>]*name="name"[^>]*>', html)
    assert name_input is not None
    assert 'class="govuk-input"' in name_input[0]
    assert 'aria-describedby="id_name-hint"' in name_input[0]
    assert "required" not in name_input[0]


def test_each_widget_gets_its_govuk_class():
    html = str(EveryFieldForm())
    assert 'class="govuk-textarea"' in html
    assert 'rows="5"' in html
    assert 'class="govuk-select"' in html
    assert re.search(r'<input type="text" name="age"[^>]*inputmode="numeric"', html)
    assert 'type="email" name="email"' in html
    assert "govuk-password-input__input" in html
    assert 'data-module="govuk-password-input"' in html
    assert '<input type="hidden" name="token"' in html


def test_radios_are_a_fieldset_with_govuk_items_and_hints():
    html = str(bound(rag="red")["rag"].as_field_group())
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">RAG rating' in html
    assert 'class="govuk-radios" data-module="govuk-radios"' in html
    assert 'id="id_rag" name="rag" type="radio" value="red" checked' in html
    assert 'id="id_rag-2" name="rag" type="radio" value="amber"' in html
    assert 'aria-describedby="id_rag-item-hint"' in html
    assert "Decision within 4 hours" in html
    plain = str(bound()["plain_radios"].as_field_group())
    assert 'class="govuk-radios__input" id="id_plain_radios"' in plain


def test_checkboxes_and_single_checkbox():
    html = str(bound()["agencies"].as_field_group())
    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in html
    assert 'id="id_agencies" name="agencies" type="checkbox" value="police" checked' in html
    assert 'id="id_agencies-3" name="agencies" type="checkbox" value="education">' in html
    single = str(bound(urgent="on")["urgent"].as_field_group())
    assert 'id="id_urgent" name="urgent" type="checkbox" checked' in single
    assert 'for="id_urgent">This is urgent</label>' in single


def test_field_errors_are_shown_the_govuk_way():
    form = bound(name="", source="")
    html = str(form)
    name_group = group(html, "id_name")
    assert name_group.startswith('<div class="govuk-form-group govuk-form-group--error">')
    assert (
        '<p id="id_name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
    ) in name_group
    assert 'class="govuk-input govuk-input--error"' in name_group
    assert 'aria-describedby="id_name-hint id_name-error"' in name_group
    assert "aria-invalid" not in name_group
    assert 'class="govuk-select govuk-select--error"' in group(html, "id_source")


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "parts"),
    [
        ("", "", "", "Enter date of birth", []),
        ("3", "", "2015", "Date of birth must include a month", ["month"]),
        ("", "", "2015", "Date of birth must include a day and month", ["day", "month"]),
        ("31", "2", "2015", "Date of birth must be a real date", []),
        ("3", "13", "2015", "Date of birth must be a real date", ["month"]),
        ("x", "3", "2015", "Date of birth must be a real date", ["day"]),
        # Digits other than ASCII 0-9 pass str.isdigit() but are not a real date.
        ("²", "3", "2015", "Date of birth must be a real date", ["day"]),
        ("٣", "3", "2015", "Date of birth must be a real date", ["day"]),
        ("3", "²", "2015", "Date of birth must be a real date", ["month"]),
        ("3", "3", "²⁰¹⁵", "Date of birth must be a real date", ["year"]),
        ("1" * 5000, "3", "2015", "Date of birth must be a real date", ["day"]),
        ("3", "3", "15", "Year must include 4 numbers", ["year"]),
        ("3", "3", "2999", "Date of birth must be today or in the past", []),
    ],
)
def test_date_errors_follow_the_design_system(day, month, year, message, parts):
    form = bound(date_of_birth_day=day, date_of_birth_month=month, date_of_birth_year=year)
    assert form.errors["date_of_birth"] == [message]
    html = str(form["date_of_birth"].as_field_group())
    for part in ("day", "month", "year"):
        input_tag = re.search(rf'<input[^>]*id="id_date_of_birth_{part}"[^>]*>', html)
        assert input_tag is not None
        expect_error = not parts or part in parts
        assert ("govuk-input--error" in input_tag[0]) is expect_error, part
    assert f'value="{month}"' in html  # what was typed is shown again


def test_date_input_markup():
    html = str(
        EveryFieldForm(initial={"date_of_birth": dt.date(2010, 1, 9)})[
            "date_of_birth"
        ].as_field_group()
    )
    assert (
        '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_date_of_birth-hint">'
        in html
    )
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of birth</legend>'
        in html
    )
    assert '<div class="govuk-date-input" id="id_date_of_birth">' in html
    assert (
        '<input class="govuk-input govuk-date-input__input govuk-input--width-2" '
        'id="id_date_of_birth_day" name="date_of_birth_day" type="text" inputmode="numeric" '
        'value="9">'
    ) in html
    assert 'name="date_of_birth_year" type="text" inputmode="numeric" value="2010"' in html


def test_date_time_errors():
    form = bound(received_at_time="")
    assert form.errors["received_at"] == ["Date received must include a time"]
    form = bound(received_at_time="25:00")
    assert form.errors["received_at"] == [
        "Date received must include a real time, like 09:30 or 14:30"
    ]
    html = str(form["received_at"].as_field_group())
    assert re.search(r'class="[^"]*govuk-input--error[^"]*" id="id_received_at_time"', html)
    assert not re.search(r'class="[^"]*govuk-input--error[^"]*" id="id_received_at_day"', html)
    form = bound(received_at_day="", received_at_month="", received_at_year="", received_at_time="")
    assert form.errors["received_at"] == ["Enter date received"]


def test_error_summary_links_to_the_inputs():
    form = bound(name="conflict", rag="", date_of_birth_month="", received_at_time="")
    items = summary_items(form)
    assert items == [
        {"text": "This person is already open in another contact", "href": ""},
        {"text": "This field is required.", "href": "#id_rag"},
        {"text": "Date of birth must include a month", "href": "#id_date_of_birth_month"},
        {"text": "Date received must include a time", "href": "#id_received_at_time"},
    ]
    html = render_to_string("web/components/error_summary.html", {"form": form})
    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert '<li><a href="#id_rag">This field is required.</a></li>' in html
    assert "<li>This person is already open in another contact</li>" in html
    assert render_to_string("web/components/error_summary.html", {"form": bound()}).strip() == ""


def test_page_heading_field():
    class OneQuestion(forms.Form):
        default_renderer = GovukFormRenderer
        govuk_page_heading = "outcome"
        outcome = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
        note = forms.CharField()

    html = str(OneQuestion())
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">'
        '<h1 class="govuk-fieldset__heading">Outcome</h1></legend>'
    ) in html
    assert 'class="govuk-label govuk-label--s" for="id_note"' in html


def test_model_forms_use_govuk_date_fields():
    from django.contrib.auth import get_user_model
    from django.db import models

    class UserForm(GovukModelForm):
        class Meta:
            model = get_user_model()
            fields = ["username", "date_joined"]

    form = UserForm()
    assert isinstance(form.fields["date_joined"], GovukDateTimeField)
    assert isinstance(form.fields["username"], forms.CharField)
    date_field = govuk_formfield_callback(models.DateField(verbose_name="date of birth"))
    assert isinstance(date_field, GovukDateField)
    assert date_field.label == "Date of birth"


def test_title_says_error_when_the_form_has_errors(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string("web/base.html", {"form": bound(name="")}, request=request)
    assert "<title>Error:  – OpenMASH</title>" in html
    html = render_to_string("web/base.html", {"form": bound()}, request=request)
    assert "<title> – OpenMASH</title>" in html


def test_a_percent_sign_in_a_label_is_not_a_format():
    class Attendance(forms.Form):
        when = GovukDateField(label="Date attendance fell below 90%")

    form = Attendance(data={"when_day": "1", "when_month": "", "when_year": "2024"})
    assert form.errors["when"] == ["Date attendance fell below 90% must include a month"]
