"""The forms of the Exports page: fields are optional here, the services say what is wrong."""

from datetime import date
from typing import Any

from django import forms

from openmash.reporting.dataset import FORMATS
from openmash.web.forms import GovukDateField

FORMAT_LABELS = {
    "csv": "CSV (four tables: contacts, subjects, ratings, agency checks)",
    "parquet": "Parquet (the same four tables, typed)",
    "jsonl": "JSON Lines (one record per contact, exactly as the schema describes)",
}


class CinCensusForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        error_messages={"required": "Choose a collection year"},
        help_text="From 1 April to 31 March. The census is checked against the DfE schema.",
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, f"{y - 1} to {y} (1 April {y - 1} to 31 March {y})") for y in years]


class AnnexAForm(forms.Form):
    start = GovukDateField(
        label="From", error_name="The start of the period", help_text="For example, 1 5 2026"
    )
    end = GovukDateField(
        label="To",
        error_name="The end of the period",
        not_in_future=True,
        help_text="For example, 31 10 2026",
    )

    def period(self) -> tuple[date, date]:
        return self.cleaned_data["start"], self.cleaned_data["end"]


class DatasetForm(forms.Form):
    """Every contact by default; a period when both dates are given. Prefixed, so its fields'
    ids do not clash with Annex A's period on the same page."""

    prefix = "dataset"

    fmt = forms.ChoiceField(
        label="Format",
        choices=[(f, FORMAT_LABELS[f]) for f in FORMATS],
        widget=forms.RadioSelect,
        initial="csv",
        error_messages={
            "required": "Choose a format",
            "invalid_choice": "Choose CSV, Parquet or JSON Lines",
        },
    )
    start = GovukDateField(
        label="From (optional)",
        error_name="The start of the period",
        required=False,
        help_text="Contacts received from this date. Leave both dates empty for every contact.",
    )
    end = GovukDateField(
        label="To (optional)",
        error_name="The end of the period",
        required=False,
        help_text="For example, 31 10 2026",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if (start is None) != (end is None) and not self.errors:
            field = "end" if start else "start"
            self.add_error(field, "Enter both dates of the period, or neither for every contact")
        elif start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start")
        return cleaned
