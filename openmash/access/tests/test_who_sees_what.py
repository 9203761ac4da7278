"""docs/journey.md "Who sees what", surface by surface: the table and the code agree. (Contact
pages and the timeline are covered by test_matrix.py and test_audit_field_matrix.py.)"""

import pytest
from django.test import Client
from django.utils import timezone

from openmash.quality.services import family_feedback_record
from openmash.testing.world import World

ROLES = [
    "manager",
    "practitioner",
    "police",
    "referrer",
    "admin",
    "auditor",
    "analyst",
    "social_care_lead",
]

# Surface -> the roles that reach it (200); every other role is refused (403).
REACHES = {
    "audit trail": {"manager", "admin", "auditor"},
    "exports page (CIN census, Annex A, national dataset)": {"manager"},
    "CIN census": {"manager"},
    "national dataset": {"manager"},
    "monthly return": {"manager", "admin", "analyst"},
    "dashboards": {"manager", "practitioner", "admin", "auditor", "analyst", "social_care_lead"},
    "possible duplicates (match scores)": {"manager", "practitioner"},
}
# Families' free text, on the feedback page, for the roles that reach the page.
READS_FAMILY_WORDS = {"manager", "auditor"}
FAMILY_WORDS = "My key worker Jo at 4 Elm Row listened"


def _year() -> int:
    today = timezone.localdate()
    return today.year + 1 if today.month >= 4 else today.year


def _status(client: Client, surface: str) -> int:
    if surface == "audit trail":
        return client.get("/audit").status_code
    if surface.startswith("exports page"):
        return client.get("/reporting/exports").status_code
    if surface == "CIN census":
        return client.post("/reporting/exports/cin-census", {"year": _year()}).status_code
    if surface == "national dataset":
        return client.post("/reporting/exports/dataset", {"dataset-fmt": "jsonl"}).status_code
    if surface == "monthly return":
        return client.get("/reporting/return").status_code
    if surface == "dashboards":
        return client.get("/reporting/dashboard").status_code
    return client.get("/people/duplicates").status_code


@pytest.mark.parametrize("surface", list(REACHES))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_the_surfaces_the_table_gives_it(
    world: World, role: str, surface: str
) -> None:
    client = Client()
    client.force_login(world.users()[role])
    status = _status(client, surface)
    if role in REACHES[surface]:
        # Reached: the answer, or (an empty demo year's census) a clear 422, never a refusal.
        assert status in (200, 422), status
    else:
        assert status == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_case_file_readers_read_families_free_text(world: World, role: str) -> None:
    for _ in range(5):
        family_feedback_record(
            actor=None,
            hub=world.hub,
            respondent="parent_carer",
            listened="yes",
            understood="yes",
            helped="yes",
            comments=FAMILY_WORDS,
        )
    client = Client()
    client.force_login(world.users()[role])
    response = client.get("/quality/feedback")
    if response.status_code != 200:
        assert role not in READS_FAMILY_WORDS
        return
    assert (FAMILY_WORDS in response.content.decode()) is (role in READS_FAMILY_WORDS), role
