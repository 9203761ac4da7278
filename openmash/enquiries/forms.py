"""Page forms for MASH enquiries.

The forms only shape and parse what the user typed. The rules (what is required, what may be
shared) live in the services; their `ValidationError.errors` are mapped back onto these fields,
so a page and the API always agree on what is wrong."""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from openmash.hubs.models import Agency
from openmash.web.forms import GovukCheckboxes, GovukRadios

from .models import Handling, LawfulBasis, ResponseResult


class RequestsCreateForm(forms.Form):
    agencies = forms.MultipleChoiceField(
        label="Which agencies should check their records?",
        required=False,
        help_text="Select all that apply. The MASH team is not asked: it holds the contact.",
        widget=GovukCheckboxes(),
    )
    question = forms.CharField(
        label="Question for the agencies (optional)",
        required=False,
        max_length=5000,
        help_text=(
            "What the agencies should look for. Do not include the concern itself: agencies "
            "see only the people to search for and this question."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        agencies: Iterable[Agency],
        waiting: Iterable[object] = (),
        suggested: Mapping[str, float] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        waiting_ids = {str(agency_id) for agency_id in waiting}
        suggested = suggested or {}
        choices = [(str(agency.pk), agency.name) for agency in agencies]
        field = self.fields["agencies"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
        field.widget.choices = choices
        hints = {
            value: "Already asked: waiting for its answer"
            for value, _ in choices
            if value in waiting_ids
        }
        for value, _ in choices:
            if value in suggested and value not in waiting_ids:
                hints[value] = (
                    f"Its index holds a likely match ({suggested[value]:.0%}): ticked for you"
                )
        # Agencies whose index holds a likely match start ticked (the practitioner decides).
        self.initial.setdefault(
            "agencies", [v for v, _ in choices if v in suggested and v not in waiting_ids]
        )
        assert isinstance(field.widget, GovukCheckboxes)
        field.widget.hints = hints


class AnswerForm(forms.Form):
    result = forms.ChoiceField(
        label="Are the people known to your agency?",
        required=False,
        choices=ResponseResult.choices,
        widget=GovukRadios(
            hints={
                ResponseResult.KNOWN: "Enter the information below",
                ResponseResult.NOT_KNOWN: "Your agency's records were checked and hold nothing",
                ResponseResult.NOT_CHECKED: "Explain below why the records were not checked",
            }
        ),
    )
    information = forms.CharField(
        label="Information your agency holds",
        required=False,
        max_length=20000,
        help_text=(
            "Only if known. Share what is relevant, accurate and necessary to judge the risk "
            "to the child: dates, what happened and its source."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    not_checked_reason = forms.CharField(
        label="Why were the records not checked?",
        required=False,
        max_length=5000,
        help_text="Only if not checked. For example: system unavailable, not enough details.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    handling = forms.ChoiceField(
        label="How may this information be shared?",
        required=False,
        choices=Handling.choices,
        help_text="Only if known: the handling marking the MASH must respect.",
        widget=GovukRadios(),
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing",
        required=False,
        choices=LawfulBasis.choices,
        help_text="Not needed when the records were not checked.",
        widget=GovukRadios(),
    )


class SharingDecisionForm(forms.Form):
    shared = forms.TypedChoiceField(
        label="Was the information shared?",
        choices=[("yes", "Yes, it was shared"), ("no", "No: a decision not to share")],
        coerce=lambda value: value == "yes",
        widget=GovukRadios(),
    )
    what = forms.CharField(
        label="What information",
        max_length=10000,
        help_text="Describe it; do not paste another agency's information here.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    to = forms.CharField(
        label="Shared with, or asked for by",
        max_length=200,
        help_text="For example, the child's school, the strategy meeting, the father",
    )
    why = forms.CharField(label="Why", max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))
    lawful_basis = forms.ChoiceField(
        label="Lawful basis considered", choices=LawfulBasis.choices, widget=GovukRadios()
    )
