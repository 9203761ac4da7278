"""Proposing a decision, with the actions agreed."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from openmash.access.permissions import Permission
from openmash.contacts.models import Contact, JourneyStage
from openmash.contacts.selectors import contact_open_for
from openmash.core.errors import ValidationError
from openmash.hubs.models import Agency
from openmash.hubs.selectors import active_outcomes, levels_of_need
from openmash.web.flows import form_page_post, page_shower, redirect_with_message
from openmash.web.pages import casework_page, contact_page_url, page_user, require_page

from ..forms import DEFAULT_ACTION_ROWS, MAX_ACTION_ROWS, DecisionForm
from ..models import Decision, DecisionStatus
from ..services import ActionInput, decision_propose

TEMPLATE = "decisions/propose.html"


def _rows_from(request: HttpRequest) -> int:
    try:
        rows = int(request.POST.get("action_rows") or DEFAULT_ACTION_ROWS)
    except ValueError:
        rows = DEFAULT_ACTION_ROWS
    if "add_action" in request.POST:
        rows += 1
    return max(1, min(rows, MAX_ACTION_ROWS))


def _propose_context(contact: Contact, form: DecisionForm) -> dict[str, Any]:
    current = contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).first()
    pending = contact.decisions.filter(status=DecisionStatus.PROPOSED).first()
    return {
        "contact": contact,
        "form": form,
        "action_rows": form.action_row_fields(),
        "can_add_rows": form.rows < MAX_ACTION_ROWS,
        "current": current,
        "pending": pending,
        "needs_screening": contact.stage == JourneyStage.SCREENING,
        "contact_url": contact_page_url(contact.pk),
    }


def _action_field_for(filled: list[int]) -> Any:
    """Service keys `actions.<i>.<field>` index the actions sent; map them to page rows."""

    def rename(key: str) -> str | None:
        if not key.startswith("actions."):
            return key
        _, index, name = key.split(".", 2)
        row = filled[int(index)]
        return f"action_{row}_{'owner_agency' if name == 'owner_agency_id' else name}"

    return rename


def _numbered(exc: ValidationError, filled: list[int]) -> ValidationError:
    """Say which action row a message is about ("Action 2: Describe the action")."""
    errors: dict[str, list[str]] = {}
    for key, messages_ in exc.errors.items():
        if key.startswith("actions."):
            number = filled[int(key.split(".")[1])] + 1
            messages_ = [f"Action {number}: {m[:1].lower()}{m[1:]}" for m in messages_]
        errors[key] = list(messages_)
    return ValidationError(exc.message, errors=errors)


@casework_page
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = page_user(request)
    contact = contact_open_for(user, contact_id, writing=request.method == "POST")
    require_page(user, Permission.DECISION_PROPOSE)
    kwargs: dict[str, Any] = {
        "outcomes": active_outcomes(contact.hub),
        "levels": levels_of_need(contact.hub),
        "agencies": Agency.objects.filter(hub=contact.hub).order_by("name"),
    }
    if request.method != "POST":
        form = DecisionForm(initial={"level_of_need": contact.level_of_need}, **kwargs)
        return render(request, TEMPLATE, _propose_context(contact, form))
    form = DecisionForm(request.POST, rows=_rows_from(request), **kwargs)
    if "add_action" in request.POST:
        # Only a new empty row: nothing is saved and the service's rules are not checked yet.
        return render(request, TEMPLATE, _propose_context(contact, form))
    filled: list[int] = []  # the page rows sent as actions, once the form is valid

    def propose_it(data: dict[str, Any]) -> Decision:
        filled.extend(form.filled_action_rows())
        actions = [
            ActionInput(
                owner_agency_id=data[f"action_{row}_owner_agency"] or "",
                description=data[f"action_{row}_description"] or "",
                due_date=data[f"action_{row}_due_date"],
            )
            for row in filled
        ]
        try:
            return decision_propose(
                actor=user,
                contact=contact,
                outcome_code=data["outcome"] or "",
                level_of_need=data["level_of_need"],
                rationale=data["rationale"],
                childs_voice=data["childs_voice"],
                actions=actions,
                primary_need_code=data["primary_need_code"] or "",
            )
        except ValidationError as exc:
            raise _numbered(exc, filled) from exc

    return form_page_post(
        request,
        form=form,
        act=propose_it,
        show=page_shower(request, TEMPLATE, lambda: _propose_context(contact, form)),
        done=lambda _: redirect_with_message(
            request, contact_page_url(contact.pk), "Decision proposed: a manager must sign it off"
        ),
        field_for=_action_field_for(filled),
    )
