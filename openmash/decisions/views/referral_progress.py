"""After a referral: the assessment, the section 47 enquiry, closure."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from openmash.access.permissions import Permission
from openmash.contacts.models import Contact
from openmash.contacts.selectors import contact_open_for
from openmash.web.flows import form_page_post, page_shower, redirect_with_message
from openmash.web.pages import casework_page, contact_page_url, page_user, require_page

from ..forms import ReferralProgressForm
from ..selectors import ReferralView, referral_view_for
from ..services import ReferralProgressInput, assessment_factors_default, referral_progress_record

TEMPLATE = "decisions/referral_progress.html"


def _progress_context(
    contact: Contact, referral: ReferralView | None, form: ReferralProgressForm
) -> dict[str, Any]:
    return {
        "contact": contact,
        "referral": referral,
        "form": form,
        "contact_url": contact_page_url(contact.pk),
    }


def _progress_input(data: dict[str, Any]) -> ReferralProgressInput:
    return ReferralProgressInput(
        assessment_started_on=data["assessment_started_on"],
        assessment_authorised_on=data["assessment_authorised_on"],
        assessment_factors=list(data["assessment_factors"]),
        s47_started_on=data["s47_started_on"],
        icpc_on=data["icpc_on"],
        icpc_not_required=data["icpc_not_required"],
        closed_on=data["closed_on"],
        closure_reason=data["closure_reason"] or "",
    )


@casework_page
@require_http_methods(["GET", "POST"])
def referral_progress(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = page_user(request)
    contact = contact_open_for(user, contact_id, writing=request.method == "POST")
    require_page(user, Permission.REFERRAL_PROGRESS_RECORD)
    referral = referral_view_for(contact)
    if request.method != "POST":
        progress = referral.progress if referral is not None else None
        if progress is not None:
            names = ReferralProgressForm.base_fields
            initial = {name: getattr(progress, name) for name in names}
        else:
            initial = {"assessment_factors": assessment_factors_default(contact)}
        form = ReferralProgressForm(initial=initial)
        return render(request, TEMPLATE, _progress_context(contact, referral, form))
    form = ReferralProgressForm(request.POST)
    return form_page_post(
        request,
        form=form,
        act=lambda data: referral_progress_record(
            actor=user, contact=contact, data=_progress_input(data)
        ),
        show=page_shower(request, TEMPLATE, lambda: _progress_context(contact, referral, form)),
        done=lambda _: redirect_with_message(
            request, contact_page_url(contact.pk), "Referral progress recorded"
        ),
    )
