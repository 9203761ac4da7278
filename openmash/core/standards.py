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


# CIN census disability codes (2024-25). NONE is never combined with another code.
DISABILITIES: Final[dict[str, str]] = {
    "NONE": "No disability",
    "MOB": "Mobility",
    "HAND": "Hand function",
    "PC": "Personal care",
    "INC": "Incontinence",
    "COMM": "Communication",
    "LD": "Learning",
    "HEAR": "Hearing",
    "VIS": "Vision",
    "BEH": "Behaviour",
    "CON": "Consciousness",
    "AUT": "Autism or Asperger syndrome",
    "DDA": "Other disability",
}
NO_DISABILITY: Final = "NONE"

# CIN census primary need: why the child needs services (recorded for each referral).
PRIMARY_NEED_CODES: Final[dict[str, str]] = {
    "N1": "Abuse, neglect or exploitation",
    "N2": "Child's disability or illness",
    "N3": "Parental disability or illness",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
    "N9": "Cases other than children in need",
    "N0": "Not stated",
}

# CIN census reason for closure of a child in need episode.
CLOSURE_REASONS: Final[dict[str, str]] = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority",
    "RC6": "Transferred to adult social care services",
    "RC7": "Services ceased for any other reason, including child no longer in need",
    "RC8": "Case closed after assessment, no further action",
    "RC9": "Case closed after assessment, referred to early help",
}
CLOSED_AFTER_ASSESSMENT: Final[frozenset[str]] = frozenset({"RC8", "RC9"})

# CIN census factors identified at assessment (18A and 19A are retired: use B or C).
ASSESSMENT_FACTORS: Final[dict[str, str]] = {
    "1A": "Alcohol misuse: the child",
    "1B": "Alcohol misuse: parent or carer",
    "1C": "Alcohol misuse: another person in the household",
    "2A": "Drug misuse: the child",
    "2B": "Drug misuse: parent or carer",
    "2C": "Drug misuse: another person in the household",
    "3A": "Domestic abuse: the child",
    "3B": "Domestic abuse: parent or carer",
    "3C": "Domestic abuse: another person in the household",
    "4A": "Mental health: the child",
    "4B": "Mental health: parent or carer",
    "4C": "Mental health: another person in the household",
    "5A": "Learning disability: the child",
    "5B": "Learning disability: parent or carer",
    "5C": "Learning disability: another person in the household",
    "6A": "Physical disability or illness: the child",
    "6B": "Physical disability or illness: parent or carer",
    "6C": "Physical disability or illness: another person in the household",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas child who intends to return",
    "8C": "Privately fostered: overseas child who intends to stay",
    "8D": "Privately fostered: UK child in an educational placement",
    "8E": "Privately fostered: UK child in an alternative family arrangement",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going or being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Neglect",
    "17A": "Emotional abuse",
    "18B": "Physical abuse by another child",
    "18C": "Physical abuse by an adult",
    "19B": "Sexual abuse by another child",
    "19C": "Sexual abuse by an adult",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}
NO_FACTORS: Final = "21"


def choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


def concern_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _code) in CONCERN_CATEGORIES.items()]


def assessment_factors_for(concern_categories: list[str]) -> list[str]:
    """The CIN assessment factors a contact's concern categories point to, in code order."""
    codes = {CONCERN_CATEGORIES[c][1] for c in concern_categories if c in CONCERN_CATEGORIES}
    return [code for code in ASSESSMENT_FACTORS if code in codes]
