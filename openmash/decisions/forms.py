"""Page forms for screening, decisions, dissent, actions and feedback.

Fields are optional here on purpose: the services say what is required, and their messages
are mapped back onto these fields (see `openmash.enquiries.forms.form_add_service_errors`)."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.html import format_html

from openmash.contacts.models import Rag
from openmash.core.standards import ASSESSMENT_FACTORS, CLOSURE_REASONS, PRIMARY_NEED_CODES
from openmash.hubs.models import Agency, DecisionOutcome, LevelOfNeed
from openmash.web.forms import GovukCheckboxes, GovukDateField, GovukRadios

from .models import ActionStatus, ScreeningOutcome

MAX_ACTION_ROWS = 20
DEFAULT_ACTION_ROWS = 3


def _level_field(levels: Iterable[LevelOfNeed]) -> forms.TypedChoiceField:
    levels = list(levels)
    return forms.TypedChoiceField(
        label="Level of need",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(level.level, f"Level {level.level}: {level.name}") for level in levels],
        widget=GovukRadios(hints={level.level: level.description for level in levels}),
    )


def _text(
    label: str,
    *,
    max_length: int,
    name: str = "",
    rows: int = 0,
    help_text: str = "",
) -> forms.CharField:
    """An optional text field whose errors read as GOV.UK messages ("The note must be 5000
    characters or fewer"). `name` is how an error names the field; it defaults to the label."""
    name = name or label
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={
            "max_length": f"{name} must be {max_length} characters or fewer",
            "null_characters_not_allowed": f"{name} must not contain null characters",
        },
    )


def _row_label(number: int, text: str) -> str:
    """A row's label: visually "Due date", to a screen reader "Action 2: Due date"."""
    return format_html('<span class="govuk-visually-hidden">Action {}: </span>{}', number, text)


class ScreeningForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Screening outcome",
        required=False,
        choices=ScreeningOutcome.choices,
        widget=GovukRadios(),
    )
    rag = forms.ChoiceField(
        label="RAG rating", required=False, choices=Rag.choices, widget=GovukRadios()
    )
    rationale = _text(
        "Rationale",
        max_length=20000,
        rows=6,
        help_text="Why this outcome, level and rating: what in the contact led you to them.",
    )

    def __init__(
        self, *args: Any, levels: Iterable[LevelOfNeed], rag_hints: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level_of_need"] = _level_field(levels)
        rag_widget = self.fields["rag"].widget
        assert isinstance(rag_widget, GovukRadios)
        rag_widget.hints = rag_hints
        self.order_fields(["outcome", "level_of_need", "rag", "rationale"])


class DecisionForm(forms.Form):
    """The decision and up to `rows` agreed actions (`action_<n>_owner_agency`, ...).

    Without JavaScript the page shows a few empty action rows; "Add another action" posts the
    form back with one more row (the page carries the count in a hidden `action_rows` input).
    Empty rows are ignored."""

    outcome = forms.ChoiceField(label="Outcome", required=False, widget=GovukRadios())
    rationale = _text(
        "Rationale",
        max_length=20000,
        rows=6,
        help_text="How the information from the agencies led to this outcome.",
    )
    childs_voice = _text(
        "The child's voice and lived experience",
        name="The child's voice",
        max_length=20000,
        rows=5,
        help_text="What the child has said or shown, and what daily life is like for them.",
    )

    def __init__(
        self,
        *args: Any,
        outcomes: Iterable[DecisionOutcome],
        levels: Iterable[LevelOfNeed],
        agencies: Iterable[Agency],
        rows: int = DEFAULT_ACTION_ROWS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        outcome_field = self.fields["outcome"]
        assert isinstance(outcome_field, forms.ChoiceField)
        outcome_field.choices = [(o.code, o.label) for o in outcomes]
        self.fields["level_of_need"] = _level_field(levels)
        self.fields["primary_need_code"] = forms.ChoiceField(
            label="The child's primary need",
            required=False,
            choices=[
                ("", "Choose the primary need"),
                *[(code, f"{code}: {label}") for code, label in PRIMARY_NEED_CODES.items()],
            ],
            help_text="Needed when the outcome is a child in need assessment (section 17) or a "
            "strategy discussion (section 47): the contact becomes a referral.",
        )
        self.order_fields(
            ["outcome", "level_of_need", "primary_need_code", "rationale", "childs_voice"]
        )
        agency_choices = [("", "Choose an agency")] + [(str(a.pk), a.name) for a in agencies]
        self.rows = max(1, min(rows, MAX_ACTION_ROWS))
        for row in range(self.rows):
            number = row + 1
            self.fields[f"action_{row}_owner_agency"] = forms.ChoiceField(
                label=_row_label(number, "Agency that owns it"),
                required=False,
                choices=agency_choices,
            )
            self.fields[f"action_{row}_description"] = forms.CharField(
                label=_row_label(number, "What will be done"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"action_{row}_due_date"] = GovukDateField(
                label=_row_label(number, "Due date"),
                error_name="The action's due date",
                required=False,
                help_text="For example, 27 3 2026",
            )

    def action_row_fields(self) -> list[dict[str, Any]]:
        """The bound fields of each action row, for the template."""
        return [
            {
                "number": row + 1,
                "owner_agency": self[f"action_{row}_owner_agency"],
                "description": self[f"action_{row}_description"],
                "due_date": self[f"action_{row}_due_date"],
            }
            for row in range(self.rows)
        ]

    def filled_action_rows(self) -> list[int]:
        """Rows the user typed something in (call after `is_valid()`)."""
        filled = []
        for row in range(self.rows):
            values = [
                self.cleaned_data.get(f"action_{row}_owner_agency"),
                (self.cleaned_data.get(f"action_{row}_description") or "").strip(),
                self.cleaned_data.get(f"action_{row}_due_date"),
            ]
            if any(values):
                filled.append(row)
        return filled


class SignOffForm(forms.Form):
    note = _text(
        "Note (optional)",
        name="The note",
        max_length=5000,
        rows=3,
        help_text="Anything the team should know about this sign-off.",
    )


class ReturnForm(forms.Form):
    note = _text(
        "Why are you returning it?",
        name="The reason",
        max_length=5000,
        rows=3,
        help_text="The practitioner sees this note and records a new proposal.",
    )


class DissentForm(forms.Form):
    reason = _text("Why does your agency disagree?", name="The reason", max_length=10000, rows=4)
    escalated_to = _text(
        "Escalated to",
        max_length=200,
        help_text="The person or role the disagreement goes to under the escalation process.",
    )


class ResolveForm(forms.Form):
    resolution = _text(
        "How was the disagreement resolved?", name="The resolution", max_length=10000, rows=3
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=ActionStatus.choices,
        widget=GovukRadios(inline=True, small=True),
        error_messages={"invalid_choice": "Choose open, done or cancelled"},
    )


class FeedbackForm(forms.Form):
    """The structured feedback: what happens now (choices suited to the outcome) and an
    optional short note. The rest of the message is composed by code."""

    next_step = forms.ChoiceField(label="What happens now", required=False, widget=GovukRadios())
    message = _text(
        "A note to the referrer (optional)",
        name="The note",
        max_length=500,
        rows=4,
        help_text=(
            "The outcome, what happens now and the MASH's contact point are added for you. Never "
            "include information from other agencies or an address. A note on a contact with "
            "a confidential address or information needing an agency's consent is approved by "
            "a manager before it is sent."
        ),
    )

    def __init__(self, *args: Any, next_steps: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["next_step"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list((next_steps or {}).items())


class FeedbackApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        required=True,
        choices=[("approve", "Approve and send it"), ("return", "Return it to the sender")],
        widget=GovukRadios(),
        error_messages={"required": "Choose whether to approve or return the message"},
    )
    note = _text("Why you are returning it", name="The note", max_length=500, rows=3)


def _date(label: str, *, name: str, hint: str = "For example, 27 3 2026") -> GovukDateField:
    return GovukDateField(label=label, error_name=name, required=False, help_text=hint)


class ReferralProgressForm(forms.Form):
    """What happened after the referral, for the CIN census. Blank means not happened yet."""

    assessment_started_on = _date("Assessment start date", name="The assessment start date")
    assessment_authorised_on = _date(
        "Assessment authorisation date",
        name="The authorisation date",
        hint="The day a manager authorised the completed assessment",
    )
    assessment_factors = forms.MultipleChoiceField(
        label="Factors identified at the assessment",
        required=False,
        choices=list(ASSESSMENT_FACTORS.items()),
        help_text="Needed once the assessment is authorised. At first, the contact's concerns.",
        widget=GovukCheckboxes(small=True),
    )
    s47_started_on = _date("Section 47 enquiry start date", name="The section 47 start date")
    icpc_on = _date(
        "Initial child protection conference date",
        name="The conference date",
        hint="A working day. For example, 27 3 2026",
    )
    icpc_not_required = forms.BooleanField(
        label="An initial child protection conference was not required",
        required=False,
    )
    closed_on = _date("Closure date", name="The closure date")
    closure_reason = forms.ChoiceField(
        label="Reason for closure",
        required=False,
        choices=[("", "Not closed"), *[(c, f"{c}: {t}") for c, t in CLOSURE_REASONS.items()]],
    )
