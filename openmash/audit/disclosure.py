"""What a reader of the audit trail may see of one event: the one rule, used by the audit page
and every contact timeline (pure: no ORM, so it is tested without a database).

An event repeats what the pages it describes hold, so each field is shown by the same rules
as those pages (openmash.access.checks):

- A casework event (about a contact, or about the people in contacts): its values and its
  reason (screening and decision rationales, sign-off and return notes, dissent reasons,
  sharing and withdrawal reasons, merge and correction reasons) only to a role that sees the
  whole contact (``Permission.CONTACT_VIEW_HUB``). Any other reader (the hub administrator)
  learns that a field changed and that a reason was given, never the value or the text.
- Address fields, in any event, only to a role that may see confidential addresses
  (``Permission.CONTACT_VIEW_CONFIDENTIAL_ADDRESS``): the audit trail cannot know whether an
  old address was confidential at the time, so it withholds them all.
- The reason for correcting a person's details is withheld from a role that may not see
  confidential addresses: it typically says where the person now lives ("moved to the refuge
  at ..."), which is exactly what that role may not learn.
- Events about the hub itself (configuration, users, governance, exports, sign-ins) show
  their values and reasons to every reader of the trail: that is what an administrator
  audits."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from openmash.access.permissions import Permission

from .models import AuditVerb

# A person's address as the audit trail records it (old and new values of a correction).
ADDRESS_FIELDS = frozenset({"address_line_1", "address_line_2", "town", "postcode"})

# Casework events that carry no contact id (they are about the hub's people, across contacts).
CASEWORK_VERBS_WITHOUT_CONTACT = frozenset({AuditVerb.PERSON_MERGED, AuditVerb.PERSON_UNMERGED})

# Reasons that may describe where a person lives.
ADDRESS_BEARING_REASONS = frozenset({AuditVerb.PERSON_CORRECTED})

WITHHELD_VALUE = "changed (value not shown to your role)"
WITHHELD_REASON = "given (not shown to your role)"


def is_casework(*, verb: str, about_contact: bool) -> bool:
    return about_contact or verb in CASEWORK_VERBS_WITHOUT_CONTACT


def change_value_shown(
    *, verb: str, field: str, about_contact: bool, permissions: frozenset[Permission]
) -> bool:
    """May a reader with ``permissions`` see the value (old and new) of ``field``?"""
    if field in ADDRESS_FIELDS and Permission.CONTACT_VIEW_CONFIDENTIAL_ADDRESS not in permissions:
        return False
    if is_casework(verb=verb, about_contact=about_contact):
        return Permission.CONTACT_VIEW_HUB in permissions
    return True


def reason_shown(*, verb: str, about_contact: bool, permissions: frozenset[Permission]) -> bool:
    """May a reader with ``permissions`` read the text of the event's reason?"""
    if (
        verb in ADDRESS_BEARING_REASONS
        and Permission.CONTACT_VIEW_CONFIDENTIAL_ADDRESS not in permissions
    ):
        return False
    if is_casework(verb=verb, about_contact=about_contact):
        return Permission.CONTACT_VIEW_HUB in permissions
    return True


@dataclass(frozen=True)
class ShownChange:
    field: str
    value: object  # the recorded value, or WITHHELD_VALUE
    withheld: bool


@dataclass(frozen=True)
class ShownEvent:
    changes: tuple[ShownChange, ...]
    reason: str  # the text, WITHHELD_REASON, or "" when none was given
    reason_withheld: bool


def event_shown(
    *,
    verb: str,
    changes: Mapping[str, object],
    reason: str,
    about_contact: bool,
    permissions: Iterable[Permission],
) -> ShownEvent:
    """One event as a reader with ``permissions`` may see it."""
    held = frozenset(permissions)
    shown = []
    for name, value in changes.items():
        visible = change_value_shown(
            verb=verb, field=name, about_contact=about_contact, permissions=held
        )
        shown.append(ShownChange(name, value if visible else WITHHELD_VALUE, not visible))
    if not reason:
        return ShownEvent(tuple(shown), "", False)
    if reason_shown(verb=verb, about_contact=about_contact, permissions=held):
        return ShownEvent(tuple(shown), reason, False)
    return ShownEvent(tuple(shown), WITHHELD_REASON, True)
