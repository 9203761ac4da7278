"""The demo hub's shape: its agencies and one user per role. Tests build the same world."""

from dataclasses import dataclass

from django.db import transaction

from openmash.access.permissions import Role
from openmash.accounts.models import User
from openmash.hubs.models import Agency, AgencyType, Hub, HubScope, Participation
from openmash.hubs.services import hub_create

DEMO_PASSWORD = "openmash-demo"
DEMO_LA_CODE = "999"


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    agency_type: AgencyType
    participation: Participation
    source: str
    is_mash_team: bool = False


AGENCIES = [
    AgencySpec(
        "mash",
        "Northshire MASH (children's social care)",
        AgencyType.CHILDRENS_SOCIAL_CARE,
        Participation.CORE,
        "5A",
        is_mash_team=True,
    ),
    AgencySpec("police", "Northshire Police", AgencyType.POLICE, Participation.CORE, "6"),
    AgencySpec(
        "health",
        "Northshire Community Health (health visiting and school nursing)",
        AgencyType.HEALTH_VISITING,
        Participation.CORE,
        "3B",
    ),
    AgencySpec(
        "education",
        "Northshire Education Safeguarding",
        AgencyType.EDUCATION,
        Participation.CONTRIBUTING,
        "2B",
    ),
    AgencySpec(
        "probation",
        "Probation Service (Northshire)",
        AgencyType.PROBATION,
        Participation.CONTRIBUTING,
        "7",
    ),
    AgencySpec(
        "housing", "Northshire Housing", AgencyType.HOUSING, Participation.CONTRIBUTING, "4"
    ),
    AgencySpec(
        "school-oakfield",
        "Oakfield Primary School",
        AgencyType.EDUCATION,
        Participation.CONTRIBUTING,
        "2A",
    ),
    AgencySpec(
        "gp-riverside",
        "Riverside GP Practice",
        AgencyType.HEALTH_GP,
        Participation.CONTRIBUTING,
        "3A",
    ),
]


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    agency: str
    roles: tuple[Role, ...]
    job_title: str


USERS = [
    UserSpec("demo.manager", "Morgan", "Ellis", "mash", (Role.MANAGER,), "MASH team manager"),
    UserSpec(
        "demo.practitioner", "Priya", "Shah", "mash", (Role.PRACTITIONER,), "MASH social worker"
    ),
    UserSpec(
        "demo.police", "Dan", "Okafor", "police", (Role.RESEARCHER,), "MASH police researcher"
    ),
    UserSpec(
        "demo.health", "Helen", "Price", "health", (Role.RESEARCHER,), "MASH health practitioner"
    ),
    UserSpec(
        "demo.education",
        "Eddie",
        "Marsh",
        "education",
        (Role.RESEARCHER,),
        "Education safeguarding officer",
    ),
    UserSpec(
        "demo.referrer",
        "Rachel",
        "Byrne",
        "school-oakfield",
        (Role.REFERRER,),
        "Designated safeguarding lead",
    ),
    UserSpec("demo.admin", "Alex", "Kerr", "mash", (Role.ADMIN,), "Hub administrator"),
    UserSpec(
        "demo.auditor", "Quinn", "Adeyemi", "mash", (Role.AUDITOR,), "Quality assurance auditor"
    ),
    UserSpec("demo.analyst", "Nat", "Lowe", "mash", (Role.ANALYST,), "Performance analyst"),
    # Agency leads sign the core documents for their agency (see openmash/governance).
    UserSpec(
        "demo.social_care_lead",
        "Sandra",
        "Cole",
        "mash",
        (Role.AGENCY_LEAD,),
        "Head of children's social care",
    ),
    UserSpec(
        "demo.police_lead",
        "Paul",
        "Reid",
        "police",
        (Role.AGENCY_LEAD,),
        "Detective Superintendent, public protection",
    ),
    UserSpec(
        "demo.health_lead",
        "Hannah",
        "Ward",
        "health",
        (Role.AGENCY_LEAD,),
        "Designated nurse for safeguarding",
    ),
    UserSpec(
        "demo.education_lead",
        "Ed",
        "Foster",
        "education",
        (Role.AGENCY_LEAD,),
        "Head of education safeguarding",
    ),
]


@transaction.atomic
def demo_hub_ensure(*, password: str = DEMO_PASSWORD) -> Hub:
    """Create the demo hub, its agencies and users if missing (idempotent)."""
    hub = Hub.objects.filter(la_code=DEMO_LA_CODE).first()
    if hub is None:
        hub = hub_create(name="Northshire MASH (demo)", la_code=DEMO_LA_CODE, scope=HubScope.BOTH)
    agencies = {}
    for spec in AGENCIES:
        agencies[spec.code], _ = Agency.objects.get_or_create(
            hub=hub,
            code=spec.code,
            defaults={
                "name": spec.name,
                "agency_type": spec.agency_type,
                "participation": spec.participation,
                "referral_source_code": spec.source,
                "is_mash_team": spec.is_mash_team,
            },
        )
    for user_spec in USERS:
        if User.objects.filter(username=user_spec.username).exists():
            continue
        user = User(
            username=user_spec.username,
            first_name=user_spec.first_name,
            last_name=user_spec.last_name,
            email=f"{user_spec.username}@northshire.example",
            agency=agencies[user_spec.agency],
            roles=[r.value for r in user_spec.roles],
            job_title=user_spec.job_title,
        )
        user.set_password(password)
        user.save()
    return hub
