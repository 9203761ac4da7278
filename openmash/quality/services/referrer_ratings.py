"""Referrer ratings: a referrer rates the feedback (decisions' message to the referrer) they
were sent, signed in or through the single-use link in the feedback e-mail. Not families'
feedback about the service (family_feedback.py)."""

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import Conflict, NotFound
from openmash.core.validation import FieldProblems
from openmash.decisions.models import Feedback
from openmash.decisions.scopes import feedback_get_for_user
from openmash.quality.models import Answer, RatingChannel, RatingInvite, ReferrerRating

from .limits import MAX_COMMENT

if TYPE_CHECKING:
    from openmash.accounts.models import User

# A rating link works for this long after its e-mail: long enough for a busy referrer, and a
# link found in an old mailbox years later opens nothing.
RATING_LINK_LIFETIME = timedelta(days=60)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def referrer_rating_invite_issue(*, feedback: Feedback) -> str:
    """A fresh single-use token for the rating link in a feedback e-mail (an e-mail sent
    again gets a new one; the old stops working). Only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        RatingInvite.objects.filter(feedback=feedback).delete()
        invite = RatingInvite.objects.create(feedback=feedback, token_hash=_token_hash(token))
        audit_record(
            actor=None,
            verb=AuditVerb.QUALITY_CHANGED,
            target=invite,
            hub_id=feedback.contact.hub_id,
            changes={"rating_invite": "issued", "feedback": str(feedback.pk)},
        )
    return token


def referrer_rating_invite_find(token: str) -> RatingInvite:
    """The unused, unexpired invite for a token, or NotFound (unknown, used, expired, or the
    feedback already rated another way)."""
    invite = (
        RatingInvite.objects.filter(
            token_hash=_token_hash(token or ""),
            used_at__isnull=True,
            created_at__gte=timezone.now() - RATING_LINK_LIFETIME,
        )
        .select_related("feedback", "feedback__contact")
        .first()
    )
    if invite is None or ReferrerRating.objects.filter(feedback=invite.feedback).exists():
        raise NotFound("This link has been used or is not valid")
    return invite


def referrer_rating_link(*, feedback: Feedback) -> str:
    """The absolute link for a feedback e-mail (OPENMASH_SITE_URL is the service's address)."""
    site = settings.OPENMASH_SITE_URL.rstrip("/")
    token = referrer_rating_invite_issue(feedback=feedback)
    return site + reverse("quality:rate-link", args=[token])


def _rating_problems(explained: str, timely: str, comment: str) -> FieldProblems:
    problems = FieldProblems()
    if explained not in Answer.values:
        problems.add("explained", "Say whether the decision was explained clearly")
    if timely not in Answer.values:
        problems.add("timely", "Say whether the feedback was timely")
    problems.check_length("comment", comment, MAX_COMMENT, "Your comment")
    return problems


def _rated_feedback(
    actor: "User | None", feedback_id: str | None, token: str | None
) -> tuple[Feedback, str, "User | None", RatingInvite | None]:
    """The feedback being rated, the channel, the rater (none by link) and the invite used."""
    if token is not None:
        invite = referrer_rating_invite_find(token)
        return invite.feedback, RatingChannel.EMAIL_LINK, None, invite
    if actor is None or feedback_id is None:
        raise NotFound("Feedback not found")
    feedback = feedback_get_for_user(actor, feedback_id)
    if feedback.contact.submitted_by_id != actor.pk:
        raise NotFound("Feedback not found")  # only the referrer who sent it rates it
    return feedback, RatingChannel.SIGNED_IN, actor, None


def referrer_rating_record(
    *,
    actor: "User | None",
    explained: str,
    timely: str,
    comment: str = "",
    feedback_id: str | None = None,
    token: str | None = None,
) -> ReferrerRating:
    """A referrer rates the feedback they were sent: signed in (their own referrals only), or
    with the single-use token from the e-mail (no sign-in). One rating per feedback."""
    comment = comment.strip()
    with transaction.atomic():
        feedback, channel, rater, invite = _rated_feedback(actor, feedback_id, token)
        _rating_problems(explained, timely, comment).raise_if_any()
        try:
            with transaction.atomic():
                rating = ReferrerRating.objects.create(
                    hub_id=feedback.contact.hub_id,
                    feedback=feedback,
                    explained=explained,
                    timely=timely,
                    comment=comment,
                    channel=channel,
                    rated_by=rater,
                    rated_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise Conflict("This feedback has already been rated. Thank you.") from exc
        if invite is not None:
            invite.used_at = rating.rated_at
            invite.save(update_fields=["used_at", "updated_at"])
        RatingInvite.objects.filter(feedback=feedback, used_at__isnull=True).update(
            used_at=rating.rated_at
        )
        audit_record(
            actor=rater,
            verb=AuditVerb.FEEDBACK_RECEIVED,
            target=rating,
            hub_id=feedback.contact.hub_id,
            contact_id=feedback.contact_id,
            changes={"explained": explained, "timely": timely, "channel": channel},
        )
    return rating


def referrer_rating_exists(feedback_id: UUID | str) -> bool:
    return ReferrerRating.objects.filter(feedback_id=feedback_id).exists()


# The names callers used before referrer ratings were named apart from families' feedback.
rating_invite_issue = referrer_rating_invite_issue
rating_invite_find = referrer_rating_invite_find
rating_link = referrer_rating_link
