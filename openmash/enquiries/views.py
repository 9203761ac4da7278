"""MASH enquiry pages: ask agencies, the researcher's queue, one request and its answer.

Views call selectors to read and services to write; they never touch models directly. Every
POST goes through the one form-page flow (web/flows.py): ValidationError -> inline errors (422),
Conflict -> an error summary (409), NotFound -> 404, PermissionDenied -> 403. Every successful
POST redirects (PRG)."""

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openmash.access.checks import user_sees_whole_contact
from openmash.access.permissions import Permission
from openmash.contacts.models import Contact, JourneyStage, PersonRole, Relationship
from openmash.contacts.page_parts import contact_page_decisions
from openmash.contacts.police_information import is_police_information, police_reason_needed
from openmash.contacts.selectors import contact_open_for, deadline_for
from openmash.core.errors import Conflict, PermissionDenied, ValidationError
from openmash.core.standards import SEXES
from openmash.hubs.selectors import (
    agencies_answering_requests,
    due_at,
    enquiry_stage_for_rag,
    timescale_description,
)
from openmash.people.selectors import (
    agencies_suggested,
    agency_records_matching,
    contact_matches,
)
from openmash.web.flows import form_page_post, page_shower, redirect_with_message
from openmash.web.pages import (
    casework_page,
    contact_page_url,
    page_user,
    require_page,
)

from .forms import AnswerForm, RequestsCreateForm, SharingDecisionForm
from .models import Handling, InformationRequest, RequestStatus
from .onward_consent import onward_consent_record, onward_consent_recorded
from .selectors import people_to_search, request_open_for, requests_queue_read
from .services import ASKABLE_STAGES, request_answer, requests_create, sharing_decision_record

if TYPE_CHECKING:
    from openmash.accounts.models import User

QUEUE_LIMIT = 200

# -- Ask agencies ---------------------------------------------------------------------------


def _create_context(
    contact: Contact, form: RequestsCreateForm, waiting: dict[str, str]
) -> dict[str, Any]:
    rag = contact.rag or "green"
    stage = enquiry_stage_for_rag(rag)
    return {
        "contact": contact,
        "form": form,
        "rag": rag,
        "rag_unset": not contact.rag,
        "timescale": timescale_description(contact.hub, stage),
        "due": due_at(contact.hub, stage, timezone.now()),
        "can_ask": contact.stage in ASKABLE_STAGES,
        "needs_screening": contact.stage == JourneyStage.SCREENING,
        "waiting": sorted(waiting.values()),
        "contact_url": contact_page_url(contact.pk),
    }


def _waiting_for(contact: Contact) -> dict[str, str]:
    open_requests = contact.requests.filter(status=RequestStatus.OPEN).select_related("agency")
    return {str(r.agency_id): r.agency.name for r in open_requests}


@casework_page
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = page_user(request)
    contact = contact_open_for(user, contact_id, writing=request.method == "POST")
    require_page(user, Permission.REQUEST_CREATE)
    agencies = agencies_answering_requests(contact.hub)
    waiting = _waiting_for(contact)
    if request.method != "POST":
        suggested = agencies_suggested(contact_matches(user, contact))
        form = RequestsCreateForm(agencies=agencies, waiting=waiting, suggested=suggested)
        return render(
            request, "enquiries/request_create.html", _create_context(contact, form, waiting)
        )
    form = RequestsCreateForm(request.POST, agencies=agencies, waiting=waiting)

    def done(created: list[InformationRequest]) -> HttpResponse:
        names = ", ".join(r.agency.name for r in created)
        return redirect_with_message(
            request, contact_page_url(contact.pk), f"Information requested from {names}"
        )

    return form_page_post(
        request,
        form=form,
        act=lambda data: requests_create(
            actor=user, contact=contact, agency_ids=data["agencies"], question=data["question"]
        ),
        show=page_shower(
            request,
            "enquiries/request_create.html",
            lambda: _create_context(contact, form, waiting),
        ),
        done=done,
        field_for={"agency_ids": "agencies"},
    )


# -- The researcher's queue -----------------------------------------------------------------


@casework_page
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Open requests addressed to the user's agency, by deadline; a tab for answered ones.
    MASH staff see every agency's requests (with an agency column) to chase them."""
    user = page_user(request)
    whole_hub = user_sees_whole_contact(user)
    if not (whole_hub or user.can(Permission.REQUEST_VIEW_OWN_AGENCY)):
        raise PermissionDenied("You do not have permission to do that.")
    answered = request.GET.get("status") == RequestStatus.ANSWERED
    rows, truncated = requests_queue_read(
        user,
        status=RequestStatus.ANSWERED if answered else RequestStatus.OPEN,
        limit=QUEUE_LIMIT,
    )
    now = timezone.now()
    items = [
        {
            "request": r,
            "deadline": deadline_for(r.contact.hub, None if answered else r.due_at, now),
        }
        for r in rows
    ]
    return render(
        request,
        "enquiries/queue.html",
        {
            "items": items,
            "answered": answered,
            "truncated": truncated,
            "limit": QUEUE_LIMIT,
            "whole_hub": whole_hub,
            "open_url": reverse("enquiries:queue"),
            "answered_url": reverse("enquiries:queue") + "?status=answered",
        },
    )


# -- One request: the people to search, the question, the answer ----------------------------


def _people_rows(info_request: InformationRequest) -> list[dict[str, Any]]:
    """The minimum a researcher needs to search their records, with readable labels."""
    roles = dict(PersonRole.choices)
    relationships = dict(Relationship.choices)
    rows = []
    for person in people_to_search(info_request):
        name = f"{person.given_name} {person.family_name}".strip() or "Name not known"
        rows.append(
            {
                "person": person,
                "name": name,
                "role": roles.get(person.role, person.role),
                "relationship": relationships.get(person.relationship, ""),
                "sex": SEXES.get(person.sex, person.sex),
            }
        )
    return rows


def _detail_context(
    user: "User", info_request: InformationRequest, form: AnswerForm | None
) -> dict[str, Any]:
    is_open = info_request.status == RequestStatus.OPEN
    can_answer = (
        is_open and user.can(Permission.REQUEST_ANSWER) and info_request.agency_id == user.agency_id
    )
    if can_answer and form is None:
        form = AnswerForm()
    whole_hub = user_sees_whole_contact(user)
    # A core agency may disagree with the decision made on a contact it was asked about.
    decision = (
        contact_page_decisions().current_decision(user, info_request.contact_id)
        if user.can(Permission.DECISION_DISSENT)
        else None
    )
    return {
        "info_request": info_request,
        # Police information is shown once the reader has said why (DPA 2018 s.62).
        "police_reason_needed": whole_hub
        and is_police_information(info_request)
        and police_reason_needed(user, info_request.contact),
        "decision": decision,
        "people": _people_rows(info_request),
        "deadline": deadline_for(
            info_request.contact.hub, info_request.due_at if is_open else None
        ),
        "is_open": is_open,
        "can_answer": can_answer,
        # A researcher sees which of their OWN agency's index records match (never others').
        "own_matches": agency_records_matching(info_request.contact, info_request.agency)
        if info_request.agency_id == user.agency_id
        else None,
        "index_loaded": info_request.agency.index_records.exists(),
        "form": form if can_answer else None,
        # The originating agency may consent to onward disclosure of an answer it marked so.
        "can_consent": info_request.handling == Handling.ORIGINATOR_CONSENT
        and info_request.status == RequestStatus.ANSWERED
        and info_request.agency_id == user.agency_id
        and user.can(Permission.REQUEST_ANSWER)
        and not onward_consent_recorded(info_request),
        "whole_hub": whole_hub,
        "back_url": contact_page_url(info_request.contact_id)
        if whole_hub
        else reverse("enquiries:queue"),
    }


@casework_page
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: UUID) -> HttpResponse:
    user = page_user(request)
    info_request = request_open_for(user, request_id, writing=request.method == "POST")
    if request.method != "POST":
        return render(
            request, "enquiries/request_detail.html", _detail_context(user, info_request, None)
        )
    form = AnswerForm(request.POST)

    def show(status: int) -> HttpResponse:
        context = _detail_context(user, info_request, form)
        if status == Conflict.status_code:
            # Already answered: show the answer as it stands, with the reason for refusing.
            context["form"] = form
            context["conflict"] = True
        return render(request, "enquiries/request_detail.html", context, status=status)

    return form_page_post(
        request,
        form=form,
        act=lambda data: request_answer(actor=user, request=info_request, **data),
        show=show,
        done=lambda _: redirect_with_message(
            request,
            reverse("enquiries:queue"),
            f"Answer sent to the MASH for {info_request.contact.reference}",
        ),
    )


@casework_page
@require_POST
def onward_consent(request: HttpRequest, request_id: UUID) -> HttpResponse:
    """The originating agency consents to onward disclosure of its answer to the referrer."""
    user = page_user(request)
    info_request = request_open_for(user, request_id, writing=True)
    try:
        onward_consent_record(actor=user, info_request=info_request)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your agency's consent is recorded in the sharing log.")
    return HttpResponseRedirect(reverse("enquiries:detail", args=[info_request.pk]))


# -- Recording a disclosure, or a decision not to share (golden rule 7) -----------------------


@casework_page
@require_http_methods(["GET", "POST"])
def sharing_create(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.SHARING_RECORD)
    contact = contact_open_for(user, contact_id, writing=request.method == "POST")
    form = SharingDecisionForm(request.POST or None)
    show = page_shower(
        request,
        "enquiries/sharing_create.html",
        lambda: {"contact": contact, "form": form, "contact_url": contact_page_url(contact.pk)},
    )
    if request.method != "POST":
        return show(200)
    return form_page_post(
        request,
        form=form,
        act=lambda data: sharing_decision_record(actor=user, contact=contact, **data),
        show=show,
        done=lambda _: redirect_with_message(
            request, contact_page_url(contact.pk), "The sharing decision has been recorded."
        ),
        # A Conflict (no agency to record it for) is the problem page, as before.
        refused=(ValidationError,),
    )
