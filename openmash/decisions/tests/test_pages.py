"""Screening, decision, sign-off, dissent, action and feedback pages through HTTP."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from openmash.decisions.models import (
    Action,
    Decision,
    DecisionStatus,
    Dissent,
    Feedback,
    Screening,
)
from openmash.decisions.services import decision_propose, decision_sign_off
from openmash.decisions.tests.scenes import (
    POLICE_INFORMATION,
    REFUGE,
    client_for,
    police_answered,
    screened,
    signed_decision,
)
from openmash.testing.world import World, child_subject, contact_make


def date_fields(name: str, day: Any) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def proposal(**extra: str) -> dict[str, str]:
    data = {
        "outcome": "s17",
        "primary_need_code": "N1",
        "level_of_need": "3",
        "action_rows": "3",
        "rationale": "Injury with a disclosure and police history of domestic abuse.",
        "childs_voice": "Amelia says she is scared when Lee shouts.",
    }
    data.update(extra)
    return data


# -- Screening ------------------------------------------------------------------------------


def test_screening_without_a_rationale_is_refused_and_nothing_is_saved(world: World) -> None:
    contact = contact_make(world.practitioner)
    practitioner = client_for(world.practitioner)
    page = practitioner.get(reverse("decisions:screen", args=[contact.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Screen the contact" in html
    assert "Significant harm: child protection (section 47)." in html  # level hints

    response = practitioner.post(
        reverse("decisions:screen", args=[contact.pk]),
        {"outcome": "mash_enquiry", "level_of_need": "3", "rag": "red"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "Enter the rationale for this rating" in html
    assert 'href="#id_rationale"' in html
    assert not Screening.objects.exists()
    contact.refresh_from_db()
    assert contact.stage == "screening"
    assert contact.rag == ""


def test_rerating_keeps_the_history(world: World) -> None:
    contact = screened(world)
    practitioner = client_for(world.practitioner)
    url = reverse("decisions:screen", args=[contact.pk])
    page = practitioner.get(url).content.decode()
    assert "Re-rate the contact" in page
    assert "Injury with a disclosure." in page

    response = practitioner.post(
        url,
        {
            "outcome": "mash_enquiry",
            "level_of_need": "4",
            "rag": "red",
            "rationale": "New information: the child is frightened to go home.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])
    rows = list(contact.screenings.order_by("recorded_at"))
    assert [(s.rag, s.is_rerating) for s in rows] == [("amber", False), ("red", True)]
    contact.refresh_from_db()
    assert contact.rag == "red"
    assert contact.level_of_need == 4
    history = practitioner.get(url).content.decode()
    assert "Injury with a disclosure." in history
    assert "the child is frightened to go home" in history


# -- Proposing and signing off -------------------------------------------------------------


def test_propose_with_an_action_then_manager_signs_off(world: World) -> None:
    contact = screened(world)
    police_answered(world, contact)
    practitioner = client_for(world.practitioner)
    url = reverse("decisions:propose", args=[contact.pk])
    page = practitioner.get(url).content.decode()
    assert "Child and family assessment (section 17)" in page
    assert 'name="action_2_description"' in page

    due = timezone.localdate() + timedelta(days=7)
    response = practitioner.post(
        url,
        proposal(
            action_0_owner_agency=str(world.agencies["police"].pk),
            action_0_description="Share the domestic abuse history with the social worker.",
            **date_fields("action_0_due_date", due),
        ),
    )
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])
    decision = Decision.objects.get(contact=contact)
    assert decision.status == DecisionStatus.PROPOSED
    assert decision.childs_voice == "Amelia says she is scared when Lee shouts."
    action = decision.actions.get()
    assert (action.owner_agency, action.due_date) == (world.agencies["police"], due)

    manager = client_for(world.manager)
    detail = manager.get(reverse("decisions:detail", args=[decision.pk]))
    assert detail.status_code == 200
    assert "Sign off the decision" in detail.content.decode()
    response = manager.post(
        reverse("decisions:sign-off", args=[decision.pk]),
        {"sign-off-note": "Agreed at the daily meeting."},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED_OFF
    assert decision.signed_off_by == world.manager
    assert decision.sign_off_note == "Agreed at the daily meeting."


def test_action_errors_land_on_the_right_row(world: World) -> None:
    contact = screened(world)
    practitioner = client_for(world.practitioner)
    url = reverse("decisions:propose", args=[contact.pk])
    # Row 1 left empty; row 2 has no due date; row 3 is due in the past.
    response = practitioner.post(
        url,
        proposal(
            rationale="",
            action_1_owner_agency=str(world.agencies["health"].pk),
            action_1_description="Health visitor home visit.",
            action_2_owner_agency=str(world.agencies["education"].pk),
            action_2_description="School to monitor attendance.",
            **date_fields("action_2_due_date", timezone.localdate() - timedelta(days=1)),
        ),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the rationale for the decision" in html
    assert "Action 2: enter the date the action is due" in html
    assert 'href="#id_action_1_due_date_day"' in html
    assert "Action 3: the action&#x27;s due date must be today or later" in html
    assert 'href="#id_action_2_due_date_day"' in html
    assert not Decision.objects.exists()

    # A row without its agency says so (and never crashes on the empty id).
    response = practitioner.post(
        url,
        proposal(
            action_0_description="Visit.",
            **date_fields("action_0_due_date", timezone.localdate() + timedelta(days=1)),
        ),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Action 1: choose the agency that owns this action" in html
    assert 'href="#id_action_0_owner_agency"' in html

    # A date that is not a real date is caught before the service is asked.
    response = practitioner.post(
        url,
        proposal(
            **{
                "action_0_owner_agency": str(world.agencies["health"].pk),
                "action_0_description": "Visit.",
                "action_0_due_date_day": "31",
                "action_0_due_date_month": "2",
                "action_0_due_date_year": "2030",
            }
        ),
    )
    assert response.status_code == 422
    assert "The action&#x27;s due date must be a real date" in response.content.decode()


def test_add_another_action_row_without_javascript(world: World) -> None:
    contact = screened(world)
    response = client_for(world.practitioner).post(
        reverse("decisions:propose", args=[contact.pk]),
        proposal(add_action="1", action_0_description="Keep me"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action_3_description"' in html
    assert "Keep me" in html
    assert not Decision.objects.exists()


def test_practitioner_cannot_sign_off(world: World) -> None:
    contact = screened(world)
    decision = decision_propose(
        actor=world.practitioner,
        contact=contact,
        outcome_code="s17",
        primary_need_code="N1",
        level_of_need=3,
        rationale="Needs an assessment.",
    )
    practitioner = client_for(world.practitioner)
    page = practitioner.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "Sign off the decision" not in page
    response = practitioner.post(reverse("decisions:sign-off", args=[decision.pk]), {})
    assert response.status_code in (403, 404)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_manager_returns_a_proposal_with_a_reason(world: World) -> None:
    contact = screened(world)
    decision = decision_propose(
        actor=world.practitioner,
        contact=contact,
        outcome_code="nfa",
        level_of_need=1,
        rationale="Nothing more to do.",
    )
    manager = client_for(world.manager)
    url = reverse("decisions:return", args=[decision.pk])
    response = manager.post(url, {"return-note": ""})
    assert response.status_code == 422
    assert "Explain why the decision is being returned" in response.content.decode()
    response = manager.post(url, {"return-note": "The police history needs weighing."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RETURNED
    # Returned twice: the page says why it cannot be done.
    again = manager.post(reverse("decisions:sign-off", args=[decision.pk]), {})
    assert again.status_code == 409
    assert "Only a proposed decision can be signed off." in again.content.decode()


def test_a_signed_decision_is_superseded_not_edited(world: World) -> None:
    contact = screened(world)
    old = signed_decision(world, contact, outcome="early_help")
    manager = client_for(world.manager)
    page = manager.get(reverse("decisions:detail", args=[old.pk])).content.decode()
    assert "cannot be changed" in page
    assert reverse("decisions:propose", args=[contact.pk]) in page
    assert "Sign off the decision" not in page
    assert reverse("decisions:sign-off", args=[old.pk]) not in page

    new_page = manager.get(reverse("decisions:propose", args=[contact.pk])).content.decode()
    assert "Record a new decision" in new_page
    practitioner = client_for(world.practitioner)
    response = practitioner.post(reverse("decisions:propose", args=[contact.pk]), proposal())
    assert response.status_code == 302
    new = Decision.objects.get(contact=contact, status=DecisionStatus.PROPOSED)
    assert new.supersedes == old
    # Only one proposal may wait for sign-off.
    response = manager.post(reverse("decisions:propose", args=[contact.pk]), proposal())
    assert response.status_code == 409
    assert "already awaiting sign-off" in response.content.decode()

    assert manager.post(reverse("decisions:sign-off", args=[new.pk]), {}).status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (DecisionStatus.SUPERSEDED, DecisionStatus.SIGNED_OFF)
    old_page = manager.get(reverse("decisions:detail", args=[old.pk])).content.decode()
    assert "has been superseded" in old_page
    assert reverse("decisions:detail", args=[new.pk]) in old_page


# -- Dissent and actions -------------------------------------------------------------------


def test_police_researcher_records_dissent(world: World) -> None:
    contact = screened(world)
    police_request = police_answered(world, contact)
    decision = signed_decision(world, contact)
    police = client_for(world.police)

    # The researcher reaches the decision from their own request's page.
    request_page = police.get(reverse("enquiries:detail", args=[police_request.pk]))
    assert reverse("decisions:detail", args=[decision.pk]) in request_page.content.decode()
    page = police.get(reverse("decisions:detail", args=[decision.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Record your agency's disagreement" in html
    assert "Missed three health visitor appointments" not in html  # health's answer
    assert "Sign off" not in html

    url = reverse("decisions:dissent", args=[decision.pk])
    response = police.post(url, {"dissent-reason": "", "dissent-escalated_to": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Explain why your agency disagrees" in html
    assert 'href="#id_dissent-reason"' in html
    assert not Dissent.objects.exists()

    response = police.post(
        url,
        {
            "dissent-reason": "The domestic abuse history means a strategy discussion is needed.",
            "dissent-escalated_to": "Detective Inspector, MASH police team",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("enquiries:queue")
    dissent = Dissent.objects.get()
    assert dissent.agency == world.agencies["police"]
    assert dissent.raised_by == world.police

    # The manager sees it and resolves it.
    manager = client_for(world.manager)
    assert (
        "strategy discussion is needed"
        in manager.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    )
    resolve = reverse("decisions:dissent-resolve", args=[dissent.pk])
    assert police.post(resolve, {f"resolve-{dissent.pk}-resolution": "x"}).status_code == 403
    response = manager.post(resolve, {f"resolve-{dissent.pk}-resolution": ""})
    assert response.status_code == 422
    response = manager.post(
        resolve,
        {
            f"resolve-{dissent.pk}-resolution": "Strategy discussion held; outcome stands.",
        },
    )
    assert response.status_code == 302
    dissent.refresh_from_db()
    assert dissent.status == "resolved"


def test_an_agency_not_asked_cannot_open_the_decision(world: World) -> None:
    contact = screened(world)
    police_answered(world, contact)
    decision = signed_decision(world, contact)
    education = client_for(world.education)
    assert education.get(reverse("decisions:detail", args=[decision.pk])).status_code == 404
    response = education.post(
        reverse("decisions:dissent", args=[decision.pk]),
        {"dissent-reason": "No", "dissent-escalated_to": "Someone"},
    )
    assert response.status_code == 404


def test_action_status_is_updated_on_the_decision_page(world: World) -> None:
    contact = screened(world)
    decision = decision_propose(
        actor=world.practitioner,
        contact=contact,
        outcome_code="s17",
        primary_need_code="N1",
        level_of_need=3,
        rationale="Needs an assessment.",
        actions=[_action(world, "Health visitor home visit.")],
    )
    decision_sign_off(actor=world.manager, decision=decision)
    action = Action.objects.get()
    practitioner = client_for(world.practitioner)
    page = practitioner.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert reverse("decisions:action-status", args=[action.pk]) in page
    url = reverse("decisions:action-status", args=[action.pk])
    response = practitioner.post(url, {f"action-{action.pk}-status": "done"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    response = practitioner.post(url, {f"action-{action.pk}-status": "eaten"})
    assert response.status_code == 422


def _action(world: World, description: str) -> Any:
    from openmash.decisions.services import ActionInput

    return ActionInput(
        owner_agency_id=str(world.agencies["health"].pk),
        description=description,
        due_date=timezone.localdate() + timedelta(days=3),
    )


# -- Feedback to the referrer --------------------------------------------------------------


def test_feedback_sends_the_outcome_but_never_agency_information_or_a_safe_address(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    contact = screened(
        world,
        people=[
            child_subject(address_line_1=REFUGE, postcode="NT9 9ZZ", address_confidential=True),
        ],
    )
    police_answered(world, contact)
    decision = signed_decision(world, contact)
    practitioner = client_for(world.practitioner)
    url = reverse("decisions:feedback", args=[contact.pk])

    page = practitioner.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "sam.teacher@school.example" in html
    assert decision.outcome.label in html
    assert POLICE_INFORMATION not in html
    assert REFUGE not in html

    response = practitioner.post(url, {"message": f"The child is safe at {REFUGE} now."})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "The message must not contain a confidential address" in html
    assert 'href="#id_message"' in html
    response = practitioner.post(url, {"message": f"Police told us: {POLICE_INFORMATION}"})
    assert response.status_code == 422
    assert "information supplied by Northshire Police" in response.content.decode()
    assert not Feedback.objects.exists()
    assert mail.outbox == []

    composed = f"Decision for {contact.reference}: {decision.outcome.label}. Thank you."
    # Issue 11: the note on a contact with a confidential address waits for a manager.
    response = practitioner.post(url, {"message": composed})
    assert response.status_code == 302
    assert response["Location"] == url
    assert mail.outbox == []
    held = Feedback.all_objects.get(contact=contact)
    approval = reverse("decisions:feedback-approval", args=[held.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.manager).post(approval, {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sam.teacher@school.example"]
    assert decision.outcome.label in email.body
    assert POLICE_INFORMATION not in email.body
    assert "arrested" not in email.body
    assert REFUGE not in email.body
    assert "NT9 9ZZ" not in email.body

    # Sent once: the page shows what was sent and no longer offers to send it again.
    again = practitioner.get(url).content.decode()
    assert "Feedback already sent" in again
    assert 'name="message"' not in again
    assert practitioner.post(url, {"message": composed}).status_code == 409


def test_the_standard_feedback_message_is_sent_when_left_as_it_is(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    contact = screened(world)
    decision = signed_decision(world, contact)
    practitioner = client_for(world.practitioner)
    url = reverse("decisions:feedback", args=[contact.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = practitioner.post(url, {"message": ""})
    assert response.status_code == 302
    assert decision.outcome.label in mail.outbox[0].body
    assert "confidential" in mail.outbox[0].body


def test_feedback_waits_for_a_signed_decision(world: World) -> None:
    contact = screened(world)
    practitioner = client_for(world.practitioner)
    url = reverse("decisions:feedback", args=[contact.pk])
    page = practitioner.get(url).content.decode()
    assert "after a decision has been signed off" in page
    assert practitioner.post(url, {"message": "Hello"}).status_code == 409
    assert client_for(world.auditor).get(url).status_code == 403
