"""Every service that takes an object refuses an actor of another hub, in one shared way.

The stranger below belongs to another hub and holds every role, so only the hub check can stop
them: each service must answer NotFound (as for a missing object: existence is not leaked
across hubs) and write nothing (no row, no audit event). `test_every_service_taking_an_object_
has_a_case` finds the services by introspection, so a new one without a case here fails."""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone

import openmash
from openmash.access.permissions import Role
from openmash.accounts.models import User
from openmash.contacts.models import Contact, ContactPerson
from openmash.core.errors import NotFound
from openmash.decisions.models import Decision
from openmash.decisions.tests.scenes import ask, proposed_decision, screened, signed_decision
from openmash.testing.world import World, child_subject, contact_make, user_of_another_hub

Act = Callable[[], object]
Case = Callable[[World, User], Act]
CASES: dict[str, Case] = {}


def case(name: str) -> Callable[[Case], Case]:
    def register(fn: Case) -> Case:
        CASES[name] = fn
        return fn

    return register


def stranger_of_another_hub() -> User:
    return user_of_another_hub("south.everything", [r.value for r in Role])


def subject_of(contact: Contact) -> ContactPerson:
    mention = contact.people.get(role="subject")
    assert mention.person_id is not None
    return mention


def decided_with_action(world: World) -> Decision:
    from openmash.decisions.services import ActionInput

    contact = screened(world)
    return signed_decision(
        world,
        contact,
        actions=[
            ActionInput(
                owner_agency_id=str(world.agencies["police"].pk),
                description="Visit",
                due_date=timezone.localdate() + timedelta(days=3),
            )
        ],
    )


# -- accounts ----------------------------------------------------------------------------------


@case("accounts.token_revoke")
def _token_revoke(world: World, stranger: User) -> Act:
    from openmash.accounts.services import token_issue, token_revoke

    _, token = token_issue(user=world.practitioner)
    return lambda: token_revoke(actor=stranger, token=token)


@case("accounts.user_create")
def _user_create(world: World, stranger: User) -> Act:
    from openmash.accounts.services import user_create

    return lambda: user_create(
        actor=stranger,
        username="planted.user",
        first_name="Planted",
        last_name="User",
        email="planted@example.org",
        agency=world.agencies["police"],
        roles=["researcher"],
        password="a-long-enough-password-9",
    )


@case("accounts.user_update")
def _user_update(world: World, stranger: User) -> Act:
    from openmash.accounts.services import user_update

    return lambda: user_update(
        actor=stranger, user=world.practitioner, roles=["practitioner"], active=False
    )


# -- contacts ----------------------------------------------------------------------------------


@case("contacts.contact_person_correct")
def _contact_person_correct(world: World, stranger: User) -> Act:
    from openmash.contacts.services import contact_person_correct

    mention = subject_of(contact_make(world.practitioner))
    return lambda: contact_person_correct(
        actor=stranger, mention=mention, data=child_subject(given_name="Amy"), reason="Typo"
    )


# -- decisions ---------------------------------------------------------------------------------


@case("decisions.screening_record")
def _screening_record(world: World, stranger: User) -> Act:
    from openmash.decisions.services import screening_record

    contact = contact_make(world.practitioner)
    return lambda: screening_record(
        actor=stranger,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Rated.",
    )


@case("decisions.decision_propose")
def _decision_propose(world: World, stranger: User) -> Act:
    from openmash.decisions.services import decision_propose

    contact = screened(world)
    return lambda: decision_propose(
        actor=stranger,
        contact=contact,
        outcome_code="s17",
        level_of_need=3,
        rationale="Needs an assessment.",
        primary_need_code="N1",
    )


@case("decisions.decision_sign_off")
def _decision_sign_off(world: World, stranger: User) -> Act:
    from openmash.decisions.services import decision_sign_off

    decision = proposed_decision(world, screened(world))
    return lambda: decision_sign_off(actor=stranger, decision=decision)


@case("decisions.decision_return")
def _decision_return(world: World, stranger: User) -> Act:
    from openmash.decisions.services import decision_return

    decision = proposed_decision(world, screened(world))
    return lambda: decision_return(actor=stranger, decision=decision, note="Ask health first.")


@case("decisions.dissent_record")
def _dissent_record(world: World, stranger: User) -> Act:
    from openmash.decisions.services import dissent_record

    decision = signed_decision(world, screened(world))
    return lambda: dissent_record(
        actor=stranger, decision=decision, reason="Disagree.", escalated_to="Head"
    )


@case("decisions.dissent_resolve")
def _dissent_resolve(world: World, stranger: User) -> Act:
    from openmash.decisions.services import dissent_record, dissent_resolve

    decision = signed_decision(world, screened(world))
    dissent = dissent_record(
        actor=world.police, decision=decision, reason="Disagree.", escalated_to="Head"
    )
    return lambda: dissent_resolve(actor=stranger, dissent=dissent, resolution="Agreed.")


@case("decisions.action_update_status")
def _action_update_status(world: World, stranger: User) -> Act:
    from openmash.decisions.services import action_update_status

    action = decided_with_action(world).actions.get()
    return lambda: action_update_status(actor=stranger, action=action, status="done")


@case("decisions.feedback_send")
def _feedback_send(world: World, stranger: User) -> Act:
    from openmash.decisions.services import feedback_send

    contact = screened(world)
    signed_decision(world, contact)
    return lambda: feedback_send(actor=stranger, contact=contact)


@case("decisions.feedback_email_resend")
def _feedback_email_resend(world: World, stranger: User) -> Act:
    from openmash.decisions.services import feedback_email_resend, feedback_send

    contact = screened(world)
    signed_decision(world, contact)
    feedback = feedback_send(actor=world.practitioner, contact=contact)
    return lambda: feedback_email_resend(actor=stranger, feedback=feedback)


@case("decisions.referral_progress_record")
def _referral_progress_record(world: World, stranger: User) -> Act:
    from openmash.decisions.services import ReferralProgressInput, referral_progress_record

    contact = screened(world)
    signed_decision(world, contact)
    return lambda: referral_progress_record(
        actor=stranger,
        contact=contact,
        data=ReferralProgressInput(assessment_started_on=timezone.localdate()),
    )


# -- enquiries ---------------------------------------------------------------------------------


@case("enquiries.ledger_record")
def _ledger_record(world: World, stranger: User) -> Act:
    from openmash.enquiries.services import ledger_record

    contact = screened(world)
    return lambda: ledger_record(
        actor=stranger,
        contact=contact,
        shared=True,
        what="Outcome",
        from_agency=world.agencies["mash"],
        to="School",
        why="Support the child",
    )


@case("enquiries.requests_create")
def _requests_create(world: World, stranger: User) -> Act:
    from openmash.enquiries.services import requests_create

    contact = screened(world)
    return lambda: requests_create(
        actor=stranger, contact=contact, agency_ids=[str(world.agencies["police"].pk)]
    )


@case("enquiries.request_answer")
def _request_answer(world: World, stranger: User) -> Act:
    from openmash.enquiries.services import request_answer

    request = ask(world, screened(world), "police")["police"]
    return lambda: request_answer(actor=stranger, request=request, result="not_known")


@case("enquiries.requests_withdraw")
def _requests_withdraw(world: World, stranger: User) -> Act:
    from openmash.enquiries.services import requests_withdraw

    contact = screened(world)
    ask(world, contact, "police")
    return lambda: requests_withdraw(actor=stranger, contact=contact, reason="Sent in error.")


@case("enquiries.sharing_decision_record")
def _sharing_decision_record(world: World, stranger: User) -> Act:
    from openmash.enquiries.services import sharing_decision_record

    contact = screened(world)
    return lambda: sharing_decision_record(
        actor=stranger,
        contact=contact,
        shared=False,
        what="Police information",
        to="School",
        why="Not necessary",
        lawful_basis="public_task_safeguarding",
    )


# -- governance --------------------------------------------------------------------------------


def _document(world: World) -> Any:
    from openmash.governance.services import document_version_create

    today = timezone.localdate()
    return document_version_create(
        actor=world.manager,
        hub=world.hub,
        kind="information_sharing",
        version_label="9",
        title="Information-sharing agreement",
        body="# Purpose",
        effective_from=today,
        review_by=today + timedelta(days=365),
    )


@case("governance.definition_update")
def _definition_update(world: World, stranger: User) -> Act:
    from openmash.governance.services import definition_update

    return lambda: definition_update(
        actor=stranger,
        hub=world.hub,
        purpose="P",
        who_may_be_referred="Children",
        scope="children",
        working_arrangement="co_located",
    )


@case("governance.leadership_role_save")
def _leadership_role_save(world: World, stranger: User) -> Act:
    from openmash.governance.services import leadership_role_save

    return lambda: leadership_role_save(
        actor=stranger,
        hub=world.hub,
        agency=world.agencies["police"],
        title="Lead",
        person_name="P",
        responsibilities="R",
    )


@case("governance.leadership_role_remove")
def _leadership_role_remove(world: World, stranger: User) -> Act:
    from openmash.governance.models import LeadershipRole
    from openmash.governance.services import leadership_role_remove

    role = LeadershipRole.objects.create(
        hub=world.hub,
        agency=world.agencies["police"],
        title="Lead",
        person_name="P",
        responsibilities="R",
    )
    return lambda: leadership_role_remove(actor=stranger, role=role)


@case("governance.agency_save")
def _agency_save(world: World, stranger: User) -> Act:
    from openmash.governance.services import agency_save

    police = world.agencies["police"]
    return lambda: agency_save(
        actor=stranger,
        hub=world.hub,
        agency=police,
        name="Renamed",
        agency_type=police.agency_type,
        participation=police.participation,
        referral_source_code=police.referral_source_code,
    )


@case("governance.document_version_create")
def _document_version_create(world: World, stranger: User) -> Act:
    from openmash.governance.services import document_version_create

    today = timezone.localdate()
    return lambda: document_version_create(
        actor=stranger,
        hub=world.hub,
        kind="information_sharing",
        version_label="9",
        title="ISA",
        effective_from=today,
        review_by=today + timedelta(days=365),
    )


@case("governance.document_sign")
def _document_sign(world: World, stranger: User) -> Act:
    from openmash.governance.services import document_sign

    version = _document(world)
    return lambda: document_sign(actor=stranger, version=version, agency=world.agencies["police"])


@case("governance.document_publish")
def _document_publish(world: World, stranger: User) -> Act:
    from openmash.governance.services import document_publish

    version = _document(world)
    return lambda: document_publish(actor=stranger, version=version)


@case("governance.threshold_version_publish")
def _threshold_version_publish(world: World, stranger: User) -> Act:
    from openmash.governance.services import threshold_version_publish

    return lambda: threshold_version_publish(
        actor=stranger,
        hub=world.hub,
        version_label="9",
        effective_from=timezone.localdate(),
        red_criteria="R",
        amber_criteria="A",
        green_criteria="G",
        levels=[],
    )


@case("governance.funding_record")
def _funding_record(world: World, stranger: User) -> Act:
    from openmash.governance.services import funding_record

    return lambda: funding_record(
        actor=stranger,
        hub=world.hub,
        agency=world.agencies["police"],
        financial_year=2026,
        amount_pence=100,
        staff=[],
    )


# -- hubs --------------------------------------------------------------------------------------


@case("hubs.hub_settings_update")
def _hub_settings_update(world: World, stranger: User) -> Act:
    from openmash.hubs.services import hub_settings_update

    return lambda: hub_settings_update(
        actor=stranger,
        hub=world.hub,
        working_hours=world.hub.working_hours,
        bank_holiday_region=world.hub.bank_holiday_region,
        timescales=[],
    )


@case("hubs.hub_levels_update")
def _hub_levels_update(world: World, stranger: User) -> Act:
    from openmash.hubs.services import hub_levels_update

    return lambda: hub_levels_update(actor=stranger, hub=world.hub, levels=[])


@case("hubs.hub_outcomes_update")
def _hub_outcomes_update(world: World, stranger: User) -> Act:
    from openmash.hubs.services import hub_outcomes_update

    return lambda: hub_outcomes_update(actor=stranger, hub=world.hub, outcomes=[])


# -- people ------------------------------------------------------------------------------------


@case("people.match_review")
def _match_review(world: World, stranger: User) -> Act:
    from openmash.people.services import match_review

    mention = subject_of(contact_make(world.practitioner))
    return lambda: match_review(
        actor=stranger,
        mention=mention,
        candidate_key=f"person:{mention.person_id}",
        probability=0.9,
        decision="confirmed",
    )


def _two_people(world: World) -> tuple[Any, Any]:
    first = subject_of(contact_make(world.practitioner)).person
    second = subject_of(
        contact_make(
            world.practitioner,
            people=[child_subject(given_name="Zed", family_name="Other", nhs_number="")],
        )
    ).person
    assert first is not None and second is not None and first.pk != second.pk
    return first, second


@case("people.person_merge")
def _person_merge(world: World, stranger: User) -> Act:
    from openmash.people.services import person_merge

    first, second = _two_people(world)
    return lambda: person_merge(actor=stranger, merged=first, into=second, reason="Same child")


@case("people.person_unmerge")
def _person_unmerge(world: World, stranger: User) -> Act:
    from openmash.people.services import person_merge, person_unmerge

    first, second = _two_people(world)
    merge = person_merge(actor=world.manager, merged=first, into=second, reason="Same child")
    return lambda: person_unmerge(actor=stranger, merge=merge, reason="Not the same")


@case("people.index_load")
def _index_load(world: World, stranger: User) -> Act:
    from openmash.people.index_csv import parse_index_text
    from openmash.people.services import index_load

    parsed = parse_index_text(
        "agency_record_id,given_name,family_name,date_of_birth,postcode\n"
        "P1,Amelia,Hartley,2016-03-14,NT1 4AB\n"
    )
    return lambda: index_load(
        actor=stranger, agency=world.agencies["police"], parsed=parsed, source="test"
    )


@case("people.index_load_require")
def _index_load_require(world: World, stranger: User) -> Act:
    from openmash.people.services import index_load_require

    return lambda: index_load_require(actor=stranger, agency=world.agencies["police"])


@case("people.match_model_train")
def _match_model_train(world: World, stranger: User) -> Act:
    from openmash.people.services import match_model_train

    return lambda: match_model_train(actor=stranger, hub=world.hub)


# -- quality -----------------------------------------------------------------------------------


@case("quality.case_file_audit_criterion_save")
def _criterion_save(world: World, stranger: User) -> Act:
    from openmash.quality.services import criterion_save

    return lambda: criterion_save(actor=stranger, hub=world.hub, code="voice", question="Voice?")


@case("quality.sample_draw")
def _sample_draw(world: World, stranger: User) -> Act:
    from openmash.quality.services import sample_draw

    today = timezone.localdate()
    return lambda: sample_draw(
        actor=stranger,
        hub=world.hub,
        period_start=today - timedelta(days=30),
        period_end=today - timedelta(days=3),
        size=1,
        method="random",
        seed=1,
    )


@case("quality.case_file_audit_record")
def _case_audit_record(world: World, stranger: User) -> Act:
    from openmash.quality.services import case_audit_record
    from openmash.quality.tests.scenes import criteria, drawn

    criteria(world)
    item = drawn(world, 1).items.get()
    return lambda: case_audit_record(actor=stranger, item=item, grades={}, overall_grade="good")


@case("quality.case_file_audit_moderate")
def _case_audit_moderate(world: World, stranger: User) -> Act:
    from openmash.quality.services import case_audit_moderate
    from openmash.quality.tests.scenes import audited, criteria, drawn

    criteria(world)
    audit = audited(world, drawn(world, 1))
    return lambda: case_audit_moderate(actor=stranger, audit=audit, agree=True)


@case("quality.improvement_action_create")
def _improvement_action_create(world: World, stranger: User) -> Act:
    from openmash.quality.services import improvement_action_create

    return lambda: improvement_action_create(
        actor=stranger,
        hub=world.hub,
        description="Record the child's voice",
        due_date=timezone.localdate() + timedelta(days=30),
        owner_agency=world.agencies["mash"],
    )


@case("quality.improvement_action_set_status")
def _improvement_action_set_status(world: World, stranger: User) -> Act:
    from openmash.quality.services import (
        improvement_action_create,
        improvement_action_set_status,
    )

    action = improvement_action_create(
        actor=world.manager,
        hub=world.hub,
        description="Record the child's voice",
        due_date=timezone.localdate() + timedelta(days=30),
        owner_agency=world.agencies["mash"],
    )
    return lambda: improvement_action_set_status(actor=stranger, action=action, status="done")


@case("quality.family_feedback_record")
def _family_feedback_record(world: World, stranger: User) -> Act:
    from openmash.quality.services import family_feedback_record

    return lambda: family_feedback_record(
        actor=stranger,
        hub=world.hub,
        respondent="parent",
        listened="yes",
        understood="yes",
        helped="yes",
    )


@case("quality.change_step_create")
def _change_step_create(world: World, stranger: User) -> Act:
    from openmash.quality.services import change_step_create

    return lambda: change_step_create(
        actor=stranger, hub=world.hub, kind="activity", title="Joint screening"
    )


def _outcome(world: World, actor: User) -> Any:
    from openmash.quality.services import outcome_create

    return outcome_create(
        actor=actor,
        hub=world.hub,
        title="Children are safer",
        source="recorded",
        indicator_name="Share seen in time",
        unit="%",
    )


@case("quality.outcome_create")
def _outcome_create(world: World, stranger: User) -> Act:
    return lambda: _outcome(world, stranger)


@case("quality.indicator_value_record")
def _indicator_value_record(world: World, stranger: User) -> Act:
    from openmash.quality.services import indicator_value_record

    outcome = _outcome(world, world.manager)
    return lambda: indicator_value_record(
        actor=stranger, outcome=outcome, month=date(2026, 1, 1), value=50.0
    )


# -- reporting ---------------------------------------------------------------------------------


@case("reporting.statutory.cin_census_export")
def _cin_census_export(world: World, stranger: User) -> Act:
    from openmash.reporting.statutory.services import cin_census_export

    return lambda: cin_census_export(actor=stranger, hub=world.hub, year=2026)


@case("reporting.statutory.annex_a_export")
def _annex_a_export(world: World, stranger: User) -> Act:
    from openmash.reporting.statutory.services import annex_a_export

    today = timezone.localdate()
    return lambda: annex_a_export(
        actor=stranger, hub=world.hub, start=today - timedelta(days=30), end=today
    )


def _held_feedback(world: World) -> Any:
    """A note on a contact with a confidential address: held for a manager's approval."""
    from openmash.decisions.services import feedback_send
    from openmash.decisions.tests.test_feedback_approval import NEAR_ADDRESS, hideaway

    return feedback_send(actor=world.practitioner, contact=hideaway(world), message=NEAR_ADDRESS)


@case("decisions.feedback_approve")
def _feedback_approve(world: World, stranger: User) -> Act:
    from openmash.decisions.services import feedback_approve

    feedback = _held_feedback(world)
    return lambda: feedback_approve(actor=stranger, feedback=feedback)


@case("decisions.feedback_return")
def _feedback_return(world: World, stranger: User) -> Act:
    from openmash.decisions.services import feedback_return

    feedback = _held_feedback(world)
    return lambda: feedback_return(actor=stranger, feedback=feedback, note="Rewrite it.")


@case("enquiries.onward_consent.onward_consent_record")
def _onward_consent_record(world: World, stranger: User) -> Act:
    from openmash.decisions.tests.test_feedback_approval import police_controlled
    from openmash.enquiries.onward_consent import onward_consent_record

    contact = police_controlled(world)
    info_request = contact.requests.get(agency=world.agencies["police"])
    return lambda: onward_consent_record(actor=stranger, info_request=info_request)


# -- beyond the services modules ---------------------------------------------------------------


@case("accounts.lockout.sign_in_unlock")
def _sign_in_unlock(world: World, stranger: User) -> Act:
    from openmash.accounts.lockout import sign_in_unlock

    return lambda: sign_in_unlock(actor=stranger, user=world.practitioner)


@case("contacts.police_information.police_information_consult")
def _police_information_consult(world: World, stranger: User) -> Act:
    from openmash.contacts.police_information import police_information_consult
    from openmash.decisions.tests.scenes import police_answered

    contact = screened(world)
    police_answered(world, contact)
    return lambda: police_information_consult(actor=stranger, contact=contact, reason="Why")


@case("governance.standards.framework.standards_check")
def _standards_check(world: World, stranger: User) -> Act:
    from openmash.governance.standards import standards_check

    return lambda: standards_check(actor=stranger, hub=world.hub)


@case("hubs.role_approvals.user_add_with_approval")
def _user_add_with_approval(world: World, stranger: User) -> Act:
    from openmash.hubs.role_approvals import user_add_with_approval

    return lambda: user_add_with_approval(
        actor=stranger,
        username="planted.manager",
        first_name="Planted",
        last_name="Manager",
        email="planted@example.org",
        agency=world.agencies["mash"],
        roles=["manager"],
        password="a-long-enough-password-9",
    )


@case("hubs.role_approvals.user_change_with_approval")
def _user_change_with_approval(world: World, stranger: User) -> Act:
    from openmash.hubs.role_approvals import user_change_with_approval

    return lambda: user_change_with_approval(
        actor=stranger, user=world.practitioner, roles=["manager"], active=True
    )


@case("reporting.dataset.dataset_export")
def _dataset_export(world: World, stranger: User) -> Act:
    import tempfile
    from pathlib import Path

    from openmash.reporting.dataset import dataset_export

    folder = Path(tempfile.mkdtemp())
    return lambda: dataset_export(actor=stranger, hub=world.hub, folder=folder, fmt="csv")


@case("reporting.dataset.dataset_export_zip")
def _dataset_export_zip(world: World, stranger: User) -> Act:
    from openmash.reporting.dataset import dataset_export_zip

    return lambda: dataset_export_zip(actor=stranger, hub=world.hub, fmt="csv")


@case("reporting.monthly_return.monthly_return_build")
def _monthly_return_build(world: World, stranger: User) -> Act:
    from openmash.reporting.monthly_return import monthly_return_build

    today = timezone.localdate()
    return lambda: monthly_return_build(
        actor=stranger, hub=world.hub, year=today.year, month=today.month
    )


# -- the tests ---------------------------------------------------------------------------------


# Interfaces and reads: they reach services through these, not the other way round.
_NOT_SERVICES = (
    ".tests",
    ".migrations",
    ".views",
    ".api",
    ".forms",
    ".admin",
    ".management",
    ".urls",
    ".apps",
    ".selectors",
    ".scopes",
)


def _services_taking_an_object() -> set[str]:
    """Public functions anywhere below the interfaces (every `<app>.services` module or package
    and any other domain module, e.g. `contacts.police_information`) that take an `actor` and a
    model instance (a hub, a contact, a decision...), except predicates answering a bool."""
    found: set[str] = set()
    for info in pkgutil.walk_packages(openmash.__path__, "openmash."):
        name = info.name
        if any(part in name + "." for part in (p + "." for p in _NOT_SERVICES)):
            continue
        if ".services." in name:
            continue  # a services package's modules: reached through its __init__
        module = importlib.import_module(name)
        label = name.removeprefix("openmash.").replace(".services", "")
        for attr, fn in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != name and not (
                name.endswith(".services") and fn.__module__.startswith(name)
            ):
                continue  # imported from elsewhere (a services package re-exports its own)
            if fn.__name__ != attr or fn.__annotations__.get("return") in (bool, "bool"):
                continue  # an old name kept as an alias, or a predicate
            params = inspect.signature(fn).parameters
            if "actor" in params and any(
                _is_model(fn, p) for p in params if p not in ("actor", "return")
            ):
                found.add(f"{label}.{attr}")
    return found


def _is_model(fn: Callable[..., Any], param: str) -> bool:
    annotation = fn.__annotations__.get(param)
    if isinstance(annotation, str):
        # Annotations may name models imported only for type checking: resolve them against
        # every installed model as well as the function's own module.
        from django.apps import apps

        names = {m.__name__: m for m in apps.get_models()}
        try:
            annotation = eval(annotation, {**names, **fn.__globals__})  # our own annotations
        except NameError:
            return False
    return inspect.isclass(annotation) and issubclass(annotation, Model)


def test_every_service_taking_an_object_has_a_case() -> None:
    found = _services_taking_an_object()
    assert found, "no services found: the introspection is broken"
    assert found - set(CASES) == set(), "add a hub-isolation case for each new service"
    assert set(CASES) - found == set(), "a case names a service that no longer takes an object"


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_another_hubs_object_is_not_found_and_nothing_is_written(world: World, name: str) -> None:
    stranger = stranger_of_another_hub()
    act = CASES[name](world, stranger)  # builds the object in the world's hub
    before = _counts()
    with pytest.raises(NotFound):
        act()
    after = _counts()
    assert after == before, {k: (before[k], v) for k, v in after.items() if before[k] != v}
