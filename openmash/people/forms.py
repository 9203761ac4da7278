from typing import Any

from django import forms

from openmash.hubs.models import Agency
from openmash.web.forms import GovukRadios

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class IndexUploadForm(forms.Form):
    agency = forms.ChoiceField(label="Agency")
    file = forms.FileField(
        label="Index file (CSV)",
        help_text="One row per record: action (upsert, insert, update or delete), record_ref, "
        "names, date_of_birth as YYYY-MM-DD, sex, address, postcode, nhs_number, upn, other_id. "
        "No case information.",
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(a.pk), a.name) for a in agencies]
        if len(agencies) == 1:
            field.initial = str(agencies[0].pk)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 200 MB")
        return upload


class ReviewForm(forms.Form):
    mention = forms.UUIDField(widget=forms.HiddenInput)
    candidate = forms.CharField(max_length=80, widget=forms.HiddenInput)
    probability = forms.FloatField(min_value=0, max_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("confirmed", "Same person"), ("rejected", "Different person")],
        widget=GovukRadios(inline=True),
    )
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class MergeForm(forms.Form):
    merged = forms.UUIDField(widget=forms.HiddenInput)
    into = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why are these the same person?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UnmergeForm(forms.Form):
    reason = forms.CharField(
        label="Why undo this merge?", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
