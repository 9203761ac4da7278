"""Case-file audit samples: the list, a new draw, and a sample with its case files."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openmash.access.checks import require_any, user_sees_whole_contact
from openmash.access.permissions import Permission
from openmash.audit.services import audit_list_read
from openmash.core.errors import ValidationError
from openmash.core.standards import NATIONAL_OUTCOMES
from openmash.quality import selectors as s
from openmash.quality.forms import SampleForm
from openmash.quality.models import SampleMethod
from openmash.quality.services import sample_draw
from openmash.web.pages import casework_page, form_add_service_errors

from .common import render_no_store, user_hub


@casework_page
def samples(request: HttpRequest) -> HttpResponse:
    user, hub = user_hub(request)
    require_any(user, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
    rows = list(s.samples_visible_to(user).select_related("drawn_by"))
    return render_no_store(request, "quality/samples.html", {"samples": rows})


@casework_page
@require_http_methods(["GET", "POST"])
def sample_new(request: HttpRequest) -> HttpResponse:
    user, hub = user_hub(request)
    require_any(user, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
    form = SampleForm(request.POST or None, initial={"method": SampleMethod.RANDOM, "size": 10})
    if request.method == "POST":
        if form.is_valid():
            try:
                sample = sample_draw(
                    actor=user,
                    hub=hub,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    size=form.cleaned_data["size"],
                    method=form.cleaned_data["method"],
                    seed=form.cleaned_data["seed"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, f"{sample.size} case files drawn for audit.")
                return HttpResponseRedirect(reverse("quality:sample", args=[sample.pk]))
        return render_no_store(request, "quality/sample_new.html", {"form": form}, 422)
    return render_no_store(request, "quality/sample_new.html", {"form": form})


STRATUM_NAMES = {"red": "Red", "amber": "Amber", "green": "Green", "unrated": "Not rated"}


def _stratum_label(method: str, key: str, agencies: dict[str, str]) -> str:
    if not key:
        return ""
    if method == SampleMethod.RAG:
        return STRATUM_NAMES.get(key, key)
    if method == SampleMethod.OUTCOME:
        return NATIONAL_OUTCOMES.get(key, "Not yet decided" if key == "undecided" else key)
    if method == SampleMethod.AGENCY:
        return "No agency asked" if key == "none" else agencies.get(key, key)
    return key


@casework_page
def sample_detail(request: HttpRequest, sample_id: str) -> HttpResponse:
    user, hub = user_hub(request)
    sample = s.sample_get_for_user(user, sample_id)
    items = s.sample_items(sample)
    shows_cases = user_sees_whole_contact(user)
    if shows_cases:
        audit_list_read(actor=user, kind="audit_sample", objects=[i.contact for i in items])
    agencies = dict(hub.agencies.values_list("code", "name"))
    rows = [
        {
            "item": item,
            "n": item.order,
            "stratum": _stratum_label(sample.method, item.stratum, agencies),
            "audit": getattr(item, "audit", None),
        }
        for item in items
    ]
    context = {
        "sample": sample,
        "rows": rows,
        "shows_cases": shows_cases,
        "can_audit": s.can_case_file_audit(user) and shows_cases,
        "audited": sum(1 for r in rows if r["audit"] is not None),
    }
    return render_no_store(request, "quality/sample.html", context)
