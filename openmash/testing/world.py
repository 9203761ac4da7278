"""The named fixture world every test uses: the demo hub's agencies and one user per role
(a police researcher, a health researcher, a school referrer, a practitioner, a manager...)."""

from dataclasses import dataclass
from datetime import date

from openmash.accounts.models import User
from openmash.contacts.models import Contact
from openmash.contacts.services import ContactInput, PersonInput, contact_create
from openmash.demo.hub_setup import DEMO_LA_CODE, demo_hub_ensure
from openmash.hubs.models import Agency, Hub

PASSWORD = "openmash-demo"


@dataclass
class World:
    hub: Hub
    agencies: dict[str, Agency]
    manager: User
    practitioner: User
    police: User
    health: User
    education: User
    referrer: User
    admin: User
    auditor: User
    analyst: User
    social_care_lead: User  # agency leads: sign the core documents for their agency
    police_lead: User
    health_lead: User
    education_lead: User

    def users(self) -> dict[str, User]:
        return {
            "manager": self.manager,
            "practitioner": self.practitioner,
            "police": self.police,
            "health": self.health,
            "education": self.education,
            "referrer": self.referrer,
            "admin": self.admin,
            "auditor": self.auditor,
            "analyst": self.analyst,
            "social_care_lead": self.social_care_lead,
            "police_lead": self.police_lead,
            "health_lead": self.health_lead,
            "education_lead": self.education_lead,
        }


def world_build() -> World:
    """Create the world if it is missing (idempotent) and return it."""
    return world_load(demo_hub_ensure(password=PASSWORD))


def world_load(hub: Hub) -> World:
    """The world's objects, fresh from the database (three queries)."""
    users = {u.username.removeprefix("demo."): u for u in User.objects.filter(agency__hub=hub)}
    return World(hub=hub, agencies={a.code: a for a in hub.agencies.all()}, **users)


def world_fetch() -> World:
    """The world as it is in the database, built first only if it is not there (the test
    session builds it once; a transactional test's flush removes it until it is rebuilt)."""
    hub = Hub.objects.filter(la_code=DEMO_LA_CODE).first()
    return world_build() if hub is None else world_load(hub)


def child_subject(**overrides: object) -> PersonInput:
    values: dict[str, object] = {
        "role": "subject",
        "kind": "child",
        "given_name": "Amelia",
        "family_name": "Hartley",
        "date_of_birth": date(2016, 3, 14),
        "sex": "F",
        "ethnicity": "WBRI",
        "address_line_1": "12 Mill Lane",
        "town": "Northtown",
        "postcode": "NT1 4AB",
        "nhs_number": "9434765919",
        "upn": "",
    }
    values.update(overrides)
    return PersonInput(**values)  # type: ignore[arg-type]


def contact_input(**overrides: object) -> ContactInput:
    values: dict[str, object] = {
        "channel": "phone",
        "referrer_name": "Sam Teacher",
        "referrer_role": "Class teacher",
        "referrer_email": "sam.teacher@school.example",
        "source_code": "2A",
        "concern_categories": ["physical_abuse_adult"],
        "concern_narrative": "Bruise to the cheek; the child said a parent got angry.",
        "family_awareness": "not_aware",
        "no_consent_reason": "Telling the parent could put the child at risk.",
        "people": [
            child_subject(),
            PersonInput(
                role="household",
                kind="adult",
                relationship="parent",
                given_name="Lee",
                family_name="Hartley",
                date_of_birth=date(1988, 1, 2),
                sex="M",
            ),
        ],
    }
    values.update(overrides)
    return ContactInput(**values)  # type: ignore[arg-type]


def contact_make(actor: User, **overrides: object) -> Contact:
    return contact_create(actor=actor, data=contact_input(**overrides))


def user_of_another_hub(username: str, roles: list[str]) -> User:
    """A user of a second hub ("Southshire MASH", created on first use) with these roles: for
    tests that one hub's users never reach another hub's data."""
    from openmash.hubs.services import hub_create

    other = Hub.objects.filter(la_code="998").first() or hub_create(
        name="Southshire MASH", la_code="998"
    )
    agency, _ = Agency.objects.get_or_create(
        hub=other,
        code="mash",
        defaults={
            "name": "Southshire MASH",
            "agency_type": "childrens_social_care",
            "participation": "core",
            "referral_source_code": "5A",
            "is_mash_team": True,
        },
    )
    return User.objects.create_user(username, password=PASSWORD, agency=agency, roles=roles)
