"""Family feedback: a child's, young person's or parent's view of the help they got, from the
public form or recorded by a worker. Not the feedback a referrer is sent (decisions) nor a
referrer's rating of it (referrer_ratings.py)."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.models import Contact
from openmash.contacts.scopes import contacts_visible_to
from openmash.core.errors import PermissionDenied
from openmash.core.validation import FieldProblems
from openmash.hubs.models import Hub
from openmash.quality.models import Answer, FamilyChannel, FamilyFeedback, Respondent

if TYPE_CHECKING:
    from openmash.accounts.models import User

MAX_FAMILY_COMMENTS = 2000
QUESTIONS = (
    ("listened", "Say whether you felt listened to"),
    ("understood", "Say whether we explained what would happen"),
    ("helped", "Say whether our help made things better"),
)


def _answer_problems(respondent: str, answers: dict[str, str], comments: str) -> FieldProblems:
    problems = FieldProblems()
    if respondent not in Respondent.values:
        problems.add("respondent", "Choose who is giving the feedback")
    for field, message in QUESTIONS:
        if answers[field] not in Answer.values:
            problems.add(field, message)
    problems.check_length("comments", comments, MAX_FAMILY_COMMENTS, "Your comments")
    return problems


def _linked_contact(
    actor: "User | None", reference: str, problems: FieldProblems
) -> Contact | None:
    """The contact a worker links the feedback to (by reference, among those they can open)."""
    if not reference:
        return None
    if actor is None:
        raise PermissionDenied("Only a worker links feedback to a contact.")
    contact = contacts_visible_to(actor).filter(reference=reference).first()
    if contact is None:
        problems.add("contact_reference", "There is no contact with this reference")
    return contact


def family_feedback_record(
    *,
    actor: "User | None",
    hub: Hub,
    respondent: str,
    listened: str,
    understood: str,
    helped: str,
    comments: str = "",
    contact_reference: str = "",
) -> FamilyFeedback:
    """A child's, young person's or parent's feedback: from the public form (no actor), or
    recorded by a worker on their behalf, optionally against a contact they can open."""
    if actor is not None:
        require(actor, Permission.FEEDBACK_RECORD)
        require_same_hub(actor, hub.pk, "Hub not found")
    comments = comments.strip()
    answers = {"listened": listened, "understood": understood, "helped": helped}
    problems = _answer_problems(respondent, answers, comments)
    contact = _linked_contact(actor, contact_reference.strip().upper(), problems)
    problems.raise_if_any()
    with transaction.atomic():
        feedback = FamilyFeedback.objects.create(
            hub=hub,
            respondent=respondent,
            listened=listened,
            understood=understood,
            helped=helped,
            comments=comments,
            channel=FamilyChannel.WORKER if actor is not None else FamilyChannel.ONLINE,
            contact=contact,
            recorded_by=actor,
            received_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.FEEDBACK_RECEIVED,
            target=feedback,
            hub_id=hub.pk,
            contact_id=contact.pk if contact else None,
            changes={"respondent": respondent, "channel": feedback.channel},
        )
    return feedback
