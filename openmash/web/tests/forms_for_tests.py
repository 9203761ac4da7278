"""A form using every kind of field the GOV.UK renderer knows (tests and the browser test)."""

from django import forms

from openmash.web.forms import (
    GovukCheckboxes,
    GovukDateField,
    GovukDateTimeField,
    GovukFormRenderer,
    GovukRadios,
)

RAG = [("red", "Red"), ("amber", "Amber"), ("green", "Green")]
AGENCIES = [("police", "Police"), ("health", "Health"), ("education", "Education")]


class EveryFieldForm(forms.Form):
    default_renderer = GovukFormRenderer

    name = forms.CharField(label="Full name", help_text="As it appears on official documents")
    email = forms.EmailField(label="Email address", required=False)
    age = forms.IntegerField(label="Age", required=False, min_value=0)
    summary = forms.CharField(label="Summary of concern", widget=forms.Textarea)
    source = forms.ChoiceField(
        label="Source of contact", choices=[("", "Choose a source"), *AGENCIES]
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=RAG,
        widget=GovukRadios(hints={"red": "Decision within 4 hours"}, inline=False),
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies to ask", choices=AGENCIES, widget=GovukCheckboxes, required=False
    )
    plain_radios = forms.ChoiceField(
        label="Consent", choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect
    )
    urgent = forms.BooleanField(label="This is urgent", required=False)
    date_of_birth = GovukDateField(help_text="For example, 27 3 2007", not_in_future=True)
    received_at = GovukDateTimeField(label="When was it received?", error_name="Date received")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("name") == "conflict":
            raise forms.ValidationError("This person is already open in another contact")
        return cleaned


VALID_DATA = {
    "name": "Alex Example",
    "email": "",
    "age": "",
    "summary": "Worried about bruising",
    "source": "police",
    "rag": "amber",
    "agencies": ["police", "health"],
    "plain_radios": "yes",
    "date_of_birth": "",
    "date_of_birth_day": "3",
    "date_of_birth_month": "Mar",
    "date_of_birth_year": "2015",
    "received_at_day": "27",
    "received_at_month": "3",
    "received_at_year": "2025",
    "received_at_time": "14:30",
}
