"""Hub settings pages for the hub administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.core.errors import ValidationError

from .forms import WEEKDAYS, HubSettingsForm
from .models import Stage
from .services import TimescaleInput, hub_settings_update


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    hub = user.hub
    if hub is None or not user.can(Permission.HUB_CONFIGURE):
        raise Http404("Page not found")
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
                for key, problems in exc.errors.items():
                    field = _form_field_for(key)
                    for problem in problems:
                        form.add_error(field, problem)
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
