"""What each user sees of a decision (one projection for the page and the API, with its
consultation log), the object gates for actions and dissents, form errors on the decision
page, and the four-eyes rule for sign-off."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from openmash.accounts.models import User
from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import Contact
from openmash.core.errors import PermissionDenied
from openmash.decisions.models import Action, Decision, DecisionStatus, Dissent, DissentStatus
from openmash.decisions.services import (
    SELF_SIGN_OFF,
    decision_propose,
    decision_sign_off,
    dissent_record,
)
from openmash.decisions.tests.scenes import (
    HEALTH_INFORMATION,
    POLICE_INFORMATION,
    action_for,
    client_for,
    police_answered,
    proposed_decision,
    screened,
    second_manager,
    signed_decision,
)
from openmash.testing.world import World

RATIONALE = "Disclosure of physical abuse and a police history of domestic abuse."
CHILDS_VOICE = "Amelia says she is scared when Lee shouts."
POLICE_ACTION = "Police to share the callout log with the social worker."
HEALTH_ACTION = "Health visitor home visit within five days."
POLICE_DISSENT = "The domestic abuse history means a strategy discussion is needed."
HEALTH_DISSENT = "Health believes early help would be enough."


@dataclass
class Decided:
    contact: Contact
    decision: Decision
    police_action: Action
    health_action: Action
    police_dissent: Dissent
    health_dissent: Dissent


def decided(world: World) -> Decided:
    """Police and health asked and answered; a signed s17 decision with an action for each,
    and a disagreement from each."""
    contact = screened(world)
    police_answered(world, contact)
    decision = signed_decision(
        world,
        contact,
        rationale=RATIONALE,
        childs_voice=CHILDS_VOICE,
        actions=[
            action_for(world, "police", POLICE_ACTION),
            action_for(world, "health", HEALTH_ACTION),
        ],
    )
    police_dissent = dissent_record(
        actor=world.police, decision=decision, reason=POLICE_DISSENT, escalated_to="DI Smith"
    )
    health_dissent = dissent_record(
        actor=world.health, decision=decision, reason=HEALTH_DISSENT, escalated_to="Named nurse"
    )
    actions = {a.owner_agency.code: a for a in decision.actions.select_related("owner_agency")}
    return Decided(
        contact, decision, actions["police"], actions["health"], police_dissent, health_dissent
    )


def views_logged(user: User, decision: Decision) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            verb=AuditVerb.DECISION_VIEWED, actor=user, target_id=str(decision.pk)
        )
    )


# -- The projection ---------------------------------------------------------------------------


def test_a_researcher_gets_the_outcome_and_only_their_own_agencys_part_through_the_api(
    world: World,
) -> None:
    scene = decided(world)
    response = client_for(world.police).get(f"/api/v1/decisions/{scene.decision.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "s17"
    assert body["status"] == "signed_off"
    assert body["level_of_need"] == 3
    assert body["signed_off_at"] is not None
    assert body["rationale"] is None
    assert body["childs_voice"] is None
    assert [a["description"] for a in body["actions"]] == [POLICE_ACTION]
    assert [d["reason"] for d in body["dissents"]] == [POLICE_DISSENT]
    raw = response.content.decode()
    for secret in (RATIONALE, CHILDS_VOICE, HEALTH_ACTION, HEALTH_DISSENT, HEALTH_INFORMATION):
        assert secret not in raw
    # The read is in the consultation log, marked as the researcher's partial view.
    [event] = views_logged(world.police, scene.decision)
    assert event.changes == {"whole": False}
    assert event.contact_id == scene.contact.pk


def test_mash_staff_get_the_whole_decision_and_the_read_is_logged(world: World) -> None:
    scene = decided(world)
    body = client_for(world.practitioner).get(f"/api/v1/decisions/{scene.decision.pk}").json()
    assert body["rationale"] == RATIONALE
    assert body["childs_voice"] == CHILDS_VOICE
    assert {a["description"] for a in body["actions"]} == {POLICE_ACTION, HEALTH_ACTION}
    assert {d["reason"] for d in body["dissents"]} == {POLICE_DISSENT, HEALTH_DISSENT}
    [event] = views_logged(world.practitioner, scene.decision)
    assert event.changes == {"whole": True}


def test_the_decision_page_shows_a_researcher_the_same_projection(world: World) -> None:
    scene = decided(world)
    page = client_for(world.health).get(reverse("decisions:detail", args=[scene.decision.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Child and family assessment (section 17)" in html
    assert HEALTH_ACTION in html
    assert HEALTH_DISSENT in html
    for secret in (RATIONALE, CHILDS_VOICE, POLICE_ACTION, POLICE_DISSENT, POLICE_INFORMATION):
        assert secret not in html
    assert "Your agency's actions" in html
    assert world.manager.display_name not in html  # who signed it off is MASH business
    # Logged once, with the decision verb (not as a contact read).
    assert len(views_logged(world.health, scene.decision)) == 1
    assert not AuditEvent.objects.filter(verb=AuditVerb.CONTACT_VIEWED, actor=world.health).exists()

    manager_html = (
        client_for(world.manager)
        .get(reverse("decisions:detail", args=[scene.decision.pk]))
        .content.decode()
    )
    for shown in (RATIONALE, CHILDS_VOICE, POLICE_ACTION, HEALTH_ACTION, POLICE_DISSENT):
        assert shown in manager_html
    assert len(views_logged(world.manager, scene.decision)) == 1


def test_decision_reads_stay_out_of_the_contact_timeline(world: World) -> None:
    scene = decided(world)
    client_for(world.police).get(f"/api/v1/decisions/{scene.decision.pk}")
    timeline = client_for(world.practitioner).get(f"/api/v1/contacts/{scene.contact.pk}/timeline")
    assert "Decision viewed" not in [item["label"] for item in timeline.json()]


def test_the_list_of_a_contacts_decisions_uses_the_projection(world: World) -> None:
    scene = decided(world)
    body = client_for(world.manager).get(f"/api/v1/contacts/{scene.contact.pk}/decisions").json()
    assert [d["rationale"] for d in body] == [RATIONALE]
    listed = AuditEvent.objects.filter(verb=AuditVerb.CONTACT_LISTED, actor=world.manager).last()
    assert listed is not None
    assert listed.changes == {"decisions": [str(scene.decision.pk)]}


# -- Object gates for actions and dissents ------------------------------------------------------


def test_actions_and_dissents_of_another_agency_are_not_found(world: World) -> None:
    scene = decided(world)
    police = client_for(world.police)
    # Another agency's items: as if they did not exist.
    assert (
        police.post(
            f"/api/v1/actions/{scene.health_action.pk}/status",
            {"status": "done"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        police.post(
            f"/api/v1/dissents/{scene.health_dissent.pk}/resolve",
            {"resolution": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        police.post(
            reverse("decisions:action-status", args=[scene.health_action.pk]),
            {f"action-{scene.health_action.pk}-status": "done"},
        ).status_code
        == 404
    )
    assert (
        police.post(
            reverse("decisions:dissent-resolve", args=[scene.health_dissent.pk]),
            {f"resolve-{scene.health_dissent.pk}-resolution": "x"},
        ).status_code
        == 404
    )
    # Their own: visible, but not theirs to change.
    assert (
        police.post(
            f"/api/v1/actions/{scene.police_action.pk}/status",
            {"status": "done"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        police.post(
            reverse("decisions:dissent-resolve", args=[scene.police_dissent.pk]),
            {f"resolve-{scene.police_dissent.pk}-resolution": "x"},
        ).status_code
        == 403
    )
    # An unknown id is the same 404.
    unknown = "00000000-0000-4000-8000-000000000000"
    assert (
        police.post(
            f"/api/v1/actions/{unknown}/status", {"status": "done"}, content_type="application/json"
        ).status_code
        == 404
    )
    scene.health_action.refresh_from_db()
    scene.police_dissent.refresh_from_db()
    assert scene.health_action.status == "open"
    assert scene.police_dissent.status == DissentStatus.OPEN


def test_actions_of_a_proposal_are_not_yet_agreed(world: World) -> None:
    contact = screened(world)
    decision = proposed_decision(
        world, contact, actions=[action_for(world, "health", HEALTH_ACTION)]
    )
    action = decision.actions.get()
    response = client_for(world.practitioner).post(
        f"/api/v1/actions/{action.pk}/status", {"status": "done"}, content_type="application/json"
    )
    assert response.status_code == 409
    action.refresh_from_db()
    assert action.status == "open"


# -- Form errors on the decision page: shown, and nothing saved --------------------------------


def _writes(decision: Decision) -> int:
    from openmash.audit.models import READ_VERBS

    return (
        AuditEvent.objects.filter(contact_id=decision.contact_id)
        .exclude(verb__in=[v.value for v in READ_VERBS])
        .count()
    )


def test_a_too_long_or_nul_note_does_not_sign_off(world: World) -> None:
    contact = screened(world)
    decision = proposed_decision(world, contact)
    before = _writes(decision)
    manager = client_for(world.manager)
    url = reverse("decisions:sign-off", args=[decision.pk])

    response = manager.post(url, {"sign-off-note": "x" * 6000})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "The note must be 5000 characters or fewer" in html
    assert 'href="#id_sign-off-note"' in html

    response = manager.post(url, {"sign-off-note": "Agreed\x00 at the meeting"})
    assert response.status_code == 422
    assert "The note must not contain null characters" in response.content.decode()

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED
    assert decision.sign_off_note == ""
    assert _writes(decision) == before


def test_invalid_return_dissent_resolution_and_status_are_refused(world: World) -> None:
    contact = screened(world)
    police_answered(world, contact)
    proposal = proposed_decision(world, contact)
    manager = client_for(world.manager)
    response = manager.post(
        reverse("decisions:return", args=[proposal.pk]), {"return-note": "y" * 5001}
    )
    assert response.status_code == 422
    assert "The reason must be 5000 characters or fewer" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == DecisionStatus.PROPOSED

    response = client_for(world.police).post(
        reverse("decisions:dissent", args=[proposal.pk]),
        {"dissent-reason": "z" * 10001, "dissent-escalated_to": "DI Smith"},
    )
    assert response.status_code == 422
    assert "The reason must be 10000 characters or fewer" in response.content.decode()
    assert not Dissent.objects.exists()

    decision = decision_sign_off(actor=world.manager, decision=proposal)
    dissent = dissent_record(
        actor=world.police, decision=decision, reason="We disagree.", escalated_to="DI Smith"
    )
    response = manager.post(
        reverse("decisions:dissent-resolve", args=[dissent.pk]),
        {f"resolve-{dissent.pk}-resolution": "Resolved\x00"},
    )
    assert response.status_code == 422
    assert "The resolution must not contain null characters" in response.content.decode()
    dissent.refresh_from_db()
    assert (dissent.status, dissent.resolution) == (DissentStatus.OPEN, "")


def test_an_unknown_action_status_is_shown_on_the_page(world: World) -> None:
    contact = screened(world)
    decision = signed_decision(world, contact, actions=[action_for(world, "health", "Visit.")])
    action = decision.actions.get()
    response = client_for(world.practitioner).post(
        reverse("decisions:action-status", args=[action.pk]), {f"action-{action.pk}-status": "x"}
    )
    assert response.status_code == 422
    assert "Choose open, done or cancelled" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"


# -- Four eyes: the proposer never signs off --------------------------------------------------


def test_a_manager_cannot_sign_off_their_own_proposal(world: World) -> None:
    contact = screened(world)
    decision = decision_propose(
        actor=world.manager,
        contact=contact,
        outcome_code="s17",
        primary_need_code="N1",
        level_of_need=3,
        rationale="Needs an assessment.",
    )
    with pytest.raises(PermissionDenied, match=SELF_SIGN_OFF):
        decision_sign_off(actor=world.manager, decision=decision)

    manager = client_for(world.manager)
    page = manager.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "a different manager must sign it off" in page
    assert reverse("decisions:sign-off", args=[decision.pk]) not in page
    assert reverse("decisions:return", args=[decision.pk]) in page  # may still withdraw it

    response = manager.post(reverse("decisions:sign-off", args=[decision.pk]), {})
    assert response.status_code == 403
    assert SELF_SIGN_OFF in response.content.decode()
    api = manager.post(
        f"/api/v1/decisions/{decision.pk}/sign-off", {}, content_type="application/json"
    )
    assert api.status_code == 403
    assert api.json()["detail"] == SELF_SIGN_OFF
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED

    other = client_for(second_manager(world))
    response = other.post(reverse("decisions:sign-off", args=[decision.pk]), {})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED_OFF
