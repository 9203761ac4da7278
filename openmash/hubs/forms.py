from typing import Any

from django import forms

from openmash.access.permissions import Role
from openmash.core.standards import NATIONAL_OUTCOMES
from openmash.core.working_time import BankHolidayRegion, TimeUnit
from openmash.web.forms import GovukCheckboxes, GovukRadios

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


EXTRA_ROWS = 2


class LevelsForm(forms.Form):
    """One row per level (number, name, description) and two blank rows to add levels. A row
    whose number is cleared is removed."""

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = list(hub.levels.all())
        self.row_count = len(current) + EXTRA_ROWS
        for index in range(self.row_count):
            level = current[index] if index < len(current) else None
            self.fields[f"level_{index}"] = forms.IntegerField(
                label=f"Row {index + 1}: level number",
                required=False,
                min_value=0,
                max_value=9,
                initial=level.level if level else None,
                help_text="Leave blank to remove or not add a level",
            )
            self.fields[f"name_{index}"] = forms.CharField(
                label=f"Row {index + 1}: name",
                required=False,
                max_length=100,
                initial=level.name if level else "",
            )
            self.fields[f"description_{index}"] = forms.CharField(
                label=f"Row {index + 1}: description in the hub's words",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=level.description if level else "",
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"level_{i}"], self[f"name_{i}"], self[f"description_{i}"])
            for i in range(self.row_count)
        ]

    def levels(self) -> list[tuple[int, str, str, int]]:
        """(level, name, description, row index) for each filled row."""
        return [
            (
                self.cleaned_data[f"level_{i}"],
                self.cleaned_data[f"name_{i}"],
                self.cleaned_data[f"description_{i}"],
                i,
            )
            for i in range(self.row_count)
            if self.cleaned_data.get(f"level_{i}") is not None
        ]


class OutcomesForm(forms.Form):
    """One row per outcome (code, label, national code, in use) and two blank rows."""

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = list(hub.outcomes.all())
        self.row_count = len(current) + EXTRA_ROWS
        national = [("", "Choose")] + list(NATIONAL_OUTCOMES.items())
        for index in range(self.row_count):
            outcome = current[index] if index < len(current) else None
            self.fields[f"code_{index}"] = forms.CharField(
                label=f"Row {index + 1}: code",
                required=False,
                max_length=40,
                initial=outcome.code if outcome else "",
                disabled=outcome is not None,  # codes of existing outcomes never change
            )
            self.fields[f"label_{index}"] = forms.CharField(
                label=f"Row {index + 1}: wording",
                required=False,
                max_length=200,
                initial=outcome.label if outcome else "",
            )
            self.fields[f"national_{index}"] = forms.ChoiceField(
                label=f"Row {index + 1}: national outcome",
                required=False,
                choices=national,
                initial=outcome.national_code if outcome else "",
            )
            self.fields[f"active_{index}"] = forms.BooleanField(
                label=f"Row {index + 1}: in use",
                required=False,
                initial=outcome.active if outcome else True,
            )

    def rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"{name}_{i}"] for name in ("code", "label", "national", "active")]
            for i in range(self.row_count)
        ]

    def outcomes(self) -> list[tuple[str, str, str, bool, int]]:
        return [
            (
                self.cleaned_data[f"code_{i}"].strip(),
                self.cleaned_data[f"label_{i}"],
                self.cleaned_data[f"national_{i}"],
                self.cleaned_data[f"active_{i}"],
                i,
            )
            for i in range(self.row_count)
            if self.cleaned_data.get(f"code_{i}", "").strip()
        ]


class UserAddForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="E-mail address")
    agency = forms.ChoiceField(label="Agency")
    roles = forms.MultipleChoiceField(
        label="Roles", choices=[(r.value, r.label) for r in Role], widget=GovukCheckboxes()
    )
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput,
        max_length=200,
        help_text="At least 12 characters. Give it to the person securely, apart from the "
        "username.",
    )

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(a.pk), a.name) for a in hub.agencies.all()]


class UserChangeForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles", choices=[(r.value, r.label) for r in Role], widget=GovukCheckboxes()
    )
    active = forms.TypedChoiceField(
        label="Account",
        choices=[("yes", "Active"), ("no", "Switched off")],
        coerce=lambda value: value == "yes",
        widget=GovukRadios(inline=True),
    )


class ApprovalDecisionForm(forms.Form):
    """One button of a pending request: approve or refuse (and which page to go back to)."""

    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Refuse")])
    back = forms.ChoiceField(choices=[("users", "Users"), ("approvals", "Approvals")])
