"""Every role x every sensitive field x both surfaces that replay the audit trail (the audit
page and a contact's timeline, as page and API): a field appears only to a role that may see
it on the page the event describes (openmash/audit/disclosure.py)."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from openmash.contacts.models import Contact, PersonRole
from openmash.contacts.services import contact_person_correct
from openmash.decisions.services import (
    decision_propose,
    decision_sign_off,
    dissent_record,
    screening_record,
)
from openmash.testing.world import World, child_subject, contact_make

USERS = ["manager", "practitioner", "police", "referrer", "admin", "auditor", "analyst"]

# The text of each sensitive field, distinct from anything else the surfaces show.
FIELDS = {
    "address_old": "12 Mill Lane",
    "address_new": "7 Hideaway Close",
    "postcode_new": "ZZ9 9QQ",
    "correction_reason": "Told by the family support worker",
    "screening_rationale": "Rationale of screening kestrel",
    "decision_rationale": "Rationale of decision heron",
    "sign_off_note": "Note of sign-off osprey",
    "dissent_reason": "Reason of dissent plover",
}
ADDRESS = {"address_old", "address_new", "postcode_new"}
CASEWORK = set(FIELDS) - ADDRESS - {"correction_reason"}

# Who sees each field on the audit page: the manager everything; the auditor the casework but
# no address (nor a correction's reason, which says where the person lives); the administrator
# no casework at all. Roles without the audit trail see no page.
AUDIT_PAGE = {
    "manager": set(FIELDS),
    "auditor": CASEWORK,
    "admin": set(),
}
# The timeline shows reasons only (never a change's values): whole-contact roles see the
# reasons; the auditor not the correction's.
TIMELINE = {
    "manager": CASEWORK | {"correction_reason"},
    "practitioner": CASEWORK | {"correction_reason"},
    "auditor": CASEWORK,
}


@dataclass
class Scene:
    contact: Contact


def _scene(world: World) -> Scene:
    contact = contact_make(world.practitioner)
    mention = contact.people.get(role=PersonRole.SUBJECT)
    contact_person_correct(
        actor=world.practitioner,
        mention=mention,
        data=child_subject(
            address_line_1=FIELDS["address_new"],
            postcode=FIELDS["postcode_new"],
            address_confidential=True,
            date_of_birth=date(2016, 3, 14),
        ),
        reason=FIELDS["correction_reason"],
    )
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale=FIELDS["screening_rationale"],
    )
    decision = decision_sign_off(
        actor=world.manager,
        decision=decision_propose(
            actor=world.practitioner,
            contact=contact,
            outcome_code="early_help",
            level_of_need=2,
            rationale=FIELDS["decision_rationale"],
        ),
        note=FIELDS["sign_off_note"],
    )
    dissent_record(
        actor=world.police,
        decision=decision,
        reason=FIELDS["dissent_reason"],
        escalated_to="DI Smith",
    )
    return Scene(contact)


def _client(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users()[username])
    return client


def _audit_page(world: World, username: str, scene: Scene) -> str | None:
    response = _client(world, username).get(f"/audit?contact={scene.contact.pk}")
    return response.content.decode() if response.status_code == 200 else None


def _timeline_page(world: World, username: str, scene: Scene) -> str | None:
    response = _client(world, username).get(f"/contacts/{scene.contact.pk}")
    if response.status_code != 200:
        return None
    page = response.content.decode()
    marker = '<h2 class="govuk-heading-m">Timeline</h2>'
    return page.split(marker, 1)[1] if marker in page else ""


def _timeline_api(world: World, username: str, scene: Scene) -> str | None:
    response = _client(world, username).get(f"/api/v1/contacts/{scene.contact.pk}/timeline")
    return response.content.decode() if response.status_code == 200 else None


SURFACES = {
    "audit page": (_audit_page, AUDIT_PAGE),
    "timeline page": (_timeline_page, TIMELINE),
    "timeline API": (_timeline_api, TIMELINE),
}


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("username", USERS)
def test_each_field_shows_only_to_the_roles_that_may_see_it(
    world: World, username: str, surface: str
) -> None:
    scene = _scene(world)
    render, sees = SURFACES[surface]
    text = render(world, username, scene)
    if text is None:  # no access to the surface at all
        assert username not in sees
        return
    for field, value in FIELDS.items():
        expected = field in sees.get(username, set())
        assert (value in text) is expected, f"{username} / {field} on the {surface}"


def test_a_withheld_field_still_says_that_it_changed_and_that_a_reason_was_given(
    world: World,
) -> None:
    scene = _scene(world)
    admin = _audit_page(world, "admin", scene)
    auditor = _audit_page(world, "auditor", scene)
    assert admin is not None and auditor is not None
    for page in (admin, auditor):
        assert "address_line_1: changed (value not shown to your role)" in page
        assert "Reason: given (not shown to your role)" in page
    timeline = _timeline_page(world, "auditor", scene)
    assert timeline is not None and "Reason given (not shown to your role)" in timeline
