"""Hub settings pages for the hub administrator."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from openmash.access.permissions import Permission, Role
from openmash.accounts.models import User
from openmash.core.errors import PermissionDenied, ValidationError
from openmash.web.flows import form_page_post, page_shower, redirect_with_message
from openmash.web.pages import casework_page, form_add_service_errors, page_user

from .forms import (
    WEEKDAYS,
    ApprovalDecisionForm,
    HubSettingsForm,
    LevelsForm,
    OutcomesForm,
    UserAddForm,
    UserChangeForm,
)
from .models import ApprovalRequest, Hub, Stage
from .role_approvals import (
    approval_decidable_by,
    approval_decide,
    approvals_pending_for,
    user_add_with_approval,
    user_change_with_approval,
)
from .services import (
    LevelInput,
    OutcomeInput,
    TimescaleInput,
    hub_levels_update,
    hub_outcomes_update,
    hub_settings_update,
)


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    user, hub = _hub_admin(request)
    form = HubSettingsForm(request.POST or None, hub=hub)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                hub_settings_update(
                    actor=user,
                    hub=hub,
                    working_hours=form.working_hours(),
                    bank_holiday_region=form.cleaned_data["bank_holiday_region"],
                    timescales=[
                        TimescaleInput(
                            stage=s,
                            amount=form.cleaned_data[f"amount_{s}"],
                            unit=form.cleaned_data[f"unit_{s}"],
                        )
                        for s in Stage.values
                    ],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc, field_for=_form_field_for)
            else:
                messages.success(request, "Hub settings saved. New deadlines will use them.")
                return HttpResponseRedirect(reverse("hubs:settings"))
        status = 422
    return render(request, "hubs/settings.html", {"form": form, "hub": hub}, status=status)


def _form_field_for(key: str) -> str | None:
    """Service error keys ("working_hours.0", "timescales.screening") to form fields."""
    head, _, tail = key.partition(".")
    if head == "working_hours" and tail.isdigit() and int(tail) < len(WEEKDAYS):
        return f"opens_{tail}"
    if head == "timescales" and tail in Stage.values:
        return f"amount_{tail}"
    if head == "bank_holiday_region":
        return head
    return None


def _hub_admin(request: HttpRequest) -> tuple[User, Hub]:
    user = request.user
    assert isinstance(user, User)
    hub = user.hub
    if hub is None or not user.can(Permission.HUB_CONFIGURE):
        raise Http404("Page not found")
    return user, hub


def _row_errors(form: forms.Form, exc: ValidationError, field_for: dict[str, str]) -> None:
    form_add_service_errors(form, exc, field_for=lambda key: field_for.get(key))


@login_required
def levels_edit(request: HttpRequest) -> HttpResponse:
    user, hub = _hub_admin(request)
    form = LevelsForm(request.POST or None, hub=hub)
    if request.method == "POST":
        if form.is_valid():
            rows = form.levels()
            try:
                hub_levels_update(
                    actor=user,
                    hub=hub,
                    levels=[
                        LevelInput(level=n, name=name, description=d) for n, name, d, _ in rows
                    ],
                )
            except ValidationError as exc:
                _row_errors(form, exc, {f"levels.{n}": f"name_{i}" for n, _, _, i in rows})
            else:
                messages.success(request, "Levels of need saved.")
                return HttpResponseRedirect(reverse("hubs:levels"))
        return render(request, "hubs/levels.html", {"form": form, "hub": hub}, status=422)
    return render(request, "hubs/levels.html", {"form": form, "hub": hub})


@login_required
def outcomes_edit(request: HttpRequest) -> HttpResponse:
    user, hub = _hub_admin(request)
    form = OutcomesForm(request.POST or None, hub=hub)
    if request.method == "POST":
        if form.is_valid():
            rows = form.outcomes()
            try:
                hub_outcomes_update(
                    actor=user,
                    hub=hub,
                    outcomes=[
                        OutcomeInput(code=c, label=label, national_code=n, active=a)
                        for c, label, n, a, _ in rows
                    ],
                )
            except ValidationError as exc:
                _row_errors(form, exc, {f"outcomes.{c}": f"label_{i}" for c, _, _, _, i in rows})
            else:
                messages.success(request, "Decision outcomes saved.")
                return HttpResponseRedirect(reverse("hubs:outcomes"))
        return render(request, "hubs/outcomes.html", {"form": form, "hub": hub}, status=422)
    return render(request, "hubs/outcomes.html", {"form": form, "hub": hub})


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """The hub's user accounts: add one; each links to its page to change roles or switch it
    off."""
    user, hub = _hub_admin(request)
    form = UserAddForm(request.POST or None, hub=hub)
    if request.method == "POST":
        if form.is_valid():
            agency = hub.agencies.get(pk=form.cleaned_data["agency"])
            try:
                added, pending = user_add_with_approval(
                    actor=user,
                    username=form.cleaned_data["username"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    email=form.cleaned_data["email"],
                    agency=agency,
                    roles=form.cleaned_data["roles"],
                    password=form.cleaned_data["password"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                message = f"{added.display_name} can now sign in."
                if pending is not None:
                    message += f" {_awaiting(pending)}"
                messages.success(request, message)
                return HttpResponseRedirect(reverse("hubs:users"))
        status = 422
    else:
        status = 200
    accounts = (
        User.objects.filter(agency__hub=hub)
        .select_related("agency")
        .order_by("agency__name", "last_name", "username")
    )
    context = {"form": form, "hub": hub, "accounts": accounts, "pending": _pending(user)}
    return render(request, "hubs/users.html", context, status=status)


@login_required
def user_change(request: HttpRequest, user_id: int) -> HttpResponse:
    admin, hub = _hub_admin(request)
    account = User.objects.filter(pk=user_id, agency__hub=hub).select_related("agency").first()
    if account is None:
        raise Http404("Page not found")
    initial = {"roles": account.roles, "active": "yes" if account.is_active else "no"}
    form = UserChangeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                _changed, pending = user_change_with_approval(
                    actor=admin,
                    user=account,
                    roles=form.cleaned_data["roles"],
                    active=form.cleaned_data["active"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                message = f"{account.display_name}'s account has been changed."
                if pending is not None:
                    message += f" {_awaiting(pending)}"
                messages.success(request, message)
                return HttpResponseRedirect(reverse("hubs:users"))
        return render(
            request,
            "hubs/user_change.html",
            {"form": form, "hub": hub, "account": account},
            status=422,
        )
    return render(request, "hubs/user_change.html", {"form": form, "hub": hub, "account": account})


def _roles_text(roles: list[str]) -> str:
    return ", ".join(Role(r).label for r in roles if r in Role.__members__.values())


def _awaiting(pending: ApprovalRequest) -> str:
    return (
        f"These roles wait for a second person's approval: {_roles_text(pending.roles)}. "
        "Another administrator or the MASH manager approves them on the approvals page."
    )


def _pending(actor: User) -> list[dict[str, object]]:
    return [
        {
            "request": r,
            "roles": _roles_text(r.roles),
            "decidable": approval_decidable_by(r, actor),
        }
        for r in approvals_pending_for(actor=actor)
    ]


def _approver(request: HttpRequest) -> tuple[User, Hub]:
    user = page_user(request)
    hub = user.hub
    if hub is None or not (
        user.can(Permission.ACCESS_APPROVE) or user.can(Permission.HUB_CONFIGURE)
    ):
        raise Http404("Page not found")
    return user, hub


@casework_page
def approvals(request: HttpRequest) -> HttpResponse:
    """Access changes waiting for a second person: approve or refuse (never one's own)."""
    user, hub = _approver(request)
    context = {"hub": hub, "pending": _pending(user), "form": ApprovalDecisionForm()}
    return render(request, "hubs/approvals.html", context)


@casework_page
def approval_decision(request: HttpRequest, request_id: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("hubs:approvals"))
    user, hub = _approver(request)
    form = ApprovalDecisionForm(request.POST)

    def done(decided: ApprovalRequest) -> HttpResponse:
        verb = "approved" if decided.state == "approved" else "refused"
        back = form.cleaned_data["back"]
        url = reverse("hubs:users") if back == "users" else reverse("hubs:approvals")
        name = decided.subject.display_name
        return redirect_with_message(request, url, f"The change for {name} was {verb}.")

    return form_page_post(
        request,
        form=form,
        act=lambda data: approval_decide(
            actor=user, request_id=request_id, approve=data["decision"] == "approve"
        ),
        show=page_shower(
            request,
            "hubs/approvals.html",
            lambda: {"hub": hub, "pending": _pending(user), "form": form},
        ),
        done=done,
        refused=(ValidationError, PermissionDenied),
    )
