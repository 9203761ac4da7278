"""Forms for the quality pages. Most fields are optional here: the services say what is
missing, in words written for each question, so pages and API refuse the same input alike."""

from typing import Any

from django import forms

from openmash.accounts.models import User
from openmash.hubs.models import Hub
from openmash.web.forms import GovukCheckboxes, GovukDateField, GovukRadios

from .indicators import INDICATORS
from .models import (
    Answer,
    AuditCriterion,
    ChangeStep,
    Grade,
    ImprovementStatus,
    IndicatorSource,
    Respondent,
    SampleMethod,
    StepKind,
)

GRADE_HINTS = {
    Grade.OUTSTANDING: "Exceeds the standard; practice others could learn from",
    Grade.GOOD: "Meets the standard",
    Grade.REQUIRES_IMPROVEMENT: "Safe, but falls short of the standard in places",
    Grade.INADEQUATE: "Falls well short: children may not have been safeguarded",
}


def _text(label: str, *, help_text: str = "", rows: int = 3, max_length: int | None = None) -> Any:
    # Lengths are checked by the services, so every error is shown at once.
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _answer(label: str, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        help_text=help_text,
        choices=Answer.choices,
        widget=GovukRadios(inline=True),
    )


class CriterionForm(forms.Form):
    code = forms.CharField(
        label="Code",
        required=False,
        max_length=40,
        help_text="A short name for reports, for example voice-of-child. It cannot be changed.",
    )
    question = forms.CharField(label="Question", required=False, max_length=300)
    guidance = _text("Guidance for auditors (optional)")
    order = forms.IntegerField(
        label="Position in the list", required=False, min_value=0, max_value=999, initial=0
    )
    active = forms.TypedChoiceField(
        label="In use",
        choices=[("yes", "Yes"), ("no", "No, retired")],
        coerce=lambda v: v == "yes",
        initial="yes",
        widget=GovukRadios(inline=True),
    )

    def __init__(self, *args: Any, criterion: AuditCriterion | None = None, **kwargs: Any) -> None:
        if criterion is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": criterion.code,
                    "question": criterion.question,
                    "guidance": criterion.guidance,
                    "order": criterion.order,
                    "active": "yes" if criterion.active else "no",
                },
            )
        super().__init__(*args, **kwargs)
        if criterion is not None:
            self.fields["code"].disabled = True


class SampleForm(forms.Form):
    period_start = GovukDateField(label="From", required=False, error_name="The start date")
    period_end = GovukDateField(
        label="To", required=False, error_name="The end date", not_in_future=True
    )
    size = forms.IntegerField(
        label="How many case files",
        required=False,
        help_text="Stratified samples take at least one case file from each group.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    method = forms.ChoiceField(
        label="How to draw the sample",
        required=False,
        choices=SampleMethod.choices,
        widget=GovukRadios(
            hints={
                SampleMethod.RANDOM: "Every case file has the same chance",
                SampleMethod.RAG: "Red, amber, green and unrated each represented",
                SampleMethod.OUTCOME: "Each decision outcome represented",
                SampleMethod.AGENCY: "Case files where each agency was asked for information",
            }
        ),
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        help_text="Leave blank for a new random draw. Enter a sample's seed to draw it again.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period_start") is None and not self.has_error("period_start"):
            self.add_error("period_start", "Enter the start date")
        if cleaned.get("period_end") is None and not self.has_error("period_end"):
            self.add_error("period_end", "Enter the end date")
        if cleaned.get("size") is None and not self.has_error("size"):
            self.add_error("size", "Enter how many case files to sample")
        return cleaned


class AuditForm(forms.Form):
    """A grade and a comment per active criterion, then the overall grade."""

    overall_grade = forms.ChoiceField(
        label="Overall grade",
        required=False,
        choices=Grade.choices,
        widget=GovukRadios(hints=GRADE_HINTS),
    )
    comments = _text("Findings", help_text="What went well, and what should change", rows=5)

    def __init__(self, *args: Any, criteria: list[AuditCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for n, criterion in enumerate(criteria, start=1):
            self.fields[f"grade_{criterion.pk}"] = forms.ChoiceField(
                label=f"{n}. {criterion.question}",
                required=False,
                help_text=criterion.guidance,
                choices=Grade.choices,
                widget=GovukRadios(small=True),
            )
            self.fields[f"comment_{criterion.pk}"] = _text(f"Comment on {n} (optional)", rows=2)
        # The overall grade and findings come after the criteria.
        self.order_fields(
            [
                *(f for f in self.fields if f not in ("overall_grade", "comments")),
                "overall_grade",
                "comments",
            ]
        )

    def rows(self) -> list[tuple[AuditCriterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"grade_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class ModerationForm(forms.Form):
    agree = forms.ChoiceField(
        label="Do you agree with the overall grade?",
        required=False,
        choices=[("yes", "Yes, I agree"), ("no", "No, I would grade it differently")],
        widget=GovukRadios(),
    )
    grade = forms.ChoiceField(
        label="Your grade (if you do not agree)",
        required=False,
        choices=Grade.choices,
        widget=GovukRadios(small=True),
    )
    comment = _text("Comment", help_text="Needed when you change the grade")

    @property
    def agree_value(self) -> bool | None:
        value = self.cleaned_data.get("agree")
        return None if not value else value == "yes"


class ImprovementActionForm(forms.Form):
    description = _text("What will be improved", rows=4)
    owner_agency = forms.ChoiceField(label="Owning agency", required=False)
    owner = forms.ChoiceField(label="Named owner", required=False)
    due_date = GovukDateField(label="Due date", required=False, error_name="The due date")

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["owner_agency"]
        owner = self.fields["owner"]
        assert isinstance(agency, forms.ChoiceField) and isinstance(owner, forms.ChoiceField)
        agency.choices = [("", "None")] + [(str(a.pk), a.name) for a in hub.agencies.all()]
        people = User.objects.filter(agency__hub=hub, is_active=True).order_by(
            "last_name", "first_name"
        )
        owner.choices = [("", "None")] + [
            (str(u.pk), f"{u.display_name} ({u.job_title or u.username})") for u in people
        ]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=ImprovementStatus.choices, widget=GovukRadios(inline=True)
    )


class RatingForm(forms.Form):
    explained = _answer("Was the decision explained clearly?")
    timely = _answer("Was the feedback timely?")
    comment = _text(
        "Anything else you want to tell us (optional)",
        help_text="Please do not include names or other details of the family.",
    )


class FamilyFeedbackForm(forms.Form):
    """The public form: plain words, a few questions, nothing about anyone's case."""

    respondent = forms.ChoiceField(
        label="Who is filling in this form?",
        required=False,
        choices=Respondent.choices,
        widget=GovukRadios(),
    )
    listened = _answer("Did you feel listened to?")
    understood = _answer("Did we explain what would happen next?")
    helped = _answer("Has our help made things better?")
    comments = _text(
        "Is there anything else you want to tell us? (optional)",
        help_text="Please do not write your name, address or anyone else's name.",
        rows=4,
    )
    # Left empty by people; filled in by most bots. Hidden from everyone (see the template).
    website = forms.CharField(required=False, label="Leave this empty")


class FamilyRecordForm(FamilyFeedbackForm):
    """A worker records a family's feedback for them."""

    respondent = forms.ChoiceField(
        label="Whose feedback is this?",
        required=False,
        choices=Respondent.choices,
        widget=GovukRadios(),
    )
    listened = _answer("Did they feel listened to?")
    understood = _answer("Did we explain what would happen next?")
    helped = _answer("Has our help made things better?")
    comments = _text("What they said, in their words (optional)", rows=4)
    contact_reference = forms.CharField(
        label="Contact reference (optional)",
        required=False,
        max_length=20,
        help_text="Links the feedback to the contact, for example NS-2025-000123",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["website"]


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=StepKind.choices,
        widget=GovukRadios(
            inline=True,
        ),
    )
    title = forms.CharField(label="Name", required=False, max_length=200)
    description = _text("Description (optional)", rows=2)


class OutcomeForm(forms.Form):
    title = forms.CharField(label="Outcome", required=False, max_length=200)
    description = _text("Description (optional)", rows=2)
    leads_from = forms.MultipleChoiceField(
        label="What leads to it",
        required=False,
        widget=GovukCheckboxes(small=True),
        help_text="The activities and outputs that bring this outcome about",
    )
    source = forms.ChoiceField(
        label="How is it measured?",
        required=False,
        choices=IndicatorSource.choices,
        widget=GovukRadios(),
    )
    indicator_key = forms.ChoiceField(
        label="Figure (if computed)",
        required=False,
        choices=[("", "Choose a figure")]
        + sorted(((k, i.label) for k, i in INDICATORS.items()), key=lambda c: c[1]),
    )
    indicator_name = forms.CharField(
        label="Indicator name (if recorded by hand)", required=False, max_length=200
    )
    unit = forms.ChoiceField(
        label="Recorded as",
        required=False,
        choices=[("%", "A percentage"), ("", "A number")],
        widget=GovukRadios(inline=True),
        initial="%",
    )
    target = forms.FloatField(
        label="Target (optional)",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, steps: list[ChangeStep], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["leads_from"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(s.pk), f"{s.get_kind_display()}: {s.title}") for s in steps]


class IndicatorValueForm(forms.Form):
    month = forms.ChoiceField(label="Month", required=False)
    value = forms.FloatField(
        label="Value",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def __init__(self, *args: Any, months: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["month"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a month"), *months]
