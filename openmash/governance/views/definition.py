"""The hub's definition (recommendation 1)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from openmash.access.permissions import Permission
from openmash.core.errors import ValidationError
from openmash.governance.forms import DefinitionForm
from openmash.governance.selectors import definition_for
from openmash.governance.services import definition_update
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .common import governance_context


@casework_page
def definition_edit(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = governance_context(request)
    require_page(user, Permission.GOVERNANCE_MANAGE)
    hub = context["hub"]
    definition = definition_for(hub)
    initial = {
        "purpose": definition.purpose,
        "scope": hub.scope,
        "who_may_be_referred": definition.who_may_be_referred,
        "working_arrangement": definition.working_arrangement,
        "arrangement_notes": definition.arrangement_notes,
    }
    form = DefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                definition_update(actor=user, hub=hub, **form.cleaned_data)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "The hub's definition has been saved.")
                return HttpResponseRedirect(reverse("governance:overview"))
        return render(request, "governance/definition.html", {**context, "form": form}, status=422)
    return render(request, "governance/definition.html", {**context, "form": form})
