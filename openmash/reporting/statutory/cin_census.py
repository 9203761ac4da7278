"""The DfE children in need census (XML, schema CIN_schema_<year>.xsd).

Children: the child subjects of every referral open at any time in the collection year (1
April to 31 March; `year` names the year it ends in). Each referral is one CINdetails
episode; a referral made while the child's earlier episode is still open belongs to that
episode rather than opening a second one (DfE rules 8815, 8820). What happened after the
census reference date is left out; modules completed before the year began are left out
(rules 8696, 8715). The mapping is explained in docs/adr/0006-cin-census-mapping.md."""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from lxml import etree

import openmash
from openmash.contacts.models import PersonKind
from openmash.core.identifiers import upn_is_valid
from openmash.core.standards import ASSESSMENT_FACTORS, DISABILITIES
from openmash.hubs.models import Hub

from .referrals import (
    ChildDetails,
    Referral,
    child_details,
    child_mentions,
    person_references,
    referrals_between,
)

FIRST_YEAR = 2024  # the first collection year whose rules OpenMASH follows (2023-24)
SOFTWARE_CODE = "OpenMASH"


def collection_period(year: int) -> tuple[date, date]:
    """The collection year ending on 31 March `year`: (1 April year-1, 31 March year)."""
    return date(year - 1, 4, 1), date(year, 3, 31)


@dataclass
class Episode:
    referral: Referral
    later: list[Referral] = field(default_factory=list)  # folded into this open episode


@dataclass
class CensusChild:
    details: ChildDetails
    episodes: list[Episode] = field(default_factory=list)


@dataclass(frozen=True)
class CensusFile:
    xml: bytes
    children: int
    episodes: int


def _school_age_cutoff(reference_date: date) -> date:
    """Born on or before this day, a child is of school age for the UPN rule (8770Q)."""
    day = reference_date + timedelta(days=31)
    month = day.month + 4
    day = day.replace(year=day.year + (month - 1) // 12, month=(month - 1) % 12 + 1)
    return day.replace(year=day.year - 6)


def cin_census_children(hub: Hub, year: int) -> list[CensusChild]:
    """Every child of the census with their episodes, oldest first."""
    start, end = collection_period(year)
    referrals = referrals_between(
        hub, referred_from=None, referred_before=end + timedelta(days=1), open_from=start
    )
    by_contact = {r.contact_id: r for r in referrals}
    mentions = list(child_mentions(list(by_contact)))
    references = person_references({m.person_id for _, m in mentions})
    children: dict[str, CensusChild] = {}
    referred: dict[str, list[Referral]] = defaultdict(list)
    for contact_id, mention in mentions:
        reference = references.get(mention.person_id)
        if reference is None:
            continue
        referral = by_contact[contact_id]
        details = child_details(mention, reference, referral.received_at)
        known = children.get(reference)
        if known is None or details.seen_at >= known.details.seen_at:
            children[reference] = CensusChild(details, known.episodes if known is not None else [])
        if referral not in referred[reference]:
            referred[reference].append(referral)
    for reference, child in children.items():
        for referral in sorted(referred[reference], key=lambda r: (r.referred_on, r.received_at)):
            last = child.episodes[-1] if child.episodes else None
            if last is not None:
                closed = _closed_on(last.referral, end)
                if closed is None or referral.referred_on <= closed:
                    last.later.append(referral)
                    continue
            child.episodes.append(Episode(referral))
    return sorted(children.values(), key=lambda c: c.details.reference)


def _closed_on(referral: Referral, end: date) -> date | None:
    closed = referral.closed_on()
    return closed if closed is not None and closed <= end else None


def _in_year(day: date | None, end: date) -> date | None:
    return day if day is not None and day <= end else None


def _text(parent: Any, tag: str, value: object) -> None:
    element = etree.SubElement(parent, tag)
    element.text = value.isoformat() if isinstance(value, date) else str(value)


def _child_element(child: CensusChild, start: date, end: date) -> Any:
    d = child.details
    element = etree.Element("Child")
    ids = etree.SubElement(element, "ChildIdentifiers")
    _text(ids, "LAchildID", d.reference)
    all_nfa = all(e.referral.nfa for e in child.episodes)
    if d.upn and upn_is_valid(d.upn):
        _text(ids, "UPN", d.upn.upper())
    elif d.kind != PersonKind.UNBORN:
        if d.date_of_birth is not None and d.date_of_birth > _school_age_cutoff(end):
            _text(ids, "UPNunknown", "UN1")  # under 6, not yet given a UPN
        elif all_nfa:
            _text(ids, "UPNunknown", "UN7")  # referral with no further action
    if d.kind == PersonKind.UNBORN:
        if d.expected_date_of_birth is not None:
            _text(ids, "ExpectedPersonBirthDate", d.expected_date_of_birth)
        _text(ids, "Sex", "U")  # rule 8750
    else:
        if d.date_of_birth is not None:
            _text(ids, "PersonBirthDate", d.date_of_birth)
        _text(ids, "Sex", d.sex if d.sex in ("M", "F") else "U")
    characteristics = etree.SubElement(element, "ChildCharacteristics")
    _text(characteristics, "Ethnicity", d.ethnicity or "NOBT")
    codes = [code for code in DISABILITIES if code in set(d.disabilities)]
    if codes:
        disabilities = etree.SubElement(characteristics, "Disabilities")
        for code in codes:
            _text(disabilities, "Disability", code)
    for episode in child.episodes:
        element.append(_episode_element(episode.referral, start, end))
    return element


def _episode_element(referral: Referral, start: date, end: date) -> Any:
    p = referral.progress if not referral.nfa else None
    cin = etree.Element("CINdetails")
    _text(cin, "CINreferralDate", referral.referred_on)
    _text(cin, "ReferralSource", referral.source_code)
    if referral.primary_need_code:
        _text(cin, "PrimaryNeedCode", referral.primary_need_code)
    closed = _closed_on(referral, end)
    if closed is not None:
        _text(cin, "CINclosureDate", closed)
        # An NFA referral was closed by the decision that ended it: services ceased (RC7).
        reason = "RC7" if referral.nfa else (p.closure_reason if p is not None else "")
        _text(cin, "ReasonForClosure", reason)
    if p is not None:
        started = _in_year(p.assessment_started_on, end)
        authorised = _in_year(p.assessment_authorised_on, end)
        # An assessment completed before the year began is not part of this census (8696).
        if started is not None and not (authorised is not None and authorised < start):
            assessment = etree.SubElement(cin, "Assessments")
            _text(assessment, "AssessmentActualStartDate", started)
            if authorised is not None:
                _text(assessment, "AssessmentAuthorisationDate", authorised)
                factors = [c for c in ASSESSMENT_FACTORS if c in set(p.assessment_factors)]
                if factors:  # only for a completed assessment (8614)
                    identified = etree.SubElement(assessment, "FactorsIdentifiedAtAssessment")
                    for code in factors:
                        _text(identified, "AssessmentFactors", code)
        s47 = _in_year(p.s47_started_on, end)
        icpc = _in_year(p.icpc_on, end)
        if s47 is not None and not (icpc is not None and icpc < start):  # 8715
            section47 = etree.SubElement(cin, "Section47")
            _text(section47, "S47ActualStartDate", s47)
            if icpc is not None:
                _text(section47, "DateOfInitialCPC", icpc)
            _text(section47, "ICPCnotRequired", "1" if p.icpc_not_required else "0")
    _text(cin, "ReferralNFA", "1" if referral.nfa else "0")
    return cin


def cin_census_build(*, hub: Hub, year: int) -> CensusFile:
    """The census file for `hub` and the collection year ending 31 March `year`, written
    incrementally (the children are held as small rows, the XML is never a whole tree)."""
    start, end = collection_period(year)
    children = cin_census_children(hub, year)
    out = io.BytesIO()
    episodes = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            header = etree.Element("Header")
            details = etree.SubElement(header, "CollectionDetails")
            _text(details, "Collection", "CIN")
            _text(details, "Year", year)
            _text(details, "ReferenceDate", end)
            source = etree.SubElement(header, "Source")
            _text(source, "SourceLevel", "L")
            _text(source, "LEA", hub.la_code)
            _text(source, "SoftwareCode", SOFTWARE_CODE)
            _text(source, "Release", getattr(openmash, "__version__", "0.1.0"))
            _text(source, "SerialNo", "001")
            now: datetime = timezone.localtime().replace(microsecond=0, tzinfo=None)
            _text(source, "DateTime", now.isoformat())
            xf.write(header, pretty_print=True)
            with xf.element("Children"):
                for child in children:
                    episodes += len(child.episodes)
                    xf.write(_child_element(child, start, end), pretty_print=True)
    return CensusFile(xml=out.getvalue(), children=len(children), episodes=episodes)
