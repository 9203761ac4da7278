"""The demo hub's governance, created through the governance services (idempotent): its
definition, leadership, the four core documents with their sign-up, two versions of the
thresholds, and two years of funding. Some of it is deliberately out of date (the
data-protection protocol is past its review date; of the contributing agencies only education
has signed the information-sharing agreement) so that the standards self-assessment has something to
flag: `load_demo_hub` calls `demo_governance_load(hub)`."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from openmash.accounts.models import User
from openmash.governance.models import DocumentKind, HubDefinition, WorkingArrangement
from openmash.governance.selectors import financial_year_of
from openmash.governance.services import (
    StaffInput,
    ThresholdLevelInput,
    definition_update,
    document_publish,
    document_sign,
    document_version_create,
    funding_record,
    leadership_role_save,
    threshold_version_publish,
)
from openmash.hubs.models import Hub, HubScope

LEADS = ("demo.social_care_lead", "demo.police_lead", "demo.health_lead", "demo.education_lead")


@dataclass(frozen=True)
class DocSpec:
    kind: DocumentKind
    label: str
    title: str
    summary: str
    body: str
    effective_days_ago: int
    review_in_days: int  # negative: the review date has passed
    signers: tuple[str, ...] = LEADS


ISA_BODY = """# Purpose
This agreement lets the partner agencies of Northshire MASH share information to protect
children and adults at risk, lawfully, safely and only as much as is needed.

# Lawful basis
- UK GDPR Article 6(1)(e): a task in the public interest.
- Article 9(2)(g) with Data Protection Act 2018, Schedule 1, paragraph 18: safeguarding.
- Data Protection Act 2018 Part 3 for the police's law-enforcement data.

# What each agency agrees
1. To answer each MASH information request within the RAG timescale.
2. To share only what is relevant, accurate and necessary.
3. To record what was shared, with whom, why and when, and any decision not to share.
4. To mark information that may not be disclosed outside the MASH.

# Safe addresses
A confidential address is never disclosed outside the MASH."""

DOCS = [
    DocSpec(
        DocumentKind.INFORMATION_SHARING,
        "1",
        "Northshire MASH information-sharing agreement",
        "The first agreement, signed when the hub opened.",
        ISA_BODY,
        effective_days_ago=900,
        review_in_days=-170,
    ),
    DocSpec(
        DocumentKind.INFORMATION_SHARING,
        "2",
        "Northshire MASH information-sharing agreement",
        "Reviewed: adds the Data Protection Act 2018 Part 3 logging duties and the 2024 "
        "golden rules.",
        ISA_BODY,
        effective_days_ago=200,
        review_in_days=530,
        # Every core agency has signed; of the contributing agencies, only education has.
    ),
    DocSpec(
        DocumentKind.DATA_PROTECTION,
        "1.2",
        "Data-protection protocol",
        "Retention, subject access, breaches and the consultation log.",
        "# Retention\nChild protection records are kept for the periods in each agency's "
        "retention schedule.\n\n# Subject access\nRequests go to the agency that holds the "
        "information.\n\n# Breaches\nReport a suspected breach to the MASH manager and the "
        "agency's data-protection officer within 24 hours.",
        effective_days_ago=760,
        review_in_days=-40,  # deliberately out of date
        signers=LEADS[:3],
    ),
    DocSpec(
        DocumentKind.THRESHOLDS,
        "3",
        "Northshire continuum of need: thresholds guidance",
        "How to judge the level of need and the RAG rating, with examples.",
        "# How to use this guidance\nJudge the whole picture: the child's needs, the "
        "parents' capacity and the family's circumstances.\n\n# Levels\n- Level 1: needs met "
        "by universal services.\n- Level 2: early help.\n- Level 3: child in need (section "
        "17).\n- Level 4: child protection (section 47).",
        effective_days_ago=120,
        review_in_days=245,
        signers=LEADS,
    ),
    DocSpec(
        DocumentKind.ESCALATION,
        "2",
        "Escalation and accountability process",
        "How an agency escalates a disagreement with a MASH decision.",
        "# Stage 1\nRaise the disagreement with the MASH manager on the day.\n\n# Stage 2\n"
        "Escalate to the agency's MASH lead and the head of service within two working days."
        "\n\n# Stage 3\nThe safeguarding partnership's escalation panel decides within five "
        "working days.",
        effective_days_ago=300,
        review_in_days=65,
        signers=LEADS[:3],
    ),
]

LEVELS_V1 = [
    (1, "Universal", "Needs met by universal services."),
    (2, "Early help / additional", "Additional needs met by early help."),
    (3, "Targeted / complex (section 17)", "Complex needs: a child in need assessment."),
    (4, "Specialist / child protection", "Significant harm: child protection (section 47)."),
]
LEVELS_V2 = [
    (
        1,
        "Universal",
        "The child's needs are met by the family and universal services: school, GP, health "
        "visitor. No referral to the MASH is needed; advice is given.",
    ),
    (
        2,
        "Early help",
        "Additional needs that a single agency or an early help assessment can meet with the "
        "family's agreement: for example, poor school attendance or a parent's low mood.",
    ),
    (
        3,
        "Child in need (section 17)",
        "Complex needs that need a social work assessment: for example, domestic abuse in the "
        "household or a parent's drug use affecting the care of the child.",
    ),
    (
        4,
        "Child protection (section 47)",
        "The child is suffering, or likely to suffer, significant harm: a strategy discussion "
        "is held.",
    ),
]

FUNDING = {
    "mash": (
        Decimal("412000"),
        [("Team manager", "1"), ("Social worker", "6"), ("Business support", "2")],
    ),
    "police": (Decimal("185500"), [("Detective sergeant", "1"), ("Researcher", "3.5")]),
    "health": (Decimal("96250"), [("Safeguarding nurse", "2"), ("Health visitor", "0.6")]),
    "education": (Decimal("24000"), [("Education safeguarding officer", "0.5")]),
}


def _user(username: str) -> User:
    return User.objects.get(username=username)


@transaction.atomic
def demo_governance_load(hub: Hub, *, today: date | None = None) -> bool:
    """Create the demo hub's governance if it has none yet. Returns whether it did."""
    if HubDefinition.objects.filter(hub=hub).exists():
        return False
    today = today or timezone.localdate()
    manager = _user("demo.manager")
    agencies = {a.code: a for a in hub.agencies.all()}
    definition_update(
        actor=manager,
        hub=hub,
        purpose="The front door for concerns about children and adults at risk in Northshire: "
        "police, social care and health judge each concern together, on the full picture "
        "held across the partnership, and decide what happens next.",
        who_may_be_referred="Any child aged 0 to 17 (and unborn babies) living in or present "
        "in Northshire, and any adult at risk of abuse or neglect who has care and support "
        "needs.",
        scope=HubScope.BOTH,
        working_arrangement=WorkingArrangement.HYBRID,
        arrangement_notes="Social care, police and health researchers sit together at "
        "Northshire House on weekdays; education, probation and housing join remotely.",
    )
    roles = [
        (
            "mash",
            "MASH manager (accountable manager)",
            "demo.manager",
            "",
            True,
            "Accountable for all MASH practice, processes and decisions; signs off every "
            "decision; chairs the monthly partnership meeting.",
        ),
        (
            "mash",
            "Head of children's social care",
            "demo.social_care_lead",
            "",
            False,
            "Signs the core documents for children's social care; second stage of escalation.",
        ),
        (
            "police",
            "Police MASH lead",
            "demo.police_lead",
            "",
            False,
            "Leads the police researchers; signs the core documents for Northshire Police.",
        ),
        (
            "health",
            "Designated nurse for safeguarding",
            "demo.health_lead",
            "",
            False,
            "Leads the health researchers; signs the core documents for health.",
        ),
        (
            "education",
            "Education safeguarding lead",
            "demo.education_lead",
            "",
            False,
            "Coordinates information from schools; signs for education.",
        ),
        (
            "probation",
            "Probation MASH link officer",
            "",
            "Jordan Hale",
            False,
            "Answers requests about adults under probation supervision.",
        ),
    ]
    for code, title, username, person, accountable, duties in roles:
        leadership_role_save(
            actor=manager,
            hub=hub,
            agency=agencies[code],
            title=title,
            user=_user(username) if username else None,
            person_name=person,
            responsibilities=duties,
            is_accountable_manager=accountable,
        )
    for spec in DOCS:
        version = document_version_create(
            actor=manager,
            hub=hub,
            kind=spec.kind,
            version_label=spec.label,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            effective_from=today - timedelta(days=spec.effective_days_ago),
            review_by=today + timedelta(days=spec.review_in_days),
        )
        for username in spec.signers:
            lead = _user(username)
            assert lead.agency is not None
            document_sign(actor=lead, version=version, agency=lead.agency)
        document_publish(actor=manager, version=version)
    # A draft awaiting sign-up: the reviewed data-protection protocol, signed by social care.
    draft = document_version_create(
        actor=manager,
        hub=hub,
        kind=DocumentKind.DATA_PROTECTION,
        version_label="2.0",
        title="Data-protection protocol",
        summary="Reviewed: adds the consultation log of reads and the 2024 retention schedule.",
        body="# Changes\n- Reads of personal data are logged.\n- Retention follows the "
        "2024 schedule.",
        effective_from=today + timedelta(days=14),
        review_by=today + timedelta(days=14 + 365),
    )
    lead = _user("demo.social_care_lead")
    assert lead.agency is not None
    document_sign(actor=lead, version=draft, agency=lead.agency)
    for label, levels, days_ago, red, amber, green in (
        (
            "1",
            LEVELS_V1,
            700,
            "Immediate risk of significant harm.",
            "Risk of harm without a response today.",
            "Needs that can wait for checks.",
        ),
        (
            "2",
            LEVELS_V2,
            120,
            "A child at immediate risk of significant harm, or a child protection plan "
            "needed now: agencies answer within 4 working hours.",
            "Likely significant harm or complex needs where the risk may grow without a "
            "response: agencies answer within 24 working hours.",
            "Additional needs with no immediate risk: agencies answer within 72 working hours.",
        ),
    ):
        threshold_version_publish(
            actor=manager,
            hub=hub,
            version_label=label,
            effective_from=today - timedelta(days=days_ago),
            red_criteria=red,
            amber_criteria=amber,
            green_criteria=green,
            levels=[ThresholdLevelInput(level=n, name=name, descriptor=d) for n, name, d in levels],
        )
    this_year = financial_year_of(today)
    for year, scale in ((this_year - 1, Decimal("0.96")), (this_year, Decimal("1"))):
        for code, (pounds, staff) in FUNDING.items():
            funding_record(
                actor=manager,
                hub=hub,
                agency=agencies[code],
                financial_year=year,
                amount_pence=int(pounds * scale * 100),
                staff=[StaffInput(role=role, fte=Decimal(fte)) for role, fte in staff],
            )
    return True
