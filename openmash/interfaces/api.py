"""The JSON API (django-ninja): /api/v1/, described by OpenAPI at /api/v1/openapi.json.

One error shape everywhere: {"detail": "...", "errors": {"field": ["message", ...]}}."""

from django.contrib.auth import authenticate
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from openmash.accounts.lockout import sign_in_failed, sign_in_locked
from openmash.accounts.middleware import CHANGE_FIRST
from openmash.accounts.models import User
from openmash.accounts.passwords import password_change_required
from openmash.accounts.services import token_issue, token_revoke
from openmash.api.auth import BearerToken, Session
from openmash.api.parser import BodyRefused, StrictJsonParser
from openmash.api.schemas import ERRORS
from openmash.contacts.api import router as contacts_router
from openmash.core.errors import OpenMashError
from openmash.decisions.api import router as decisions_router
from openmash.enquiries.api import router as enquiries_router
from openmash.hubs.api import router as hubs_router
from openmash.people.api import router as people_router

api = NinjaAPI(
    title="OpenMASH API",
    version="1",
    description=(
        "The front-door journey of a Multi-Agency Safeguarding Hub: contacts, screening, "
        "information requests, decisions and feedback. Authenticate with "
        "`POST /api/v1/auth/token` then send `Authorization: Bearer <token>`."
    ),
    auth=[BearerToken(), Session()],
    urls_namespace="api",
    parser=StrictJsonParser(),
    # Interactive docs would fetch Swagger UI from a CDN (nothing is downloaded at run time,
    # and the CSP forbids it): the OpenAPI document is the reference.
    docs_url=None,
)


def _error(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(OpenMashError)
def _openmash_error(request: HttpRequest, exc: OpenMashError) -> HttpResponse:
    return _error(request, exc.status_code, exc.message, exc.errors)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "request", []).append(str(item.get("msg", "")))
    return _error(request, 422, "The request is not valid.", errors)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "The request body is too large (the limit is 2.5 MB).")


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Sign in first: send a valid bearer token.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    return _error(request, exc.status_code, str(cause if isinstance(cause, BodyRefused) else exc))


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, **ERRORS},
    tags=["auth"],
    summary="Issue an API token",
)
def auth_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    if sign_in_locked(request, username=payload.username):
        raise HttpError(
            429, "Too many wrong attempts: wait 15 minutes, or ask your hub administrator."
        )
    user = authenticate(request, username=payload.username, password=payload.password)
    if not isinstance(user, User) or not user.is_active:
        sign_in_failed(request, username=payload.username, channel="api")
        raise HttpError(401, "The username or password is wrong.")
    if password_change_required(user):
        raise HttpError(403, CHANGE_FIRST)
    raw, token = token_issue(user=user)
    return TokenOut(token=raw, expires_at=token.expires_at.isoformat())


@api.delete(
    "/auth/token",
    response={204: None, **ERRORS},
    tags=["auth"],
    auth=BearerToken(),
    summary="Revoke the token used for this request",
)
def auth_token_revoke(request: HttpRequest) -> Status[None]:
    token = request.api_token  # type: ignore[attr-defined]
    assert isinstance(request.user, User)
    token_revoke(actor=request.user, token=token)
    return Status(204, None)


api.add_router("/hub", hubs_router)
api.add_router("/contacts", contacts_router)
api.add_router("/", enquiries_router)
api.add_router("/", decisions_router)
api.add_router("/", people_router)
api.add_router("/national", "openmash.reporting.national.api.router")
