"""The intake form, shared by two journeys:

- a practitioner recording a phone, e-mail or police-notification contact (``new``), and
- an external referrer's own form (``refer``): the same, less the referrer's identity, the
  source and the time received, which the service fills from the signed-in referrer.

People are a list of person blocks without JavaScript: the form starts with two blocks and an
"Add another person" submit button re-renders it with one more. Blank blocks (after the first)
are ignored. The service (`contact_create`) owns every business rule; this form only parses
input, and maps the service's errors (``people.N.field``) back onto the right block and field.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from openmash.core.standards import (
    DISABILITIES,
    ETHNICITIES,
    REFERRAL_SOURCES,
    SEXES,
    concern_choices,
)
from openmash.hubs.models import Hub
from openmash.people.fields import PERSON_FIELDS  # one person block, in the order shown
from openmash.web.forms import (
    GovukCheckboxes,
    GovukDateField,
    GovukDateTimeField,
    GovukRadios,
    error_summary_items,
)

from .models import (
    Channel,
    ContactPerson,
    FamilyAwareness,
    PersonKind,
    PersonRole,
    Relationship,
)
from .services import ContactInput, PersonInput

MAX_PEOPLE = 30  # the service's limit
INITIAL_PEOPLE = 2
ADD_PERSON = "add_person"

RECORDABLE_CHANNELS = [
    (c.value, c.label)
    for c in (
        Channel.PHONE,
        Channel.EMAIL,
        Channel.POLICE_NOTIFICATION,
        Channel.IN_PERSON,
        Channel.ONLINE_FORM,
    )
]
YES_NO = [("yes", "Yes"), ("no", "No")]

# Fields whose value alone does not make a block worth saving (they have defaults).
_DEFAULTED = {"role", "kind", "sex", "ethnicity"}

_NOT_KNOWN_WHEN_BLANK = {"sex", "ethnicity"}
_PERSON_ANCHOR = re.compile(r"^#id_people-(\d+)-")

# Service error keys that are not named like the form field.
_SERVICE_FIELD_NAMES = {"referrer_agency_id": "referrer_agency"}


def _text(label: str, max_length: int, *, hint: str = "", **widget_attrs: str) -> forms.CharField:
    """An optional text input with GOV.UK wording for its one possible error."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=hint,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
        widget=forms.TextInput(attrs=widget_attrs),
    )


def _textarea(label: str, max_length: int, *, hint: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=hint,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
        widget=forms.Textarea(attrs={"rows": str(rows)}),
    )


def _scope_hint(hub: Hub) -> str:
    if hub.accepts_children and hub.accepts_adults:
        return "A subject may be a child, an unborn child or an adult at risk."
    if hub.accepts_children:
        return "This hub takes contacts about children: a subject is a child or an unborn child."
    return "This hub takes contacts about adults at risk: a subject is an adult."


def person_fields(hub: Hub, index: int) -> dict[str, forms.Field]:
    """The fields of person block ``index`` (0-based)."""
    first = index == 0
    fields: dict[str, forms.Field] = {
        "role": forms.ChoiceField(
            label="Who is this person?",
            required=False,
            choices=PersonRole.choices,
            initial=PersonRole.SUBJECT if first else PersonRole.HOUSEHOLD,
            widget=GovukRadios(small=True),
        ),
        "kind": forms.ChoiceField(
            label="Child, unborn child or adult",
            required=False,
            choices=PersonKind.choices,
            initial=PersonKind.CHILD,
            help_text=_scope_hint(hub),
            widget=GovukRadios(inline=True, small=True),
        ),
        "relationship": forms.ChoiceField(
            label="Relationship to the subject",
            required=False,
            choices=[("", "Not applicable: this person is a subject"), *Relationship.choices],
            help_text="Household members and linked people only",
        ),
        "given_name": _text("Given name", 100, autocomplete="off", spellcheck="false"),
        "family_name": _text("Family name", 100, autocomplete="off", spellcheck="false"),
        "aliases": _text(
            "Other names", 300, hint="Any other names, separated by commas", autocomplete="off"
        ),
        "date_of_birth": GovukDateField(
            label="Date of birth",
            required=False,
            help_text="For example, 27 3 2016",
        ),
        "expected_date_of_birth": GovukDateField(
            label="Expected date of birth",
            required=False,
            help_text="Unborn child only. For example, 14 9 2026",
        ),
        "sex": forms.ChoiceField(
            label="Sex",
            required=False,
            choices=list(SEXES.items()),
            initial="U",
            widget=GovukRadios(inline=True, small=True),
        ),
        "ethnicity": forms.ChoiceField(
            label="Ethnicity", required=False, choices=list(ETHNICITIES.items()), initial="NOBT"
        ),
        "disabilities": forms.MultipleChoiceField(
            label="Disabilities (optional)",
            required=False,
            choices=list(DISABILITIES.items()),
            help_text="Select all that apply, or 'No disability'. Leave blank if not known.",
            widget=GovukCheckboxes(small=True),
        ),
        "address_line_1": _text("Address line 1", 200, autocomplete="off"),
        "address_line_2": _text("Address line 2 (optional)", 200, autocomplete="off"),
        "town": _text("Town or city", 100, autocomplete="off"),
        "postcode": _text("Postcode", 10, autocomplete="off", spellcheck="false"),
        "address_confidential": forms.BooleanField(
            label="Refuge or safe address: never disclosed",
            required=False,
            help_text="Only MASH staff who need it will see this address; it is never shared.",
        ),
        "nhs_number": _text(
            "NHS number",
            12,
            hint="10 digits, for example 485 777 3456",
            inputmode="numeric",
            spellcheck="false",
        ),
        "upn": _text(
            "Unique pupil number (UPN)",
            13,
            hint="A letter, 11 digits and a digit or letter",
            spellcheck="false",
        ),
    }
    fields["postcode"].widget.attrs["class"] = "govuk-input--width-10"
    fields["nhs_number"].widget.attrs["class"] = "govuk-input--width-10"
    fields["upn"].widget.attrs["class"] = "govuk-input--width-20"
    return fields


def person_field_name(index: int, name: str) -> str:
    return f"people-{index}-{name}"


@dataclass(frozen=True)
class PersonBlock:
    """One person block for the template: its number and its bound fields in order."""

    index: int
    number: int
    anchor: str
    fields: list[forms.BoundField]


class ContactForm(forms.Form):
    """Both intake journeys. ``referrer_journey=True`` leaves out what the service takes from
    the signed-in referrer (who they are, the source, the channel, the time received)."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        hub: Hub,
        referrer_journey: bool,
        **kwargs: Any,
    ) -> None:
        self.hub = hub
        self.referrer_journey = referrer_journey
        self.adding_person = bool(data is not None and ADD_PERSON in data)
        count = INITIAL_PEOPLE
        if data is not None:
            previous = count = _people_count(data.get("people_count"))
            if self.adding_person:
                count = min(count + 1, MAX_PEOPLE)
            mutable = data.copy() if hasattr(data, "copy") else dict(data)
            mutable["people_count"] = str(count)
            if count > previous:
                # A bound form ignores `initial`: give the new person the same defaults as the
                # others (otherwise the browser would submit the first ethnicity in the list).
                for name, field in person_fields(hub, previous).items():
                    if field.initial is not None:
                        mutable[person_field_name(previous, name)] = str(field.initial)
            data = mutable
        self.people_count = count
        # Which block each submitted person came from (set by `to_input`).
        self._submitted_blocks: list[int] = []
        super().__init__(data, **kwargs)
        self._add_contact_fields()
        for index in range(count):
            for name, field in person_fields(hub, index).items():
                self.fields[person_field_name(index, name)] = field

    # -- Building ---------------------------------------------------------------------------

    def _add_contact_fields(self) -> None:
        f = self.fields
        f["people_count"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        f["people_count"].initial = self.people_count
        if not self.referrer_journey:
            f["received_at"] = GovukDateTimeField(
                label="When was the contact received?",
                required=False,
                initial=timezone.localtime().replace(second=0, microsecond=0),
                help_text="For example, 27 3 2026 and 14:30. It cannot be in the future.",
            )
            f["channel"] = forms.ChoiceField(
                label="How was the contact received?",
                required=False,
                choices=RECORDABLE_CHANNELS,
                widget=GovukRadios(),
            )
            f["referrer_name"] = _text("Referrer's name", 200, autocomplete="off")
            f["referrer_role"] = _text("Referrer's role or job title", 200)
            f["referrer_organisation"] = _text("Referrer's organisation", 200)
            f["referrer_agency"] = forms.ChoiceField(
                label="Hub agency (optional)",
                required=False,
                choices=[
                    ("", "Not from a hub agency"),
                    *[(str(a.pk), a.name) for a in self.hub.agencies.order_by("name")],
                ],
                help_text="Choose the agency if the referrer works for one of the hub's agencies",
            )
            f["referrer_is_public"] = forms.BooleanField(
                label="The referrer is a member of the public", required=False
            )
            f["referrer_email"] = forms.EmailField(
                label="Referrer's email address (optional)",
                required=False,
                max_length=254,
                help_text="Feedback is sent here",
                error_messages={
                    "invalid": "Enter an email address in the correct format, like "
                    "name@example.com",
                    "max_length": "Email address must be 254 characters or fewer",
                },
                widget=forms.EmailInput(attrs={"autocomplete": "off"}),
            )
            f["referrer_phone"] = _text(
                "Referrer's phone number (optional)", 40, autocomplete="off", inputmode="tel"
            )
            f["referrer_phone"].widget.attrs["class"] = "govuk-input--width-20"
            f["source_code"] = forms.ChoiceField(
                label="Referral source",
                required=False,
                choices=[
                    ("", "Choose the referral source"),
                    *[(code, f"{code}: {label}") for code, label in REFERRAL_SOURCES.items()],
                ],
                help_text="The children in need census code for who made the contact",
            )
        f["concern_categories"] = forms.MultipleChoiceField(
            label="What are the concerns?",
            required=False,
            choices=concern_choices(),
            help_text="Select all that apply",
            widget=GovukCheckboxes(small=True),
        )
        f["concern_narrative"] = _textarea(
            "Describe the concern",
            20000,
            hint="What happened or what was seen or heard, when, and who told you. "
            "Use the person's own words where you can.",
            rows=8,
        )
        f["immediate_risk"] = forms.ChoiceField(
            label="Is anyone at immediate risk of harm?",
            choices=YES_NO,
            error_messages={"required": "Select yes if anyone is at immediate risk of harm"},
            help_text="If a child or adult is in immediate danger, call 999 as well",
            widget=GovukRadios(inline=True),
        )
        f["family_awareness"] = forms.ChoiceField(
            label="Does the family know about this contact, and do they agree to it?",
            required=False,
            choices=FamilyAwareness.choices,
            widget=GovukRadios(),
        )
        f["no_consent_reason"] = _textarea(
            "If the family has not been told or has not agreed, why not?",
            5000,
            hint="For example, telling them could put the child at risk",
            rows=3,
        )
        f["action_taken"] = _textarea(
            "What has already been done?"
            if self.referrer_journey
            else "What has the referrer already done?",
            5000,
            hint="For example, spoke to the child, called the police, told the GP",
            rows=3,
        )

    # -- Cleaning ---------------------------------------------------------------------------

    def full_clean(self) -> None:
        # "Add another person" re-shows what was typed, with one more block and no errors.
        if self.adding_person:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def _block_has_content(self, index: int) -> bool:
        for name in PERSON_FIELDS:
            if name in _DEFAULTED:
                continue
            field_name = person_field_name(index, name)
            value = self.fields[field_name].widget.value_from_datadict(
                self.data, self.files, self.add_prefix(field_name)
            )
            if isinstance(value, (list, tuple)):
                if any(str(v).strip() for v in value if v is not None):
                    return True
            elif isinstance(value, bool):
                if value:
                    return True
            elif value is not None and str(value).strip():
                return True
        kind = self.data.get(self.add_prefix(person_field_name(index, "kind")))
        return kind == PersonKind.UNBORN

    def submitted_blocks(self) -> list[int]:
        """The blocks to send to the service: the first always, others when filled in."""
        if not self.is_bound:
            return []
        return [i for i in range(self.people_count) if i == 0 or self._block_has_content(i)]

    def to_input(self) -> ContactInput:
        """The service's input, from whatever parsed (a field with an error counts as blank)."""
        data = getattr(self, "cleaned_data", {})

        def value(name: str, default: Any = "") -> Any:
            found = data.get(name)
            return default if found is None else found

        self._submitted_blocks = self.submitted_blocks()
        people = []
        for index in self._submitted_blocks:
            values = {name: value(person_field_name(index, name), None) for name in PERSON_FIELDS}
            # Sex and ethnicity left blank mean "not known"; a blank role or kind is for the
            # service to reject.
            people.append(
                PersonInput(
                    **{
                        name: v
                        for name, v in values.items()
                        if v is not None and not (name in _NOT_KNOWN_WHEN_BLANK and v == "")
                    }
                )
            )
        received_at: datetime | None = data.get("received_at")
        return ContactInput(
            channel=value("channel", Channel.ONLINE_FORM if self.referrer_journey else ""),
            referrer_name=value("referrer_name"),
            concern_narrative=value("concern_narrative"),
            family_awareness=value("family_awareness"),
            people=people,
            concern_categories=list(value("concern_categories", [])),
            source_code=value("source_code"),
            received_at=received_at,
            referrer_role=value("referrer_role"),
            referrer_organisation=value("referrer_organisation"),
            referrer_agency_id=value("referrer_agency") or None,
            referrer_is_public=bool(value("referrer_is_public", False)),
            referrer_email=value("referrer_email"),
            referrer_phone=value("referrer_phone"),
            immediate_risk=value("immediate_risk") == "yes",
            no_consent_reason=value("no_consent_reason"),
            action_taken=value("action_taken"),
        )

    def add_service_errors(
        self, errors: Mapping[str, Sequence[str]], *, only_known: bool = False
    ) -> None:
        """Put the service's errors on the fields they are about. ``people.N.field`` is the
        N-th submitted person (blank blocks are not submitted). With ``only_known``, errors
        about fields this form does not show, or that already have an error, are left out
        (used when checking a form that did not parse in full)."""
        for key, messages in errors.items():
            name = self._field_for(key)
            if name is None:
                if only_known:
                    continue
                for message in messages:
                    self.add_error(None, message)
                continue
            if only_known and name in self.errors:
                continue
            for message in messages:
                if message not in self.errors.get(name, []):
                    self.add_error(name, message)

    def _field_for(self, key: str) -> str | None:
        if key == "people":
            return person_field_name(0, "role")
        if key.startswith("people."):
            _, position, name = (key.split(".", 2) + ["", ""])[:3]
            blocks = self._submitted_blocks or self.submitted_blocks()
            if not position.isdigit() or int(position) >= len(blocks):
                return None
            candidate = person_field_name(blocks[int(position)], name)
        else:
            candidate = _SERVICE_FIELD_NAMES.get(key, key)
        return candidate if candidate in self.fields else None

    # -- Rendering --------------------------------------------------------------------------

    def person_blocks(self) -> list[PersonBlock]:
        return [
            PersonBlock(
                index=index,
                number=index + 1,
                anchor=f"person-{index + 1}",
                fields=[self[person_field_name(index, name)] for name in PERSON_FIELDS],
            )
            for index in range(self.people_count)
        ]

    def can_add_person(self) -> bool:
        return self.people_count < MAX_PEOPLE

    def next_person_anchor(self) -> str:
        return f"person-{self.people_count + 1}"

    def error_summary(self) -> list[dict[str, str]]:
        """The error summary's items, each person's errors prefixed with "Person N: "."""
        items = []
        for item in error_summary_items(self):
            match = _PERSON_ANCHOR.match(item["href"])
            text = f"Person {int(match[1]) + 1}: {item['text']}" if match else item["text"]
            items.append({"text": text, "href": item["href"]})
        return items


def _people_count(raw: object) -> int:
    try:
        count = int(str(raw))
    except (TypeError, ValueError):
        return INITIAL_PEOPLE
    return max(1, min(count, MAX_PEOPLE))


class PersonCorrectionForm(forms.Form):
    """Correct one person's details: the same questions as at intake, and why."""

    def __init__(self, *args: Any, hub: Hub, person: ContactPerson, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(person, name) for name in PERSON_FIELDS})
        super().__init__(*args, **kwargs)
        self.fields.update(person_fields(hub, 0))
        self.fields["reason"] = forms.CharField(
            label="Why are these details being corrected?",
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        values = {name: data.get(name) for name in PERSON_FIELDS}
        return PersonInput(
            **{
                name: v
                for name, v in values.items()
                if v is not None and not (name in _NOT_KNOWN_WHEN_BLANK and v == "")
            }
        )


class PoliceInformationReasonForm(forms.Form):
    """Why a user needs to read a contact's police information (DPA 2018 s.62)."""

    reason = forms.CharField(
        label="Why do you need to read the police information?",
        help_text="For example: to screen the contact, to prepare the strategy discussion.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you need to read the police information"},
    )
