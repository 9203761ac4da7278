"""Pages for the person index: agency index uploads, match reviews, possible duplicates,
merges and unmerges."""

import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from openmash.access.permissions import Permission
from openmash.core.errors import NotFound, ValidationError
from openmash.hubs.models import Agency
from openmash.web.pages import (
    casework_page,
    contact_page_url,
    form_add_service_errors,
    page_user,
    require_page,
)

from .casework import contact_get_for_user, mention_find
from .forms import IndexUploadForm, MergeForm, ReviewForm, UnmergeForm
from .index_csv import parse_index_rows
from .models import IndexLoad, Person, PersonMerge
from .selectors import person_merges_read, possible_duplicates_read
from .services import index_load, index_load_require, match_review, person_merge, person_unmerge


def _prefix(request: HttpRequest, kind: str) -> str:
    prefix = request.POST.get("form_prefix", "")
    if not (prefix.startswith(kind) and prefix[len(kind) :].isdigit()):
        raise ValidationError("The form was not sent correctly: reload the page and try again")
    return prefix


def _loadable_agencies(user: object) -> list[Agency]:
    from openmash.accounts.models import User

    assert isinstance(user, User)
    if user.can(Permission.HUB_CONFIGURE):
        return list(Agency.objects.filter(hub=user.hub).order_by("name"))
    return [user.agency] if user.agency is not None else []


@casework_page
@require_http_methods(["GET", "POST"])
def index_upload(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.INDEX_LOAD)
    agencies = _loadable_agencies(user)
    form = IndexUploadForm(request.POST or None, request.FILES or None, agencies=agencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            agency = next(a for a in agencies if str(a.pk) == form.cleaned_data["agency"])
            upload = form.cleaned_data["file"]
            index_load_require(actor=user, agency=agency)  # before the file is read
            try:
                text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
                parsed = parse_index_rows(text)
            except UnicodeDecodeError:
                form.add_error("file", "The file must be a CSV saved as UTF-8")
            else:
                try:
                    result = index_load(
                        actor=user,
                        agency=agency,
                        parsed=parsed,
                        source="upload",
                        filename=upload.name or "",
                    )
                except ValidationError as exc:
                    form_add_service_errors(form, exc)
                else:
                    messages.success(
                        request,
                        f"{agency.name}: {result.inserted} added, {result.updated} updated, "
                        f"{result.deleted} removed.",
                    )
                    return HttpResponseRedirect(reverse("people:index-upload"))
        status = 422
    loads = IndexLoad.objects.filter(agency__in=agencies).select_related("agency", "loaded_by")
    return render(
        request, "people/index_upload.html", {"form": form, "loads": loads[:20]}, status=status
    )


@casework_page
@require_POST
def review(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.PERSON_MERGE)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        raise ValidationError("Choose whether this is the same person")
    mention = mention_find(form.cleaned_data["mention"])
    if mention is None:
        raise NotFound("Person not found")
    contact = contact_get_for_user(user, mention.contact_id)
    match_review(
        actor=user,
        mention=mention,
        candidate_key=form.cleaned_data["candidate"],
        probability=form.cleaned_data["probability"],
        decision=form.cleaned_data["decision"],
    )
    messages.success(request, "Your judgement on the possible match has been recorded.")
    back = form.cleaned_data["next"]
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return HttpResponseRedirect(back + "#people")
    return HttpResponseRedirect(contact_page_url(contact.pk) + "#people")


@casework_page
@require_http_methods(["GET"])
def duplicates(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.PERSON_MERGE)
    hub = user.hub
    if hub is None:
        raise NotFound("Hub not found")
    pairs = possible_duplicates_read(user, hub)
    merges = person_merges_read(user, hub)
    return render(
        request,
        "people/duplicates.html",
        {
            # Each form has its own prefix, so that ids stay unique on the page.
            "pairs": [
                (
                    p,
                    MergeForm(
                        initial={"merged": p.second.pk, "into": p.first.pk}, prefix=f"pair{n}"
                    ),
                )
                for n, p in enumerate(pairs)
            ],
            "merges": [(m, UnmergeForm(prefix=f"undo{n}")) for n, m in enumerate(merges)],
        },
    )


@casework_page
@require_POST
def merge(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.PERSON_MERGE)
    form = MergeForm(request.POST, prefix=_prefix(request, "pair"))
    if not form.is_valid():
        raise ValidationError("Give the reason for the merge")
    people = {
        str(p.pk): p
        for p in Person.objects.filter(
            hub=user.hub, pk__in=[form.cleaned_data["merged"], form.cleaned_data["into"]]
        )
    }
    merged = people.get(str(form.cleaned_data["merged"]))
    into = people.get(str(form.cleaned_data["into"]))
    if merged is None or into is None:
        raise NotFound("Person not found")
    person_merge(actor=user, merged=merged, into=into, reason=form.cleaned_data["reason"])
    messages.success(request, "Merged. The merge can be undone below.")
    return HttpResponseRedirect(reverse("people:duplicates"))


@casework_page
@require_POST
def unmerge(request: HttpRequest, merge_id: str) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.PERSON_MERGE)
    record = PersonMerge.objects.filter(pk=merge_id, into__hub=user.hub).first()
    if record is None:
        raise NotFound("Merge not found")
    form = UnmergeForm(request.POST, prefix=_prefix(request, "undo"))
    if not form.is_valid():
        raise ValidationError("Give the reason for undoing the merge")
    person_unmerge(actor=user, merge=record, reason=form.cleaned_data["reason"])
    messages.success(request, "The merge has been undone.")
    return HttpResponseRedirect(reverse("people:duplicates"))
