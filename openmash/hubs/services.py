"""Creating a hub with the national defaults a new hub starts from."""

from django.db import transaction

from openmash.core.working_time import BankHolidayRegion

from .models import DecisionOutcome, Hub, HubScope, LevelOfNeed, Timescale, default_working_hours
from .selectors import DEFAULT_TIMESCALES

DEFAULT_LEVELS = [
    (1, "Universal", "Needs met by universal services."),
    (2, "Early help / additional", "Additional needs met by early help."),
    (3, "Targeted / complex (section 17)", "Complex needs: a child in need assessment."),
    (4, "Specialist / child protection", "Significant harm: child protection (section 47)."),
]

DEFAULT_OUTCOMES = [
    ("nfa", "No further action", "NFA"),
    ("advice", "Advice and signposting", "ADVICE"),
    ("early_help", "Early help", "EARLY_HELP"),
    ("s17", "Child and family assessment (section 17)", "S17"),
    ("s47", "Strategy discussion (section 47)", "S47"),
    ("police", "Police action", "POLICE"),
    ("s42", "Adult safeguarding enquiry (section 42)", "S42"),
    ("transfer", "Transfer to another area", "TRANSFER"),
]


@transaction.atomic
def hub_create(
    *,
    name: str,
    la_code: str,
    scope: str = HubScope.CHILDREN,
    region: BankHolidayRegion = BankHolidayRegion.ENGLAND_AND_WALES,
) -> Hub:
    hub = Hub.objects.create(
        name=name,
        la_code=la_code,
        scope=scope,
        bank_holiday_region=region.value,
        working_hours=default_working_hours(),
    )
    for level, level_name, description in DEFAULT_LEVELS:
        LevelOfNeed.objects.create(hub=hub, level=level, name=level_name, description=description)
    for order, (code, label, national) in enumerate(DEFAULT_OUTCOMES):
        DecisionOutcome.objects.create(
            hub=hub, code=code, label=label, national_code=national, order=order
        )
    for stage, (amount, unit) in DEFAULT_TIMESCALES.items():
        Timescale.objects.create(hub=hub, stage=stage, amount=amount, unit=unit.value)
    return hub
