"""Forms of the governance pages (GOV.UK markup from openmash.web.forms)."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from openmash.accounts.models import User
from openmash.core.standards import REFERRAL_SOURCES
from openmash.hubs.models import Agency, AgencyType, Hub, HubScope, LevelOfNeed, Participation
from openmash.web.forms import GovukDateField, GovukRadios

from .funding_rules import MAX_AMOUNT_PENCE
from .models import DocumentKind, ThresholdVersion, WorkingArrangement

YES_NO = [("yes", "Yes"), ("no", "No")]


class DefinitionForm(forms.Form):
    purpose = forms.CharField(
        error_messages={"required": "Enter the hub's purpose"},
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="What the hub is for, in a few sentences.",
    )
    scope = forms.ChoiceField(
        error_messages={"required": "Choose who the hub is for"},
        label="Who the hub is for",
        choices=HubScope.choices,
        widget=GovukRadios(),
    )
    who_may_be_referred = forms.CharField(
        error_messages={"required": "Say who may be referred to the hub"},
        label="Who may be referred",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="For example: any child aged 0 to 17 living in the area, or an unborn baby.",
    )
    working_arrangement = forms.ChoiceField(
        error_messages={"required": "Choose co-located, remote or hybrid working"},
        label="How the agencies work together",
        choices=WorkingArrangement.choices,
        widget=GovukRadios(),
    )
    arrangement_notes = forms.CharField(
        label="About the working arrangement (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text="For example, which agencies are on site on which days.",
    )


def _agency_choices(hub: Hub) -> list[tuple[str, str]]:
    return [("", "Choose an agency")] + [(str(a.pk), a.name) for a in hub.agencies.all()]


class LeadershipRoleForm(forms.Form):
    title = forms.CharField(
        error_messages={"required": "Enter the role's title"}, label="Role title", max_length=200
    )
    agency = forms.ChoiceField(
        error_messages={"required": "Choose the agency the role is held for"},
        label="Held for agency",
    )
    user = forms.ChoiceField(
        label="User who holds the role (optional)",
        required=False,
        help_text="Choose a user of the hub, or name the person below.",
    )
    person_name = forms.CharField(
        label="Name of the person (if not a user)", max_length=200, required=False
    )
    responsibilities = forms.CharField(
        error_messages={"required": "Describe the role's responsibilities"},
        label="Responsibilities",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    is_accountable_manager = forms.TypedChoiceField(
        error_messages={"required": "Say whether this is the accountable manager"},
        label="Is this the hub's accountable manager?",
        help_text="One MASH manager is accountable for all practice, processes and decisions.",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        initial="no",
        widget=GovukRadios(inline=True),
    )

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ChoiceField)
        agency.choices = _agency_choices(hub)
        user = self.fields["user"]
        assert isinstance(user, forms.ChoiceField)
        users = User.objects.filter(agency__hub=hub, is_active=True).order_by(
            "last_name", "first_name"
        )
        user.choices = [("", "Not a user")] + [
            (str(u.pk), f"{u.display_name} ({u.agency})") for u in users
        ]

    def chosen_agency(self, hub: Hub) -> Agency | None:
        value = self.cleaned_data.get("agency")
        return hub.agencies.filter(pk=value).first() if value else None

    def chosen_user(self, hub: Hub) -> User | None:
        value = self.cleaned_data.get("user")
        return User.objects.filter(agency__hub=hub, pk=value).first() if value else None


class AgencyForm(forms.Form):
    code = forms.CharField(
        error_messages={"required": "Enter the agency's code"},
        label="Code",
        max_length=40,
        help_text="Lower-case letters, digits and hyphens, like gp-riverside. It cannot be "
        "changed later.",
    )
    name = forms.CharField(
        error_messages={"required": "Enter the agency's name"}, label="Name", max_length=200
    )
    agency_type = forms.ChoiceField(
        error_messages={"required": "Choose the type of agency"},
        label="Type of agency",
        choices=AgencyType.choices,
    )
    participation = forms.ChoiceField(
        error_messages={"required": "Choose core or contributing"},
        label="Membership",
        choices=Participation.choices,
        widget=GovukRadios(),
    )
    referral_source_code = forms.ChoiceField(
        error_messages={"required": "Choose the referral source"},
        label="Referral source (CIN census)",
        choices=[(code, f"{code}: {label}") for code, label in REFERRAL_SOURCES.items()],
        help_text="Used when someone from this agency refers a concern.",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["code"].disabled = True
            self.fields["code"].required = False


class DocumentVersionForm(forms.Form):
    kind = forms.ChoiceField(
        error_messages={"required": "Choose which core document this is"},
        label="Document",
        choices=DocumentKind.choices,
        widget=GovukRadios(),
    )
    version_label = forms.CharField(
        error_messages={"required": "Enter a version, like 2 or 2.1"},
        label="Version",
        max_length=20,
        help_text="For example, 2 or 2.1",
    )
    title = forms.CharField(
        error_messages={"required": "Enter the document's title"}, label="Title", max_length=200
    )
    summary = forms.CharField(
        label="Summary (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="What changed, or what the document says in brief.",
    )
    body = forms.CharField(
        label="Text of the document",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=100_000,
        required=False,
        help_text="Plain text. Start a line with # for a heading, - for a bullet point or 1. "
        "for a numbered point; leave a blank line between paragraphs.",
    )
    effective_from = GovukDateField(
        label="Takes effect on",
        error_name="The date it takes effect",
        help_text="For example, 1 4 2026",
    )
    review_by = GovukDateField(
        label="Review by", error_name="The review date", help_text="For example, 31 3 2027"
    )


MONEY = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def pence_from(text: str) -> int | None:
    """'£12,500.50' -> 1250050; None when it is not an amount of money."""
    value = text.strip()
    if not MONEY.match(value):
        return None
    return int(Decimal(value.lstrip("£").strip().replace(",", "")) * 100)


STAFF_ROWS = 4


class FundingForm(forms.Form):
    agency = forms.ChoiceField(error_messages={"required": "Choose the agency"}, label="Agency")
    financial_year = forms.IntegerField(
        error_messages={"required": "Enter the year the financial year starts, like 2025"},
        label="Financial year starting in",
        min_value=2000,
        max_value=2100,
        help_text="For example, 2025 for April 2025 to March 2026.",
    )
    amount = forms.CharField(
        error_messages={"required": "Enter the money contributed in pounds, 0 or more"},
        label="Money contributed (£)",
        max_length=20,
        help_text="For example, 125000 or 12,500.50",
    )
    notes = forms.CharField(
        label="Notes (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ChoiceField)
        agency.choices = _agency_choices(hub)
        for index in range(STAFF_ROWS):
            self.fields[f"role_{index}"] = forms.CharField(
                label=f"Staff line {index + 1}: role", max_length=100, required=False
            )
            self.fields[f"fte_{index}"] = forms.CharField(
                label=f"Staff line {index + 1}: full-time equivalent",
                max_length=10,
                required=False,
                help_text="For example, 1 or 0.5",
            )

    def clean_amount(self) -> int:
        pence = pence_from(self.cleaned_data["amount"])
        if pence is None:
            raise forms.ValidationError("Enter the money in pounds, like 125000 or 12,500.50")
        if pence > MAX_AMOUNT_PENCE:
            raise forms.ValidationError(
                f"Money contributed must be £{MAX_AMOUNT_PENCE // 100:,} or less"
            )
        return pence

    def staff_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"role_{i}"], self[f"fte_{i}"]) for i in range(STAFF_ROWS)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for index in range(STAFF_ROWS):
            role = cleaned.get(f"role_{index}", "")
            fte = cleaned.get(f"fte_{index}", "")
            if bool(role) != bool(fte):
                self.add_error(
                    f"role_{index}", f"Staff line {index + 1}: enter both the role and the FTE"
                )
            elif fte:
                try:
                    number = Decimal(fte)
                except InvalidOperation:
                    number = None
                if number is None or not number.is_finite():  # "NaN" and "Infinity" parse
                    self.add_error(
                        f"fte_{index}", f"Staff line {index + 1}: enter the FTE as a number"
                    )
                else:
                    cleaned[f"fte_{index}"] = number
        return cleaned

    def staff(self) -> list[tuple[str, Decimal, int]]:
        return [
            (self.cleaned_data[f"role_{i}"], self.cleaned_data[f"fte_{i}"], i)
            for i in range(STAFF_ROWS)
            if self.cleaned_data.get(f"role_{i}")
        ]


class ThresholdsForm(forms.Form):
    """A new thresholds version: one name and descriptor per level of the hub, and the RAG
    criteria, started from the version in force."""

    version_label = forms.CharField(
        error_messages={"required": "Enter a version, like 2 or 2.1"},
        label="Version",
        max_length=20,
        help_text="For example, 3",
    )
    effective_from = GovukDateField(
        label="Takes effect on",
        error_name="The date it takes effect",
        help_text="For example, 1 4 2026",
    )
    introduction = forms.CharField(
        label="Introduction (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    red_criteria = forms.CharField(
        error_messages={"required": "Describe when a contact is rated Red"},
        label="Red: when a contact is rated Red",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    amber_criteria = forms.CharField(
        error_messages={"required": "Describe when a contact is rated Amber"},
        label="Amber: when a contact is rated Amber",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    green_criteria = forms.CharField(
        error_messages={"required": "Describe when a contact is rated Green"},
        label="Green: when a contact is rated Green",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(
        self, *args: Any, hub: Hub, current: ThresholdVersion | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        described = {lv.level: lv for lv in current.levels.all()} if current else {}
        self.level_numbers = [lv.level for lv in LevelOfNeed.objects.filter(hub=hub)]
        names = {lv.level: lv for lv in LevelOfNeed.objects.filter(hub=hub)}
        for number in self.level_numbers:
            old = described.get(number)
            self.fields[f"name_{number}"] = forms.CharField(
                error_messages={"required": f"Enter a name for level {number}"},
                label=f"Level {number}: name",
                max_length=100,
                initial=old.name if old else names[number].name,
            )
            self.fields[f"descriptor_{number}"] = forms.CharField(
                error_messages={"required": f"Describe level {number} in the hub's words"},
                label=f"Level {number}: descriptor in the hub's words",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=5000,
                initial=old.descriptor if old else names[number].description,
            )
        if current is not None:
            for name in ("introduction", "red_criteria", "amber_criteria", "green_criteria"):
                self.fields[name].initial = getattr(current, name)

    def level_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"name_{n}"], self[f"descriptor_{n}"]) for n in self.level_numbers]

    def levels(self) -> list[tuple[int, str, str]]:
        return [
            (n, self.cleaned_data[f"name_{n}"], self.cleaned_data[f"descriptor_{n}"])
            for n in self.level_numbers
        ]
