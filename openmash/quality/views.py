"""Quality pages: case-file audits, feedback about the service, and the theory of change.

Signed-in pages go through `casework_page` (NotFound -> 404, PermissionDenied -> 403); the
public pages (a family's feedback, a referrer's rating link) need no sign-in, never show
case data, and are protected against abuse (CSRF, a rate limit, a honeypot field)."""

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmash.access.gates import feedback_get_for_user, user_sees_whole_contact
from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.audit.services import audit_list_read
from openmash.core.errors import Conflict, NotFound, ValidationError
from openmash.core.identifiers import is_uuid
from openmash.core.standards import NATIONAL_OUTCOMES
from openmash.hubs.models import Hub
from openmash.reporting.charts import chart_csv_response
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from . import selectors as s
from .figures import feedback_trend_chart, grade_trend_chart, indicator_chart
from .forms import (
    ActionStatusForm,
    AuditForm,
    CriterionForm,
    FamilyFeedbackForm,
    FamilyRecordForm,
    ImprovementActionForm,
    IndicatorValueForm,
    ModerationForm,
    OutcomeForm,
    RatingForm,
    SampleForm,
    StepForm,
)
from .models import Grade, IndicatorSource, SampleMethod, StepKind
from .services import (
    GradeInput,
    case_audit_moderate,
    case_audit_record,
    change_step_create,
    criterion_save,
    family_feedback_record,
    improvement_action_create,
    improvement_action_set_status,
    indicator_value_record,
    outcome_create,
    rating_invite_find,
    referrer_rating_exists,
    referrer_rating_record,
    sample_draw,
)

PUBLIC_LIMIT_PER_HOUR = 5  # one browser (by address) per hub
HUB_LIMIT_PER_HOUR = 200  # every address together: a flood stops here
TREND_MONTHS = 12


def _user_hub(request: HttpRequest) -> tuple[User, Hub]:
    user = page_user(request)
    if user.hub is None:
        raise NotFound("Hub not found")
    return user, user.hub


def _require_any(user: User, *permissions: Permission) -> None:
    if not any(user.can(p) for p in permissions):
        require_page(user, permissions[0])


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


# -- Overview -------------------------------------------------------------------------------------


@casework_page
def overview(request: HttpRequest) -> HttpResponse:
    user, hub = _user_hub(request)
    _require_any(
        user,
        Permission.CASE_AUDIT,
        Permission.QUALITY_MANAGE,
        Permission.FEEDBACK_RECORD,
        Permission.AGGREGATES_VIEW,
    )
    today = timezone.localdate()
    actions = s.improvement_actions_visible_to(user).filter(status="open")
    context = {
        "hub": hub,
        "sees_audits": s.sees_audits(user),
        "can_manage": s.can_manage(user),
        "can_record": user.can(Permission.FEEDBACK_RECORD),
        "sees_feedback": s.sees_feedback_figures(user),
        "sees_outcomes": s.sees_outcomes(user),
        "open_actions": actions.count(),
        "overdue_actions": actions.filter(due_date__lt=today).count(),
        "samples": list(s.samples_visible_to(user)[:3]),
    }
    return _render(request, "quality/overview.html", context)


# -- Criteria -------------------------------------------------------------------------------------


@casework_page
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest) -> HttpResponse:
    user, hub = _user_hub(request)
    _require_any(user, Permission.QUALITY_MANAGE, Permission.CASE_AUDIT)
    form = CriterionForm(request.POST or None) if s.can_manage(user) else None
    status = 200
    if request.method == "POST":
        require_page(user, Permission.QUALITY_MANAGE)
        assert form is not None
        if form.is_valid():
            try:
                criterion_save(
                    actor=user,
                    hub=hub,
                    code=form.cleaned_data["code"],
                    question=form.cleaned_data["question"],
                    guidance=form.cleaned_data["guidance"],
                    active=form.cleaned_data["active"],
                    order=form.cleaned_data["order"] or 0,
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Criterion added.")
                return HttpResponseRedirect(reverse("quality:criteria"))
        status = 422
    context = {"hub": hub, "criteria": list(s.criteria_for(hub)), "form": form}
    return _render(request, "quality/criteria.html", context, status)


@casework_page
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, criterion_id: str) -> HttpResponse:
    user, hub = _user_hub(request)
    criterion = s.criterion_get_for_user(user, criterion_id)
    form = CriterionForm(request.POST or None, criterion=criterion)
    if request.method == "POST":
        if form.is_valid():
            try:
                criterion_save(
                    actor=user,
                    hub=hub,
                    criterion=criterion,
                    code=criterion.code,
                    question=form.cleaned_data["question"],
                    guidance=form.cleaned_data["guidance"],
                    active=form.cleaned_data["active"],
                    order=form.cleaned_data["order"] or 0,
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Criterion saved.")
                return HttpResponseRedirect(reverse("quality:criteria"))
        context = {"form": form, "criterion": criterion}
        return _render(request, "quality/criterion_edit.html", context, 422)
    return _render(request, "quality/criterion_edit.html", {"form": form, "criterion": criterion})


# -- Samples and audits ---------------------------------------------------------------------------


@casework_page
def samples(request: HttpRequest) -> HttpResponse:
    user, hub = _user_hub(request)
    _require_any(user, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
    rows = list(s.samples_visible_to(user).select_related("drawn_by"))
    return _render(request, "quality/samples.html", {"samples": rows})


@casework_page
@require_http_methods(["GET", "POST"])
def sample_new(request: HttpRequest) -> HttpResponse:
    user, hub = _user_hub(request)
    _require_any(user, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
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
        return _render(request, "quality/sample_new.html", {"form": form}, 422)
    return _render(request, "quality/sample_new.html", {"form": form})


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
    user, hub = _user_hub(request)
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
        "can_audit": s.can_audit(user) and shows_cases,
        "audited": sum(1 for r in rows if r["audit"] is not None),
    }
    return _render(request, "quality/sample.html", context)


def _grades_for(form: AuditForm) -> dict[str, GradeInput]:
    return {
        str(c.pk): GradeInput(
            grade=form.cleaned_data.get(f"grade_{c.pk}") or "",
            comment=form.cleaned_data.get(f"comment_{c.pk}") or "",
        )
        for c in form.criteria
        if form.cleaned_data.get(f"grade_{c.pk}")
    }


def _audit_field(key: str) -> str | None:
    head, _, tail = key.partition(".")
    if head == "grades":
        return f"grade_{tail}"
    if head == "comments" and tail:
        return f"comment_{tail}"
    return key


@casework_page
@require_http_methods(["GET", "POST"])
def audit(request: HttpRequest, item_id: str) -> HttpResponse:
    user, hub = _user_hub(request)
    item = s.item_get_for_user(user, item_id)
    if request.method == "GET":  # the page shows the case file's contact: a consultation
        audit_list_read(actor=user, kind="case_file_audit", objects=[item.contact])
    existing = getattr(item, "audit", None)
    if existing is not None:
        return _audit_done(request, user, item)
    form = AuditForm(request.POST or None, criteria=list(s.criteria_for(hub, active_only=True)))
    if request.method == "POST":
        if form.is_valid():
            try:
                case_audit_record(
                    actor=user,
                    item=item,
                    grades=_grades_for(form),
                    overall_grade=form.cleaned_data["overall_grade"],
                    comments=form.cleaned_data["comments"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc, field_for=_audit_field)
            else:
                messages.success(request, f"Audit of case file {item.order} saved.")
                return HttpResponseRedirect(reverse("quality:sample", args=[item.sample_id]))
        return _render(request, "quality/audit.html", {"form": form, "item": item}, 422)
    return _render(request, "quality/audit.html", {"form": form, "item": item})


def _audit_done(
    request: HttpRequest,
    user: User,
    item: Any,
    form: ModerationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    audit_row = item.audit
    can_moderate = audit_row.moderated_at is None and audit_row.auditor_id != user.pk
    context = {
        "item": item,
        "audit": audit_row,
        "grades": s.audit_grades(audit_row),
        "can_moderate": can_moderate,
        "form": form or (ModerationForm() if can_moderate else None),
        "can_manage": s.can_manage(user),
    }
    return _render(request, "quality/audit_done.html", context, status)


@casework_page
@require_http_methods(["POST"])
def moderate(request: HttpRequest, item_id: str) -> HttpResponse:
    user, _hub = _user_hub(request)
    item = s.item_get_for_user(user, item_id)
    audit_row = getattr(item, "audit", None)
    if audit_row is None:
        raise NotFound("Audit not found")
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            case_audit_moderate(
                actor=user,
                audit=audit_row,
                agree=form.agree_value,
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Moderation saved.")
            return HttpResponseRedirect(reverse("quality:audit", args=[item.pk]))
    return _audit_done(request, user, item, form, 422)


@casework_page
def trends(request: HttpRequest) -> HttpResponse:
    user, hub = _user_hub(request)
    _require_any(user, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
    by = "month" if request.GET.get("by") == "month" else "quarter"
    rows = s.grade_trend(hub, by=by)
    chart = grade_trend_chart(rows, f"{request.path}?by={by}&format=csv", by)
    if request.GET.get("format") == "csv":
        return chart_csv_response(chart, f"audit-grades-by-{by}.csv")
    return _render(request, "quality/trends.html", {"chart": chart, "by": by, "rows": rows})


# -- Improvement actions -----------------------------------------------------------------------


@casework_page
@require_http_methods(["GET", "POST"])
def actions(request: HttpRequest) -> HttpResponse:
    user, hub = _user_hub(request)
    _require_any(user, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
    audit_row = None
    audit_id = request.GET.get("audit") or request.POST.get("audit") or ""
    if audit_id:
        found = (
            s.audits_for_hub(hub).filter(pk=audit_id).select_related("item").first()
            if (is_uuid(audit_id))
            else None
        )
        if found is None:
            raise NotFound("Audit not found")
        audit_row = found
    form = ImprovementActionForm(request.POST or None, hub=hub) if s.can_manage(user) else None
    status = 200
    if request.method == "POST":
        require_page(user, Permission.QUALITY_MANAGE)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                improvement_action_create(
                    actor=user,
                    hub=hub,
                    description=data["description"],
                    due_date=data["due_date"],
                    owner_agency=hub.agencies.filter(pk=data["owner_agency"]).first()
                    if data["owner_agency"]
                    else None,
                    owner=User.objects.filter(pk=data["owner"], agency__hub=hub).first()
                    if data["owner"]
                    else None,
                    audit=audit_row,
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Improvement action added.")
                return HttpResponseRedirect(reverse("quality:actions"))
        status = 422
    today = timezone.localdate()
    rows = [
        {"action": a, "overdue": s.is_overdue(a, today)}
        for a in s.improvement_actions_visible_to(user)
    ]
    context = {"rows": rows, "form": form, "audit": audit_row, "can_manage": s.can_manage(user)}
    return _render(request, "quality/actions.html", context, status)


@casework_page
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, action_id: str) -> HttpResponse:
    user, _hub = _user_hub(request)
    require_page(user, Permission.QUALITY_MANAGE)
    action = s.improvement_action_get_for_user(user, action_id)
    form = ActionStatusForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        improvement_action_set_status(actor=user, action=action, status=form.cleaned_data["status"])
        messages.success(request, "Improvement action updated.")
        return HttpResponseRedirect(reverse("quality:actions"))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "action": action, "overdue": s.is_overdue(action)}
    return _render(request, "quality/action_edit.html", context, status)


# -- Feedback: the summary and a worker's record --------------------------------------------------


@casework_page
def feedback(request: HttpRequest) -> HttpResponse:
    user, hub = _user_hub(request)
    if not s.sees_feedback_figures(user):
        require_page(user, Permission.AGGREGATES_VIEW)
    months = s.months_back(TREND_MONTHS)
    start, end = months[0], timezone.localdate()
    chart = feedback_trend_chart(s.feedback_by_month(hub, months), f"{request.path}?format=csv")
    if request.GET.get("format") == "csv":
        return chart_csv_response(chart, f"feedback-by-month-{start}-to-{end}.csv")
    summary = s.feedback_summary(hub, start, end)
    comments = s.sees_feedback_comments(user)
    context = {
        "hub": hub,
        "summary": summary,
        "chart": chart,
        "respondents": [
            (label, summary.by_respondent[key])
            for key, label in FamilyFeedbackForm.base_fields["respondent"].choices  # type: ignore[attr-defined]
        ],
        "family_comments": s.family_comments(hub) if comments else [],
        "referrer_comments": s.referrer_comments(hub) if comments else [],
        "shows_comments": comments,
        "can_record": user.can(Permission.FEEDBACK_RECORD),
        "public_url": request.build_absolute_uri(reverse("quality:have-your-say", args=[hub.pk])),
        "small_number": s.SMALL_NUMBER,
    }
    return _render(request, "quality/feedback.html", context)


@casework_page
@require_http_methods(["GET", "POST"])
def feedback_record(request: HttpRequest) -> HttpResponse:
    user, hub = _user_hub(request)
    require_page(user, Permission.FEEDBACK_RECORD)
    form = FamilyRecordForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                family_feedback_record(
                    actor=user,
                    hub=hub,
                    respondent=data["respondent"],
                    listened=data["listened"],
                    understood=data["understood"],
                    helped=data["helped"],
                    comments=data["comments"],
                    contact_reference=data["contact_reference"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Feedback recorded. Thank you.")
                return HttpResponseRedirect(reverse("quality:feedback-record"))
        return _render(request, "quality/feedback_record.html", {"form": form}, 422)
    return _render(request, "quality/feedback_record.html", {"form": form})


# -- Referrers rate their feedback ------------------------------------------------------------


@casework_page
@require_http_methods(["GET", "POST"])
def rate_feedback(request: HttpRequest, feedback_id: str) -> HttpResponse:
    """A signed-in referrer rates the feedback on one of their own referrals."""
    user = page_user(request)
    require_page(user, Permission.CONTACT_VIEW_OWN_SUBMISSIONS)
    fb = feedback_get_for_user(user, feedback_id)
    if fb.contact.submitted_by_id != user.pk:
        raise NotFound("Feedback not found")
    if referrer_rating_exists(fb.pk):
        return _render(request, "quality/rate_done.html", {"already": True, "signed_in": True})
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                referrer_rating_record(
                    actor=user,
                    feedback_id=str(fb.pk),
                    explained=form.cleaned_data["explained"],
                    timely=form.cleaned_data["timely"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Thank you for rating the feedback.")
                return HttpResponseRedirect(reverse("contacts:mine"))
        context = {"form": form, "reference": fb.contact.reference}
        return _render(request, "quality/rate.html", context, 422)
    return _render(request, "quality/rate.html", {"form": form, "reference": fb.contact.reference})


@require_http_methods(["GET", "POST"])
def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """An external referrer follows the single-use link in their feedback e-mail. The page
    shows no case data, not even the reference."""
    try:
        rating_invite_find(token)
    except NotFound:
        return _render(request, "quality/rate_done.html", {"invalid": True}, 404)
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                referrer_rating_record(
                    actor=None,
                    token=token,
                    explained=form.cleaned_data["explained"],
                    timely=form.cleaned_data["timely"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            except (NotFound, Conflict):
                return _render(request, "quality/rate_done.html", {"invalid": True}, 404)
            else:
                return _render(request, "quality/rate_done.html", {"thanks": True})
        return _render(request, "quality/rate.html", {"form": form}, 422)
    return _render(request, "quality/rate.html", {"form": form})


# -- Families' public form ------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The client's address: from the trusted proxy's header when one is configured
    (``OPENMASH_CLIENT_IP_HEADER``; its rightmost entry, the one the proxy added), else the
    connection's."""
    header = settings.OPENMASH_CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        entries = [e.strip() for e in forwarded.split(",") if e.strip()]
        if entries:
            return entries[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def _client_key(request: HttpRequest, hub: Hub) -> str:
    # A hash, so the cache never holds an address.
    address = client_address(request)
    return hashlib.sha256(f"{hub.pk}:{address}".encode()).hexdigest()


def _over_limit(request: HttpRequest, hub: Hub) -> bool:
    hour = timezone.now().strftime("%Y%m%d%H")
    keys = (f"quality:fb:{_client_key(request, hub)}:{hour}", f"quality:fb:{hub.pk}:{hour}")
    for key, limit in zip(keys, (PUBLIC_LIMIT_PER_HOUR, HUB_LIMIT_PER_HOUR), strict=True):
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired since add(): a fresh window
            cache.set(key, 1, timeout=3600)
            count = 1
        if count > limit:
            return True
    return False


def _public_hub(hub_id: str) -> Hub:
    hub = Hub.objects.filter(pk=hub_id).first()
    if hub is None:
        raise Http404("Page not found")
    return hub


@require_http_methods(["GET", "POST"])
def have_your_say(request: HttpRequest, hub_id: str) -> HttpResponse:
    hub = _public_hub(hub_id)
    form = FamilyFeedbackForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "hub": hub}
    if request.method == "POST":
        if _over_limit(request, hub):
            context["limited"] = True
            return _render(request, "quality/have_your_say.html", context, 429)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A bot filled in the hidden field: thank it and keep nothing.
                return HttpResponseRedirect(reverse("quality:have-your-say-thanks", args=[hub.pk]))
            try:
                family_feedback_record(
                    actor=None,
                    hub=hub,
                    respondent=data["respondent"],
                    listened=data["listened"],
                    understood=data["understood"],
                    helped=data["helped"],
                    comments=data["comments"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse("quality:have-your-say-thanks", args=[hub.pk]))
        return _render(request, "quality/have_your_say.html", context, 422)
    return _render(request, "quality/have_your_say.html", context)


def have_your_say_thanks(request: HttpRequest, hub_id: str) -> HttpResponse:
    return _render(request, "quality/have_your_say_thanks.html", {"hub": _public_hub(hub_id)})


# -- Theory of change and outcomes ----------------------------------------------------------------


@casework_page
@require_http_methods(["GET", "POST"])
def outcomes(request: HttpRequest) -> HttpResponse:
    user, hub = _user_hub(request)
    if not s.sees_outcomes(user):
        require_page(user, Permission.QUALITY_MANAGE)
    steps = s.steps_for(hub)
    manage = s.can_manage(user)
    step_form = (
        StepForm(request.POST if "add_step" in request.POST else None, prefix="step")
        if manage
        else None
    )
    outcome_form = (
        OutcomeForm(
            request.POST if "add_outcome" in request.POST else None,
            steps=steps,
            prefix="outcome",
        )
        if manage
        else None
    )
    status = 200
    if request.method == "POST":
        require_page(user, Permission.QUALITY_MANAGE)
        assert step_form is not None and outcome_form is not None
        if "add_step" in request.POST and step_form.is_valid():
            try:
                change_step_create(
                    actor=user,
                    hub=hub,
                    kind=step_form.cleaned_data["kind"],
                    title=step_form.cleaned_data["title"],
                    description=step_form.cleaned_data["description"],
                )
            except ValidationError as exc:
                form_add_service_errors(step_form, exc)
            else:
                messages.success(request, "Added to the theory of change.")
                return HttpResponseRedirect(reverse("quality:outcomes"))
        elif "add_outcome" in request.POST and outcome_form.is_valid():
            data = outcome_form.cleaned_data
            chosen = [st for st in steps if str(st.pk) in set(data["leads_from"])]
            try:
                outcome_create(
                    actor=user,
                    hub=hub,
                    title=data["title"],
                    description=data["description"],
                    source=data["source"],
                    indicator_key=data["indicator_key"],
                    indicator_name=data["indicator_name"],
                    unit=data["unit"],
                    target=data["target"],
                    leads_from=chosen,
                )
            except ValidationError as exc:
                form_add_service_errors(outcome_form, exc)
            else:
                messages.success(request, "Outcome added.")
                return HttpResponseRedirect(reverse("quality:outcomes"))
        status = 422
    months = s.months_back(TREND_MONTHS)
    rows = [
        {
            "outcome": o,
            "indicator": s.indicator_label(o),
            "latest": s.indicator_latest(o, months[-3:]),
            "national": s.national_measure_of(o),
        }
        for o in s.outcomes_for(hub)
    ]
    invalid = next((f for f in (step_form, outcome_form) if f is not None and f.errors), None)
    context = {
        "activities": [st for st in steps if st.kind == StepKind.ACTIVITY],
        "outputs": [st for st in steps if st.kind == StepKind.OUTPUT],
        "rows": rows,
        "step_form": step_form,
        "outcome_form": outcome_form,
        "form": invalid,  # the page title says "Error:" when a form was refused
        "can_manage": manage,
    }
    return _render(request, "quality/outcomes.html", context, status)


def _month_choices(count: int = 24) -> list[tuple[str, str]]:
    return [(m.isoformat(), f"{m:%B %Y}") for m in reversed(s.months_back(count))]


@casework_page
@require_http_methods(["GET", "POST"])
def outcome_detail(request: HttpRequest, outcome_id: str) -> HttpResponse:
    user, hub = _user_hub(request)
    outcome = s.outcome_get_for_user(user, outcome_id)
    recorded = outcome.source == IndicatorSource.RECORDED
    form = (
        IndicatorValueForm(request.POST or None, months=_month_choices())
        if recorded and s.can_manage(user)
        else None
    )
    status = 200
    if request.method == "POST":
        require_page(user, Permission.QUALITY_MANAGE)
        if form is None:
            raise Conflict("This indicator is computed from the monitoring figures.")
        if form.is_valid():
            month = form.cleaned_data["month"]
            try:
                indicator_value_record(
                    actor=user,
                    outcome=outcome,
                    month=date.fromisoformat(month) if month else None,
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Value recorded.")
                return HttpResponseRedirect(reverse("quality:outcome", args=[outcome.pk]))
        status = 422
    months = s.months_back(TREND_MONTHS)
    points = s.indicator_series(outcome, months)
    chart = indicator_chart(outcome, points, f"{request.path}?format=csv")
    if request.GET.get("format") == "csv":
        return chart_csv_response(chart, f"outcome-indicator-{months[0]}-to-{months[-1]}.csv")
    context = {
        "outcome": outcome,
        "indicator": s.indicator_label(outcome),
        "chart": chart,
        "form": form,
        "recorded": recorded,
        "national_measure": s.national_measure_of(outcome),
        "has_national": any(p.national is not None for p in points),
        "leads_from": list(outcome.leads_from.all()),
        "grades": Grade,
    }
    return _render(request, "quality/outcome.html", context, status)
