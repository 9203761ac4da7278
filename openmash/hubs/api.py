from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema

from openmash.accounts.models import User
from openmash.api.helpers import api_user
from openmash.api.schemas import ERRORS
from openmash.core.errors import NotFound

from .models import Agency, DecisionOutcome, Hub, LevelOfNeed, Timescale
from .services import (
    LevelInput,
    OutcomeInput,
    TimescaleInput,
    hub_levels_update,
    hub_outcomes_update,
    hub_settings_update,
)

router = Router(tags=["hub"])


class AgencyOut(Schema):
    id: UUID
    code: str
    name: str
    agency_type: str
    participation: str
    referral_source_code: str
    is_mash_team: bool


class LevelOut(Schema):
    level: int
    name: str
    description: str


class OutcomeOut(Schema):
    code: str
    label: str
    national_code: str


class TimescaleOut(Schema):
    stage: str
    amount: int
    unit: str


class HubOut(Schema):
    id: UUID
    name: str
    la_code: str
    scope: str
    timezone: str
    bank_holiday_region: str
    working_hours: dict[str, list[str]]
    agencies: list[AgencyOut]
    levels_of_need: list[LevelOut]
    outcomes: list[OutcomeOut]
    timescales: list[TimescaleOut]


@router.get("", response={200: HubOut, **ERRORS}, summary="The user's hub and its settings")
def hub_detail(request: HttpRequest) -> HubOut:
    hub = api_user(request).hub
    if hub is None:
        raise NotFound("You are not a member of a hub")
    return HubOut(
        id=hub.id,
        name=hub.name,
        la_code=hub.la_code,
        scope=hub.scope,
        timezone=hub.timezone,
        bank_holiday_region=hub.bank_holiday_region,
        working_hours=hub.working_hours,
        agencies=[AgencyOut.from_orm(a) for a in Agency.objects.filter(hub=hub)],
        levels_of_need=[LevelOut.from_orm(x) for x in LevelOfNeed.objects.filter(hub=hub)],
        outcomes=[
            OutcomeOut.from_orm(o) for o in DecisionOutcome.objects.filter(hub=hub, active=True)
        ],
        timescales=[TimescaleOut.from_orm(t) for t in Timescale.objects.filter(hub=hub)],
    )


class TimescaleIn(Schema):
    stage: str
    amount: int = Field(..., ge=1, le=1000)
    unit: str = Field(..., description="working_hours | working_days")


class HubSettingsIn(Schema):
    working_hours: dict[str, list[str]] = Field(
        ..., description='Weekday (0 = Monday) to ["HH:MM", "HH:MM"]; leave a day out to close'
    )
    bank_holiday_region: str = Field(
        ..., description="england-and-wales | scotland | northern-ireland"
    )
    timescales: list[TimescaleIn] = Field(default_factory=list, max_length=20)


@router.put(
    "/settings",
    response={200: HubOut, **ERRORS},
    summary="Change working hours, bank-holiday region and timescales (hub administrator)",
)
def hub_settings(request: HttpRequest, payload: HubSettingsIn) -> HubOut:
    user = api_user(request)
    hub = user.hub
    if hub is None:
        raise NotFound("You are not a member of a hub")
    hub_settings_update(
        actor=user,
        hub=hub,
        working_hours=payload.working_hours,
        bank_holiday_region=payload.bank_holiday_region,
        timescales=[
            TimescaleInput(stage=t.stage, amount=t.amount, unit=t.unit) for t in payload.timescales
        ],
    )
    return hub_detail(request)


class LevelIn(Schema):
    level: int = Field(..., ge=0, le=9)
    name: str = Field(..., max_length=100)
    description: str = Field("", max_length=2000)


class OutcomeIn(Schema):
    code: str = Field(..., max_length=40)
    label: str = Field(..., max_length=200)
    national_code: str
    active: bool = True


def _admin_hub(request: HttpRequest) -> tuple[User, Hub]:
    user = api_user(request)
    if user.hub is None:
        raise NotFound("You are not a member of a hub")
    return user, user.hub


@router.put(
    "/levels",
    response={200: HubOut, **ERRORS},
    summary="Replace the hub's levels of need (hub administrator)",
)
def hub_levels(request: HttpRequest, payload: list[LevelIn]) -> HubOut:
    user, hub = _admin_hub(request)
    hub_levels_update(actor=user, hub=hub, levels=[LevelInput(**x.dict()) for x in payload])
    return hub_detail(request)


@router.put(
    "/outcomes",
    response={200: HubOut, **ERRORS},
    summary="Replace the hub's decision outcomes; those left out are withdrawn",
)
def hub_outcomes(request: HttpRequest, payload: list[OutcomeIn]) -> HubOut:
    user, hub = _admin_hub(request)
    hub_outcomes_update(actor=user, hub=hub, outcomes=[OutcomeInput(**x.dict()) for x in payload])
    return hub_detail(request)
