"""National view API: import a hub's monthly return, list the returns, national figures."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Body, Query, Router, Schema, Status
from pydantic import Field

from openmash.access.checks import require
from openmash.access.permissions import Permission
from openmash.api.helpers import api_user
from openmash.api.schemas import ERRORS
from openmash.core.errors import ValidationError

from . import selectors
from .measures import RATE_SPECS
from .selectors import Period
from .services import ImportStatus, return_import

router = Router(tags=["national"])
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class ImportOut(Schema):
    status: str = Field(description="created | unchanged | replaced")
    hub_code: str
    month: str
    checksum: str
    measures: int


@router.post(
    "/returns",
    response={200: ImportOut, 201: ImportOut, **ERRORS},
    summary="Import a hub's monthly return (format 1.0): 201 new, 200 unchanged or replaced",
)
def returns_create(request: HttpRequest, payload: Body[dict[str, Any]]) -> Status[ImportOut]:
    user = api_user(request)
    result = return_import(actor=user, document=payload)
    row = result.imported_return
    out = ImportOut(
        status=result.status.value,
        hub_code=row.hub_code,
        month=f"{row.month:%Y-%m}",
        checksum=row.checksum,
        measures=result.measures,
    )
    return Status(201 if result.status == ImportStatus.CREATED else 200, out)


class ReturnOut(Schema):
    hub_code: str
    hub_name: str
    month: str
    schema_version: str
    checksum: str
    imported_at: str
    imported_by: str


class PeriodQuery(Schema):
    from_month: str | None = Field(None, alias="from", pattern=MONTH_PATTERN)
    to_month: str | None = Field(None, alias="to", pattern=MONTH_PATTERN)


def _period(query: PeriodQuery) -> Period | None:
    default = selectors.default_period()
    if default is None:
        return None
    start = _month(query.from_month) if query.from_month else default.start
    end = _month(query.to_month) if query.to_month else default.end
    if end < start:
        raise ValidationError.for_field("to", "The end month must not be before the start month")
    return Period(start, end)


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


@router.get(
    "/returns",
    response={200: list[ReturnOut], **ERRORS},
    summary="The monthly returns imported (default: the latest 12 months that have returns)",
)
def returns_index(request: HttpRequest, query: Query[PeriodQuery]) -> list[ReturnOut]:
    require(api_user(request), Permission.AGGREGATES_VIEW)
    period = _period(query)
    if period is None:
        return []
    return [
        ReturnOut(
            hub_code=r.hub_code,
            hub_name=r.hub_name,
            month=f"{r.month:%Y-%m}",
            schema_version=r.schema_version,
            checksum=r.checksum,
            imported_at=r.imported_at.isoformat(),
            imported_by=r.imported_by,
        )
        for r in selectors.returns_list(period=period).iterator()
    ]


class TotalOut(Schema):
    measure: str
    value: int = Field(description="Sum of the published cells")
    at_least: bool = Field(description="Some hub-months were suppressed and are left out")
    suppressed: int = Field(description="Hub-months whose cell was suppressed")


class RateOut(Schema):
    measure: str
    label: str
    numerator: int
    denominator: int
    percent: float | None
    left_out: int = Field(description="Hub-months left out (numerator or denominator suppressed)")


class SummaryOut(Schema):
    from_month: str | None
    to_month: str | None
    returns: int
    hubs: int
    totals: list[TotalOut]
    rates: list[RateOut]


@router.get(
    "/summary",
    response={200: SummaryOut, **ERRORS},
    summary="National totals and rates for a period (?from=YYYY-MM&to=YYYY-MM)",
)
def summary(request: HttpRequest, query: Query[PeriodQuery]) -> SummaryOut:
    require(api_user(request), Permission.AGGREGATES_VIEW)
    period = _period(query)
    if period is None:
        return SummaryOut(from_month=None, to_month=None, returns=0, hubs=0, totals=[], rates=[])
    totals = selectors.national_totals(period)
    rates = selectors.national_rates(period, [s.measure for s in RATE_SPECS])
    covered = selectors.coverage(period)
    return SummaryOut(
        from_month=f"{period.start:%Y-%m}",
        to_month=f"{period.end:%Y-%m}",
        returns=covered.returns,
        hubs=covered.hubs,
        totals=[
            TotalOut(measure=t.measure, value=t.value, at_least=t.at_least, suppressed=t.suppressed)
            for t in sorted(totals.values(), key=lambda t: t.measure)
        ],
        rates=[
            RateOut(
                measure=s.measure,
                label=s.label,
                numerator=rates[s.measure].numerator,
                denominator=rates[s.measure].denominator,
                percent=_round(rates[s.measure].percent),
                left_out=rates[s.measure].left_out,
            )
            for s in RATE_SPECS
            if s.measure in rates
        ],
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
