from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from openmash.api.helpers import api_user
from openmash.api.schemas import ERRORS
from openmash.core.errors import NotFound

from .models import Agency, DecisionOutcome, LevelOfNeed, Timescale

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
