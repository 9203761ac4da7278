"""Believable CIN codes for demo children, shared by the recent contacts and the history."""

import random

from openmash.core.identifiers import upn_check_letter
from openmash.core.standards import DISABILITIES

# Real LA codes of a few neighbouring areas: a UPN's characters 2-4 are where the pupil was
# first registered, and DfE's rule 1530 accepts only real ones (the demo hub's 999 is not).
UPN_LA_CODES = ["936", "938", "850", "855", "886"]

ABUSE = {
    "neglect",
    "emotional_abuse",
    "physical_abuse_adult",
    "physical_abuse_child",
    "sexual_abuse_adult",
    "sexual_abuse_child",
    "cse",
    "cce",
    "trafficking",
    "fgm",
    "faith_abuse",
}


def primary_need_for(concerns: list[str]) -> str:
    """A believable CIN primary need from the concern categories (no randomness, so the
    recent demo contacts can use it without disturbing their seed)."""
    found = set(concerns)
    if found & ABUSE:
        return "N1"
    if found & {"domestic_abuse_child", "domestic_abuse_parent", "domestic_abuse_other"}:
        return "N4"
    if found & {"mental_health_parent", "alcohol_parent", "drugs_parent"}:
        return "N3" if "mental_health_parent" in found else "N5"
    if found & {"gangs", "missing", "alcohol_child", "drugs_child", "self_harm"}:
        return "N6"
    if found & {"young_carer", "mental_health_child"}:
        return "N2"
    if "uasc" in found:
        return "N8"
    return "N4"


def disabilities_for(rng: random.Random) -> list[str]:
    """Most children have none; some one, a few two (so every code gets used)."""
    roll = rng.random()
    if roll < 0.72:
        return ["NONE"]
    codes = [c for c in DISABILITIES if c != "NONE"]
    return sorted(rng.sample(codes, k=1 if roll < 0.93 else 2))


def school_upn(rng: random.Random) -> str:
    """A valid UPN first issued by one of UPN_LA_CODES."""
    body = rng.choice(UPN_LA_CODES) + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return upn_check_letter(body) + body
