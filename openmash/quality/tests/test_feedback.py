"""Feedback loops: referrers rate the feedback they were sent (signed in, or with the
single-use link from the e-mail); families give feedback on a public form or through a
worker; the summary beside the monitoring figures."""

import re
from collections.abc import Callable
from typing import Any
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import Contact
from openmash.decisions.models import Feedback
from openmash.decisions.services import feedback_send
from openmash.decisions.tests.scenes import client_for, screened, signed_decision
from openmash.quality.models import FamilyFeedback, RatingInvite, ReferrerRating
from openmash.quality.services import family_feedback_record
from openmash.testing.world import World

RATING = {"explained": "yes", "timely": "partly", "comment": "Clear, a day late."}
FAMILY = {
    "respondent": "young_person",
    "listened": "yes",
    "understood": "partly",
    "helped": "yes",
    "comments": "They listened.",
}


def sent(world: World, **overrides: Any) -> Feedback:
    contact = screened(world, **overrides)
    signed_decision(world, contact)
    return feedback_send(actor=world.practitioner, contact=contact)


def test_a_signed_in_referrer_rates_only_their_own_feedback(world: World) -> None:
    contact = screened(world)
    Contact.objects.filter(pk=contact.pk).update(submitted_by=world.referrer)
    signed_decision(world, contact)
    feedback = feedback_send(actor=world.practitioner, contact=contact)
    other = sent(world)  # recorded by a practitioner: not the referrer's own

    referrer = client_for(world.referrer)
    mine = referrer.get(reverse("contacts:mine")).content.decode()
    url = reverse("quality:rate", args=[feedback.pk])
    assert url in mine
    assert referrer.get(reverse("quality:rate", args=[other.pk])).status_code == 404
    for name in ("practitioner", "police", "auditor"):
        response = client_for(getattr(world, name)).get(url)
        assert response.status_code in (403, 404), name

    response = referrer.post(url, {"explained": "", "timely": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Say whether the decision was explained clearly" in html
    assert "Say whether the feedback was timely" in html
    assert not ReferrerRating.objects.exists()

    assert referrer.post(url, RATING).status_code == 302
    rating = ReferrerRating.objects.get()
    assert (rating.explained, rating.timely, rating.rated_by) == ("yes", "partly", world.referrer)
    event = AuditEvent.objects.get(verb=AuditVerb.FEEDBACK_RECEIVED)
    assert event.contact_id == contact.pk
    # One rating per feedback.
    assert "already rated" in referrer.get(url).content.decode()
    assert referrer.post(url, RATING).status_code == 200
    assert ReferrerRating.objects.count() == 1


def test_an_external_referrer_rates_once_with_the_link_in_the_email(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        feedback = sent(world)
    body = str(mail.outbox[0].body)
    match = re.search(r"/rate-feedback/([A-Za-z0-9_-]+)", body)
    assert match, body
    token = match.group(1)
    assert len(token) >= 40
    invite = RatingInvite.objects.get(feedback=feedback)
    assert invite.token_hash != token  # only a hash is kept
    assert feedback.contact.reference not in match.group(0)

    public = Client()
    url = reverse("quality:rate-link", args=[token])
    page = public.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Was the decision explained clearly?" in html
    assert feedback.contact.reference not in html
    assert public.get(reverse("quality:rate-link", args=["not-a-token"])).status_code == 404

    assert public.post(url, {"explained": "no"}).status_code == 422
    assert not ReferrerRating.objects.exists()
    response = public.post(url, RATING)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    rating = ReferrerRating.objects.get()
    assert rating.channel == "email_link" and rating.rated_by is None
    # Single use.
    assert public.get(url).status_code == 404
    assert public.post(url, RATING).status_code == 404
    assert ReferrerRating.objects.count() == 1
    invite.refresh_from_db()
    assert invite.used_at is not None


def test_a_rating_link_expires(world: World) -> None:
    from datetime import timedelta

    from openmash.quality.services import RATING_LINK_LIFETIME, rating_invite_issue

    feedback = sent(world)
    token = rating_invite_issue(feedback=feedback)
    url = reverse("quality:rate-link", args=[token])
    assert Client().get(url).status_code == 200
    RatingInvite.objects.update(
        created_at=timezone.now() - RATING_LINK_LIFETIME - timedelta(minutes=1)
    )
    assert Client().get(url).status_code == 404
    assert Client().post(url, RATING).status_code == 404
    assert not ReferrerRating.objects.exists()


def test_the_public_family_form(world: World) -> None:
    cache.clear()
    url = reverse("quality:have-your-say", args=[world.hub.pk])
    public = Client()
    page = public.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("Who is filling in this form?", "Did you feel listened to?"):
        assert label in html

    response = public.post(url, {"comments": "x" * 2001})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose who is giving the feedback" in html
    assert "Say whether you felt listened to" in html
    assert "2,000 characters or fewer" in html
    assert not FamilyFeedback.objects.exists()

    response = public.post(url, FAMILY)
    assert response.status_code == 302
    feedback = FamilyFeedback.objects.get()
    assert (feedback.channel, feedback.contact, feedback.recorded_by) == ("online", None, None)
    assert AuditEvent.objects.filter(verb=AuditVerb.FEEDBACK_RECEIVED).count() == 1

    # A bot filling the hidden field is thanked and nothing is kept.
    public.post(url, FAMILY | {"website": "http://spam.example"})
    assert FamilyFeedback.objects.count() == 1
    # Rate limited: a few an hour from one address.
    statuses = [public.post(url, FAMILY).status_code for _ in range(6)]
    assert statuses[-1] == 429
    assert FamilyFeedback.objects.count() < 6
    assert (
        public.get(reverse("quality:have-your-say", args=[world.agencies["mash"].pk])).status_code
        == 404
    )
    cache.clear()


def test_the_public_family_form_survives_its_rate_limit_window_expiring(world: World) -> None:
    cache.clear()
    url = reverse("quality:have-your-say", args=[world.hub.pk])
    # The window's key expires between adding it and counting: a fresh window starts.
    with mock.patch.object(cache, "incr", side_effect=ValueError("Key not found")):
        response = Client().post(url, FAMILY)
    assert response.status_code == 302
    assert FamilyFeedback.objects.count() == 1
    cache.clear()


def test_a_worker_records_a_familys_feedback_against_a_contact(world: World) -> None:
    contact = screened(world)
    url = reverse("quality:feedback-record")
    practitioner = client_for(world.practitioner)
    response = practitioner.post(url, FAMILY | {"contact_reference": "NOPE-1"})
    assert response.status_code == 422
    assert "There is no contact with this reference" in response.content.decode()
    assert not FamilyFeedback.objects.exists()
    response = practitioner.post(url, FAMILY | {"contact_reference": contact.reference})
    assert response.status_code == 302
    feedback = FamilyFeedback.objects.get()
    assert (feedback.channel, feedback.contact, feedback.recorded_by) == (
        "worker",
        contact,
        world.practitioner,
    )
    event = AuditEvent.objects.get(verb=AuditVerb.FEEDBACK_RECEIVED)
    assert event.contact_id == contact.pk
    for name in ("auditor", "analyst", "referrer", "police"):
        assert client_for(getattr(world, name)).get(url).status_code == 403, name


def test_the_summary_handles_small_numbers_and_sits_beside_the_figures(world: World) -> None:
    for n in range(6):
        family_feedback_record(
            actor=None,
            hub=world.hub,
            respondent="parent_carer",
            listened="yes" if n < 3 else "no",
            understood="yes",
            helped="partly",
        )
    url = reverse("quality:feedback")
    page = client_for(world.manager).get(url).content.decode()
    assert "6 responses" in page
    assert "50% said yes (3 of 6)" in page
    assert "No responses" in page  # no referrer ratings yet
    assert reverse("quality:have-your-say", args=[world.hub.pk]) in page
    analyst = client_for(world.analyst).get(url)
    assert analyst.status_code == 200
    assert "What people said" not in analyst.content.decode()  # free text is for QA staff
    assert client_for(world.referrer).get(url).status_code == 403
    csv = client_for(world.analyst).get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "Families: felt listened to" in csv.content.decode("utf-8-sig")

    family_feedback_record(
        actor=None,
        hub=world.hub,
        respondent="child",
        listened="yes",
        understood="yes",
        helped="yes",
    )
    today = timezone.localdate()
    period = {"start_day": 1, "start_month": today.month, "start_year": today.year}
    period |= {"end_day": today.day, "end_month": today.month, "end_year": today.year}
    dashboard = client_for(world.analyst).get(reverse("reporting:dashboard"), period)
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert "Feedback about the service" in html
    assert "57% said yes (4 of 7)" in html


def test_the_client_address_comes_from_the_trusted_proxys_header_when_configured() -> None:
    from django.test import RequestFactory, override_settings

    from openmash.quality.views import client_address

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    assert client_address(request) == "10.0.0.2"  # no proxy configured: the connection's
    with override_settings(OPENMASH_CLIENT_IP_HEADER="X-Forwarded-For"):
        # The rightmost entry is the one the trusted proxy added; earlier ones can be forged.
        assert client_address(request) == "198.51.100.7"
        bare = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
        assert client_address(bare) == "10.0.0.2"
