"""National code lists (CIN census 2024-25) that every hub shares. Local wording lives in the
hub's configuration; these codes are the national core it maps to."""

from typing import Final

REFERRAL_SOURCES: Final[dict[str, str]] = {
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance (including neighbours and childminders)",
    "1C": "Individual: self",
    "1D": "Individual: other (including strangers)",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health: GP",
    "3B": "Health: health visitor",
    "3C": "Health: school nurse",
    "3D": "Health: other primary health services",
    "3E": "Health: A&E",
    "3F": "Health: other (for example hospice)",
    "4": "Housing",
    "5A": "LA services: social care",
    "5B": "LA services: other internal",
    "5C": "LA services: another local authority",
    "5D": "LA services: early help",
    "6": "Police",
    "7": "Other legal agency (courts, probation, immigration, CAFCASS, prison)",
    "8": "Other (children's centres, independent providers, voluntary organisations)",
    "9": "Anonymous",
    "10": "Unknown",
}

# Concern categories offered at intake, each mapped to its CIN assessment-factor code.
CONCERN_CATEGORIES: Final[dict[str, tuple[str, str]]] = {
    # key: (label, CIN factor code)
    "neglect": ("Neglect", "16A"),
    "emotional_abuse": ("Emotional abuse", "17A"),
    "physical_abuse_adult": ("Physical abuse by an adult", "18C"),
    "physical_abuse_child": ("Physical abuse by another child", "18B"),
    "sexual_abuse_adult": ("Sexual abuse by an adult", "19C"),
    "sexual_abuse_child": ("Sexual abuse by another child", "19B"),
    "domestic_abuse_child": ("Domestic abuse: the child", "3A"),
    "domestic_abuse_parent": ("Domestic abuse: parent or carer", "3B"),
    "domestic_abuse_other": ("Domestic abuse: other person in household", "3C"),
    "alcohol_parent": ("Alcohol misuse by parent or carer", "1B"),
    "drugs_parent": ("Drug misuse by parent or carer", "2B"),
    "alcohol_child": ("Alcohol misuse by the child", "1A"),
    "drugs_child": ("Drug misuse by the child", "2A"),
    "mental_health_child": ("Mental health of the child", "4A"),
    "mental_health_parent": ("Mental health of parent or carer", "4B"),
    "self_harm": ("Self-harm", "15A"),
    "missing": ("Going or being missing", "10A"),
    "cse": ("Child sexual exploitation", "11A"),
    "cce": ("Child criminal exploitation", "24A"),
    "trafficking": ("Trafficking", "12A"),
    "gangs": ("Gangs", "13A"),
    "fgm": ("Female genital mutilation", "22A"),
    "faith_abuse": ("Abuse linked to faith or belief", "23A"),
    "young_carer": ("Young carer", "7A"),
    "private_fostering": ("Privately fostered", "8F"),
    "uasc": ("Unaccompanied asylum-seeking child", "9A"),
    "other": ("Other", "20"),
}

ETHNICITIES: Final[dict[str, str]] = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background",
    "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

SEXES: Final[dict[str, str]] = {"M": "Male", "F": "Female", "U": "Unknown"}

# National outcome codes a hub's local decision outcomes map to (aligned with the Standard
# Safeguarding Dataset contact outcome flags and the CIN census).
NATIONAL_OUTCOMES: Final[dict[str, str]] = {
    "NFA": "No further action",
    "ADVICE": "Advice or signposting",
    "EARLY_HELP": "Early help",
    "S17": "Child in need assessment (section 17)",
    "S47": "Strategy discussion (section 47)",
    "POLICE": "Police action",
    "S42": "Adult safeguarding enquiry (Care Act section 42)",
    "TRANSFER": "Transfer to another area",
}

# Outcomes that make a contact a referral in the CIN census sense.
REFERRAL_OUTCOMES: Final[frozenset[str]] = frozenset({"S17", "S47"})


def choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


def concern_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _code) in CONCERN_CATEGORIES.items()]
