"""The audit trail's field-level rule, without a database."""

import pytest

from openmash.access.permissions import Permission, Role, permissions_for_roles
from openmash.audit.disclosure import WITHHELD_REASON, WITHHELD_VALUE, event_shown
from openmash.audit.models import AuditVerb

CORRECTION = {"address_line_1": ["12 Mill Lane", "7 Hideaway Close"], "given_name": ["A", "B"]}


def _shown(role: Role, verb: str, *, about_contact: bool = True) -> tuple[dict, str]:
    shown = event_shown(
        verb=verb,
        changes=CORRECTION,
        reason="why",
        about_contact=about_contact,
        permissions=permissions_for_roles([role]),
    )
    return {c.field: c.value for c in shown.changes}, shown.reason


@pytest.mark.parametrize(
    ("role", "address", "name", "reason"),
    [
        (Role.MANAGER, True, True, True),
        (Role.PRACTITIONER, True, True, True),
        (Role.AUDITOR, False, True, False),
        (Role.ADMIN, False, False, False),
        (Role.ANALYST, False, False, False),
    ],
)
def test_a_correction_shows_each_field_by_the_role(
    role: Role, address: bool, name: bool, reason: bool
) -> None:
    changes, why = _shown(role, AuditVerb.PERSON_CORRECTED)
    assert (changes["address_line_1"] != WITHHELD_VALUE) is address
    assert (changes["given_name"] != WITHHELD_VALUE) is name
    assert (why == "why") is reason and (why == WITHHELD_REASON) is not reason


def test_casework_reasons_need_the_whole_contact_but_not_a_confidential_address() -> None:
    for verb in (AuditVerb.SCREENING_RECORDED, AuditVerb.DECISION_SIGNED_OFF):
        assert _shown(Role.AUDITOR, verb)[1] == "why"
        assert _shown(Role.ADMIN, verb)[1] == WITHHELD_REASON
    assert _shown(Role.ADMIN, AuditVerb.PERSON_MERGED, about_contact=False)[1] == WITHHELD_REASON


def test_events_about_the_hub_itself_are_shown_to_every_reader_but_never_an_address() -> None:
    changes, why = _shown(Role.ADMIN, AuditVerb.USER_CHANGED, about_contact=False)
    assert why == "why" and changes["given_name"] == ["A", "B"]
    assert changes["address_line_1"] == WITHHELD_VALUE
    assert Permission.AUDIT_VIEW in permissions_for_roles([Role.ADMIN])
