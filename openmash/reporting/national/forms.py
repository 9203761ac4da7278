from datetime import date
from typing import Any

from django import forms

from .measures import CATALOGUE, DEFAULT_BENCHMARK

MAX_FILES = 100  # Django refuses more files in one request (DATA_UPLOAD_MAX_NUMBER_FILES)
MAX_FILE_BYTES = 5 * 1024 * 1024


class FilterForm(forms.Form):
    """The national view's filters (a GET form): months, a hub, a measure."""

    from_month = forms.ChoiceField(label="From", required=False)
    to_month = forms.ChoiceField(label="To", required=False)
    hub = forms.ChoiceField(label="Hub", required=False)
    measure = forms.ChoiceField(label="Measure", required=False)

    def __init__(
        self,
        *args: Any,
        months: list[date],
        hubs: dict[str, str],
        with_measure: bool = False,
        all_hubs_label: str = "All hubs",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]
        self._choice("from_month").choices = choices
        self._choice("to_month").choices = choices
        self._choice("hub").choices = [("", all_hubs_label)] + [
            (code, f"{name} ({code})") for code, name in sorted(hubs.items(), key=lambda h: h[1])
        ]
        if with_measure:
            self._choice("measure").choices = [(s.key, s.label) for s in CATALOGUE]
            self.fields["measure"].initial = DEFAULT_BENCHMARK
        else:
            del self.fields["measure"]

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from_month"), data.get("to_month")
        if start and end and start > end:
            self.add_error("to_month", "The end month must be the same as or after the start month")
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [single(f, initial) for f in files if f] or [single(None, initial)]


class ImportForm(forms.Form):
    returns = MultipleFileField(
        label="Monthly returns (JSON)",
        help_text="One or more returns in the OpenMASH monthly return format 1.0, one file each. "
        "You can choose several files at once.",
        error_messages={"required": "Choose at least one return to upload"},
        widget=MultipleFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_returns(self) -> list[Any]:
        files: list[Any] = self.cleaned_data["returns"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Upload at most {MAX_FILES} files at a time")
        for upload in files:
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(f"{upload.name} is larger than 5 MB: not a return")
        return files
