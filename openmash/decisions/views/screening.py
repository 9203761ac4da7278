"""Screening a contact, and re-rating it."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.contacts.models import Contact, JourneyStage
from openmash.contacts.selectors import contact_open_for
from openmash.core.errors import Conflict, ValidationError
from openmash.hubs.models import Agency
from openmash.hubs.selectors import enquiry_stage_for_rag, levels_of_need, timescale_description
from openmash.people.selectors import agencies_suggested, contact_matches
from openmash.web.flows import form_page_post, page_shower, redirect_with_message
from openmash.web.pages import casework_page, contact_page_url, page_user, require_page

from ..forms import ScreeningForm
from ..models import Screening
from ..services import screening_record

TEMPLATE = "decisions/screen.html"


def _rag_hints(contact: Contact) -> dict[str, str]:
    return {
        rag: "Agencies answer within "
        + timescale_description(contact.hub, enquiry_stage_for_rag(rag))
        for rag in ("red", "amber", "green")
    }


def _screen_context(user: User, contact: Contact, form: ScreeningForm) -> dict[str, Any]:
    history = list(contact.screenings.select_related("recorded_by").order_by("recorded_at"))
    # Who the people may be, beside the rating (the same panel as on the contact page).
    matches = contact_matches(user, contact)
    suggested = agencies_suggested(matches)
    return {
        "matches": matches,
        "suggested_agencies": sorted(a.name for a in Agency.objects.filter(pk__in=list(suggested))),
        "can_review": user.can(Permission.PERSON_MERGE),
        "contact": contact,
        "form": form,
        "history": history,
        "is_rerating": contact.stage != JourneyStage.SCREENING,
        "can_rate": contact.stage in JourneyStage.undecided_stages(),
        "contact_url": contact_page_url(contact.pk),
    }


@casework_page
@require_http_methods(["GET", "POST"])
def screen(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = page_user(request)
    contact = contact_open_for(user, contact_id, writing=request.method == "POST")
    require_page(user, Permission.SCREENING_RECORD)
    kwargs: dict[str, Any] = {
        "levels": levels_of_need(contact.hub),
        "rag_hints": _rag_hints(contact),
    }
    if request.method != "POST":
        latest = contact.screenings.order_by("-recorded_at").first()
        initial = (
            {"outcome": latest.outcome, "level_of_need": contact.level_of_need, "rag": contact.rag}
            if latest is not None
            else {}
        )
        form = ScreeningForm(initial=initial, **kwargs)
        return render(request, TEMPLATE, _screen_context(user, contact, form))
    form = ScreeningForm(request.POST, **kwargs)
    was_rerating = contact.stage != JourneyStage.SCREENING

    def record(data: dict[str, Any]) -> Screening:
        try:
            return screening_record(
                actor=user,
                contact=contact,
                outcome=data["outcome"],
                level_of_need=data["level_of_need"],
                rag=data["rag"],
                rationale=data["rationale"],
            )
        except (ValidationError, Conflict):
            contact.refresh_from_db()  # the page shows the contact as it is now
            raise

    return form_page_post(
        request,
        form=form,
        act=record,
        show=page_shower(request, TEMPLATE, lambda: _screen_context(user, contact, form)),
        done=lambda _: redirect_with_message(
            request,
            contact_page_url(contact.pk),
            "Contact re-rated" if was_rerating else "Screening recorded",
        ),
    )
