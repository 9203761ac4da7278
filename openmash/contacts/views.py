"""Contact pages: intake (practitioner and referrer), the contact page, the MASH work queue,
a referrer's own list and the hub's aggregate summary.

Views only parse requests and render: writes go through `contacts.services`, reads through
`contacts.selectors` (which write the consultation log) and the scopes (`contacts.scopes`)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from openmash.access.checks import user_sees_whole_contact
from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.contacts.scopes import contact_get_for_user
from openmash.core.errors import NotFound, ValidationError
from openmash.core.errors import PermissionDenied as ServicePermissionDenied
from openmash.core.standards import DISABILITIES, ETHNICITIES
from openmash.hubs.models import Agency
from openmash.people.selectors import agencies_suggested, contact_matches
from openmash.web.flows import form_page_post, page_shower, redirect_with_message
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .forms import ContactForm, PersonCorrectionForm, PoliceInformationReasonForm
from .models import Contact, JourneyStage, PersonRole, Rag
from .page_parts import contact_page_decisions
from .police_information import police_information_consult, police_reason_needed
from .selectors import (
    OPEN_STAGES,
    Deadline,
    PersonView,
    concern_labels,
    contact_counts,
    contact_open,
    contact_open_for,
    contact_timeline,
    contacts_queue,
    contacts_submitted,
    deadline_for,
    people_for,
)
from .services import contact_create, contact_person_correct, contact_validate

if TYPE_CHECKING:
    from openmash.decisions.models import Decision

PAGE_SIZE = 50

RAG_TAGS: dict[str, tuple[str, str]] = {
    Rag.RED: ("govuk-tag--red", "Red"),
    Rag.AMBER: ("govuk-tag--orange", "Amber"),
    Rag.GREEN: ("govuk-tag--green", "Green"),
}
NOT_RATED = ("govuk-tag--grey", "Not rated")

# What a referrer is told about where their contact stands (no RAG, no agency detail).
REFERRER_STATUS: dict[str, str] = {
    JourneyStage.SCREENING: "Received: waiting to be looked at",
    JourneyStage.ENQUIRY: "Being looked into by the MASH",
    JourneyStage.DECISION: "Being looked into by the MASH",
    JourneyStage.SIGN_OFF: "Being looked into by the MASH",
    JourneyStage.FEEDBACK: "Decided: feedback on its way",
    JourneyStage.CLOSED: "Closed: feedback sent",
}


# -- Helpers --------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required guarantees a signed-in User
        raise DjangoPermissionDenied
    return user


def _require(user: User, permission: Permission) -> None:
    if not user.can(permission):
        raise DjangoPermissionDenied


def _url(name: str, *args: object) -> str:
    """A link to another app's page, or "" while that page does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def rag_tag(rag: str) -> tuple[str, str]:
    return RAG_TAGS.get(rag, NOT_RATED)


# Far beyond any hub's volume; keeps the database's OFFSET within a 64-bit integer.
MAX_PAGE = 100_000


def _page_number(request: HttpRequest) -> int:
    try:
        return min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        return 1


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    url: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    previous_url: str
    next_url: str
    links: list[PageLink]
    first_item: int
    last_item: int
    total: int


def _pagination(request: HttpRequest, page: int, total: int, **params: str) -> Pagination | None:
    pages = max(1, -(-total // PAGE_SIZE))
    if pages == 1:
        return None

    def url(number: int) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items() if v)
        return f"{request.path}?{query + '&' if query else ''}page={number}"

    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    links: list[PageLink] = []
    for number in shown:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None, "", False))
        links.append(PageLink(number, url(number), number == page))
    return Pagination(
        previous_url=url(page - 1) if page > 1 else "",
        next_url=url(page + 1) if page < pages else "",
        links=links,
        first_item=(page - 1) * PAGE_SIZE + 1,
        last_item=min(page * PAGE_SIZE, total),
        total=total,
    )


# -- Intake ---------------------------------------------------------------------------------


def _intake(request: HttpRequest, *, referrer_journey: bool) -> HttpResponse:
    user = _user(request)
    _require(user, Permission.CONTACT_SUBMIT if referrer_journey else Permission.CONTACT_RECORD)
    hub = user.hub
    if hub is None:
        raise DjangoPermissionDenied
    template = "contacts/refer.html" if referrer_journey else "contacts/new.html"
    if request.method != "POST":
        form = ContactForm(hub=hub, referrer_journey=referrer_journey)
        return render(request, template, {"form": form})
    form = ContactForm(request.POST, hub=hub, referrer_journey=referrer_journey)
    if form.adding_person:
        return render(request, template, {"form": form})
    if form.is_valid():
        try:
            contact = contact_create(actor=user, data=form.to_input())
        except ServicePermissionDenied as exc:
            raise DjangoPermissionDenied from exc
        except ValidationError as exc:
            form.add_service_errors(exc.errors)
        else:
            if referrer_journey:
                return redirect("contacts:refer-sent", contact_id=contact.pk)
            messages.success(request, f"Contact {contact.reference} recorded")
            return redirect("contacts:detail", contact_id=contact.pk)
    else:
        # Some answers did not parse: check the rest too, so every problem shows at once.
        try:
            contact_validate(hub, form.to_input(), now=timezone.now())
        except ValidationError as exc:
            form.add_service_errors(exc.errors, only_known=True)
    return render(request, template, {"form": form}, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    """A practitioner records a phone, e-mail or police-notification contact."""
    return _intake(request, referrer_journey=False)


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest) -> HttpResponse:
    """An external referrer's own form."""
    return _intake(request, referrer_journey=True)


@login_required
@require_GET
def refer_sent(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    """The confirmation panel after a referrer's submission: the reference only."""
    user = _user(request)
    try:
        contact = contact_get_for_user(user, contact_id)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "contacts/refer_sent.html", {"contact": contact})


# -- Lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    contact: Contact
    subjects: list[str]
    rag_class: str
    rag_label: str
    deadline: Deadline


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The MASH work queue: open contacts, overdue first."""
    user = _user(request)
    _require(user, Permission.CONTACT_VIEW_HUB)
    stage = request.GET.get("stage", "")
    if stage not in OPEN_STAGES:
        stage = ""
    page = _page_number(request)
    contacts, total = contacts_queue(
        user, stage=stage, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    if page > 1 and not contacts:
        raise Http404
    now = timezone.now()
    rows = []
    for contact in contacts:
        rag_class, rag_label = rag_tag(contact.rag)
        rows.append(
            QueueRow(
                contact=contact,
                subjects=[
                    p.full_name for p in contact.people.all() if p.role == PersonRole.SUBJECT
                ],
                rag_class=rag_class,
                rag_label=rag_label,
                deadline=deadline_for(contact.hub, contact.stage_due_at, now),
            )
        )
    stage_choices = [(s, JourneyStage(s).label) for s in OPEN_STAGES]
    return render(
        request,
        "contacts/queue.html",
        {
            "rows": rows,
            "total": total,
            "stage": stage,
            "stage_label": JourneyStage(stage).label if stage else "",
            "stage_choices": stage_choices,
            "pagination": _pagination(request, page, total, stage=stage),
            "new_url": _url("contacts:new") if user.can(Permission.CONTACT_RECORD) else "",
        },
    )


@dataclass(frozen=True)
class ReferralRow:
    contact: Contact
    status: str
    feedback: list[Any]


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A referrer's own submissions, with where each stands and any feedback."""
    user = _user(request)
    _require(user, Permission.CONTACT_VIEW_OWN_SUBMISSIONS)
    page = _page_number(request)
    contacts, total = contacts_submitted(user, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if page > 1 and not contacts:
        raise Http404
    rows = [
        ReferralRow(
            contact=c,
            status=REFERRER_STATUS.get(c.stage, c.get_stage_display()),
            feedback=list(c.feedback.all()),
        )
        for c in contacts
    ]
    return render(
        request,
        "contacts/mine.html",
        {
            "rows": rows,
            "total": total,
            "pagination": _pagination(request, page, total),
            "refer_url": _url("contacts:refer") if user.can(Permission.CONTACT_SUBMIT) else "",
        },
    )


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """The hub's figures: counts by stage and by RAG rating, never a person."""
    user = _user(request)
    try:
        counts = contact_counts(user)
    except ServicePermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    return render(request, "contacts/summary.html", {"counts": counts})


# -- The contact page -----------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str
    secondary: bool = False


def _next_steps(user: User, contact: Contact, decisions: list["Decision"]) -> list[NextStep]:
    """The buttons to the next step, by stage and permission. Links to pages that do not
    exist yet are left out."""
    stage = contact.stage
    pk = contact.pk
    steps: list[NextStep] = []
    if user.can(Permission.SCREENING_RECORD):
        if stage == JourneyStage.SCREENING:
            steps.append(NextStep("Screen this contact", _url("decisions:screen", pk)))
        elif stage in (JourneyStage.ENQUIRY, JourneyStage.DECISION, JourneyStage.SIGN_OFF):
            steps.append(NextStep("Re-rate", _url("decisions:screen", pk), secondary=True))
    if user.can(Permission.REQUEST_CREATE) and stage in (
        JourneyStage.ENQUIRY,
        JourneyStage.DECISION,
    ):
        steps.append(
            NextStep(
                "Request information",
                _url("enquiries:request-create", pk),
                secondary=stage == JourneyStage.DECISION,
            )
        )
    if user.can(Permission.DECISION_PROPOSE):
        if stage in (JourneyStage.ENQUIRY, JourneyStage.DECISION):
            steps.append(
                NextStep(
                    "Propose a decision",
                    _url("decisions:propose", pk),
                    secondary=stage == JourneyStage.ENQUIRY,
                )
            )
        elif stage in (JourneyStage.FEEDBACK, JourneyStage.CLOSED):
            steps.append(
                NextStep("Propose a new decision", _url("decisions:propose", pk), secondary=True)
            )
    awaiting = contact_page_decisions().proposed_status
    proposed = next((d for d in decisions if d.status == awaiting), None)
    if stage == JourneyStage.SIGN_OFF and proposed is not None:
        label = (
            "View decision to sign off"
            if user.can(Permission.DECISION_SIGN_OFF)
            else "View proposed decision"
        )
        steps.append(NextStep(label, _url("decisions:detail", proposed.pk)))
    if user.can(Permission.FEEDBACK_SEND) and stage == JourneyStage.FEEDBACK:
        steps.append(NextStep("Send feedback to the referrer", _url("decisions:feedback", pk)))
    return [s for s in steps if s.url]


@dataclass(frozen=True)
class PersonCard:
    person: PersonView
    ethnicity: str
    nhs_number: str
    disabilities: str = ""


def _card(person: PersonView) -> PersonCard:
    nhs = person.nhs_number
    spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}" if len(nhs) == 10 else nhs
    disabilities = ", ".join(DISABILITIES.get(code, code) for code in person.disabilities)
    return PersonCard(
        person, ETHNICITIES.get(person.ethnicity, person.ethnicity), spaced, disabilities
    )


@login_required
@require_GET
def detail(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    """One contact. MASH staff see the whole record; a referrer sees only what they sent and
    the feedback. The same 404 whether the contact is missing or not theirs to see."""
    user = _user(request)
    try:
        contact = contact_open(user, contact_id)
    except NotFound as exc:
        raise Http404 from exc
    whole = user_sees_whole_contact(user)
    people = people_for(user, contact)
    rag_class, rag_label = rag_tag(contact.rag)
    context: dict[str, Any] = {
        "contact": contact,
        "whole": whole,
        "subjects": [_card(p) for p in people if p.role == PersonRole.SUBJECT],
        "household": [_card(p) for p in people if p.role != PersonRole.SUBJECT],
        "concerns": concern_labels(contact),
        "feedback": list(contact.feedback.select_related("sent_by")),
        "referrer_status": REFERRER_STATUS.get(contact.stage, contact.get_stage_display()),
        "rag_class": rag_class,
        "rag_label": rag_label,
    }
    if whole:
        decisions = list(
            contact.decisions.select_related(
                "outcome", "proposed_by", "signed_off_by"
            ).prefetch_related("actions__owner_agency", "dissents__agency")
        )
        requests = list(
            contact.requests.select_related("agency", "requested_by", "answered_by").order_by(
                "requested_at", "agency__name"
            )
        )
        matches = contact_matches(user, contact)
        context.update(
            deadline=deadline_for(contact.hub, contact.stage_due_at)
            if contact.stage != JourneyStage.CLOSED
            else None,
            screenings=list(contact.screenings.select_related("recorded_by")),
            requests=[(r, _url("enquiries:detail", r.pk)) for r in requests],
            decisions=[(d, _url("decisions:detail", d.pk)) for d in decisions],
            matches=matches,
            suggested_agencies=[
                a.name for a in Agency.objects.filter(pk__in=agencies_suggested(matches))
            ],
            ledger=list(contact.ledger.select_related("by", "from_agency"))
            if user.can(Permission.SHARING_LEDGER_VIEW)
            else None,
            sharing_url=_url("enquiries:sharing-create", contact.pk)
            if user.can(Permission.SHARING_RECORD)
            else "",
            timeline=contact_timeline(contact, viewer=user),
            next_steps=_next_steps(user, contact, decisions),
            can_review=user.can(Permission.PERSON_MERGE),
            can_correct=user.can(Permission.CONTACT_RECORD),
            source_label=contact.get_source_code_display(),
            referral=contact_page_decisions().referral_view(contact),
            police_reason_needed=police_reason_needed(user, contact),
            referral_url=_url("decisions:referral-progress", contact.pk)
            if user.can(Permission.REFERRAL_PROGRESS_RECORD)
            else "",
        )
    return render(request, "contacts/detail.html", context)


@casework_page
@require_http_methods(["GET", "POST"])
def police_information_reason(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    """Ask, once per contact, why the user needs to read its police information."""
    user = page_user(request)
    contact = contact_open_for(user, contact_id, writing=request.method == "POST")
    if not user_sees_whole_contact(user):
        raise NotFound("Contact not found")
    form = PoliceInformationReasonForm(request.POST or None)
    show = page_shower(
        request, "contacts/police_information.html", lambda: {"contact": contact, "form": form}
    )
    if request.method != "POST":
        return show(200)
    url = reverse("contacts:detail", args=[contact.pk]) + "#requests"
    return form_page_post(
        request,
        form=form,
        act=lambda data: police_information_consult(
            actor=user, contact=contact, reason=data["reason"]
        ),
        show=show,
        done=lambda _: redirect_with_message(request, url, "Your reason has been recorded."),
    )


@casework_page
@require_http_methods(["GET", "POST"])
def person_correct(request: HttpRequest, contact_id: UUID, person_id: UUID) -> HttpResponse:
    """Correct what the contact says about one person, with the reason (audited)."""
    user = page_user(request)
    require_page(user, Permission.CONTACT_RECORD)
    contact = (
        contact_open(user, contact_id)
        if request.method == "GET"
        else (contact_get_for_user(user, contact_id))
    )
    mention = contact.people.filter(pk=person_id).first()
    if mention is None:
        raise NotFound("Person not found")
    form = PersonCorrectionForm(request.POST or None, hub=contact.hub, person=mention)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contact_person_correct(
                    actor=user,
                    mention=mention,
                    data=form.to_input(),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, f"{mention.full_name}'s details have been corrected.")
                return redirect("contacts:detail", contact_id=contact.pk)
        status = 422
    return render(
        request,
        "contacts/person_correct.html",
        {"form": form, "contact": contact, "mention": mention},
        status=status,
    )
