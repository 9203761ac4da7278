from typing import Any

from django import forms

from openmash.core.working_time import BankHolidayRegion, TimeUnit

from .models import Hub, Stage

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
UNIT_CHOICES = [
    (TimeUnit.WORKING_HOURS.value, "working hours"),
    (TimeUnit.WORKING_DAYS.value, "working days"),
]


class HubSettingsForm(forms.Form):
    """Working hours per weekday (blank = closed), bank-holiday region, timescales."""

    bank_holiday_region = forms.ChoiceField(
        label="Bank holidays",
        choices=[(r.value, r.value.replace("-", " ").capitalize()) for r in BankHolidayRegion],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, name in enumerate(WEEKDAYS):
            hours = hub.working_hours.get(str(day), ["", ""])
            self.fields[f"opens_{day}"] = forms.CharField(
                label=f"{name} opens",
                required=False,
                initial=hours[0],
                max_length=5,
                help_text="For example, 09:00. Leave both blank when closed.",
            )
            self.fields[f"closes_{day}"] = forms.CharField(
                label=f"{name} closes",
                required=False,
                initial=hours[1],
                max_length=5,
            )
        current = {t.stage: t for t in hub.timescales.all()}
        for stage, label in Stage.choices:
            row = current.get(stage)
            self.fields[f"amount_{stage}"] = forms.IntegerField(
                label=f"{label}: within",
                min_value=1,
                max_value=1000,
                initial=row.amount if row else None,
            )
            self.fields[f"unit_{stage}"] = forms.ChoiceField(
                label=f"{label}: unit",
                choices=UNIT_CHOICES,
                initial=row.unit if row else None,
            )
        self.fields["bank_holiday_region"].initial = hub.bank_holiday_region

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for day, name in enumerate(WEEKDAYS):
            opens, closes = cleaned.get(f"opens_{day}"), cleaned.get(f"closes_{day}")
            if bool(opens) != bool(closes):
                self.add_error(f"opens_{day}", f"Enter both times for {name}, or neither")
        return cleaned

    def working_hours(self) -> dict[str, list[str]]:
        return {
            str(day): [self.cleaned_data[f"opens_{day}"], self.cleaned_data[f"closes_{day}"]]
            for day in range(7)
            if self.cleaned_data.get(f"opens_{day}")
        }

    def day_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(name, self[f"opens_{d}"], self[f"closes_{d}"]) for d, name in enumerate(WEEKDAYS)]

    def stage_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"amount_{s}"], self[f"unit_{s}"]) for s, label in Stage.choices]
