"""Normalisation of names, dates, postcodes and identifiers for matching.

Every comparison works on values normalised here, both in Splink (the normalised values are
computed in Python and handed to DuckDB as columns) and in the in-process scorer, so the two
see identical inputs. Conventions: text is upper case, accents removed, letters and digits with
single spaces; a value that is missing or unusable is ``None`` (SQL NULL), never "".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final

import jellyfish

from openmash.people.matching.nicknames import fuzzy_nickname_keys, nickname_keys

# Letters that NFKD does not decompose into an ASCII base letter.
_SPECIAL: Final = str.maketrans(
    {
        "ß": "SS",
        "ẞ": "SS",
        "Æ": "AE",
        "æ": "AE",
        "Œ": "OE",
        "œ": "OE",
        "Ø": "O",
        "ø": "O",
        "Ł": "L",
        "ł": "L",
        "Đ": "D",
        "đ": "D",
        "Ð": "D",
        "ð": "D",
        "Þ": "TH",
        "þ": "TH",
        "ı": "I",
    }
)
_APOSTROPHES: Final = re.compile(r"['’‘`´]")
_NOT_ALNUM: Final = re.compile(r"[\W_]+")

#: Honorifics and suffixes that are not part of a name.
TITLES: Final = frozenset(
    {"MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "REV", "SIR", "DAME", "LADY", "LORD"}
)
SUFFIXES: Final = frozenset({"JR", "JNR", "SR", "SNR", "II", "III", "IV"})
#: Surname particles: kept in the full surname, but never enough on their own for the
#: "one part of a double-barrelled surname agrees" level.
PARTICLES: Final = frozenset(
    {"VAN", "VON", "DER", "DEN", "DE", "DA", "DI", "DU", "DEL", "LA", "LE", "ST", "BIN", "BINT"}
    | {"AL", "EL", "BEN", "MAC", "MC", "O", "UND", "Y"}
)


def clean_text(value: str | None) -> str:
    """Upper case, accents stripped, apostrophes dropped, other punctuation -> single spaces.

    Letters of other scripts (Arabic, Cyrillic...) are kept, upper-cased where that applies:
    a name is better compared as written than lost. There is no transliteration.

    >>> clean_text("  O'Brien-Smyth, Zoë ")
    'OBRIEN SMYTH ZOE'
    """
    if not value:
        return ""
    if value.isascii():
        text = value.upper().replace("'", "").replace("`", "")
    else:
        text = unicodedata.normalize("NFKD", value.translate(_SPECIAL))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = _APOSTROPHES.sub("", text.upper())
    if text.isalnum():
        return text
    return _NOT_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=500_000)
def name_tokens(value: str | None) -> tuple[str, ...]:
    """Name parts, hyphenated and double-barrelled names split, titles and suffixes removed.

    >>> name_tokens("Mrs Smith-Jones")
    ('SMITH', 'JONES')
    """
    tokens = tuple(t for t in clean_text(value).split() if not t.isdigit())
    kept = tuple(t for t in tokens if t not in TITLES and t not in SUFFIXES)
    return kept or tokens


def normalise_name(value: str | None) -> str | None:
    """A whole name as one string ("SMITH JONES" for "Smith-Jones"); None when empty."""
    tokens = name_tokens(value)
    return " ".join(tokens) if tokens else None


def surname_parts(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The parts of a surname that identify it (particles dropped unless nothing else is left)."""
    parts = tuple(t for t in tokens if t not in PARTICLES and len(t) > 1)
    return parts or tokens


@lru_cache(maxsize=200_000)
def given_name_keys(token: str) -> tuple[str, ...]:
    """Sorted nickname-canonical keys of one given-name token (BOB -> ('ROBERT',))."""
    return tuple(sorted(nickname_keys(token)))


@lru_cache(maxsize=200_000)
def fuzzy_given_name_keys(token: str) -> tuple[str, ...]:
    """Sorted canonical keys of a given-name token and of every table name one edit from it."""
    return tuple(sorted(fuzzy_nickname_keys(token)))


@lru_cache(maxsize=200_000)
def soundex(token: str) -> str:
    """Soundex code of a normalised name token (used for blocking only)."""
    return str(jellyfish.soundex(token))


def split_alias(alias: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split an alias into (given tokens, family tokens).

    "Family, Given" is honoured; otherwise the last word is the family name
    ("Mary Ann Smith-Jones" -> given MARY ANN, family SMITH JONES: a hyphenated
    surname stays whole because hyphens are split only after this step).
    """
    if "," in alias:
        family, _, given = alias.partition(",")
        return name_tokens(given), name_tokens(family)
    words = alias.split()
    if not words:
        return (), ()
    if len(words) == 1:
        return (), name_tokens(words[0])
    return name_tokens(" ".join(words[:-1])), name_tokens(words[-1])


# -- Postcodes --------------------------------------------------------------------------------

_OUTWARD: Final = re.compile(r"^(?P<area>[A-Z]{1,2})[0-9][A-Z0-9]?$")
_INWARD: Final = re.compile(r"^[0-9][A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class Postcode:
    """A UK postcode split into its nested units; the parts a partial postcode lacks are None.

    "SW1A 1AA": area "SW", district "SW1A", sector "SW1A 1", full "SW1A 1AA".
    """

    full: str | None = None
    sector: str | None = None
    district: str | None = None
    area: str | None = None


_NO_POSTCODE: Final = Postcode()


def _full(outward: str, inward: str, area: str) -> Postcode:
    return Postcode(
        full=f"{outward} {inward}", sector=f"{outward} {inward[0]}", district=outward, area=area
    )


@lru_cache(maxsize=500_000)
def parse_postcode(value: str | None) -> Postcode:
    """Parse a full or partial UK postcode ("sw1a1aa", "SW1A 1", "SW1A"); junk gives all None.

    A space is honoured when present: "GU1 1" is sector GU1 1, while "GU11" is district GU11.
    """
    parts = clean_text(value).split() if value else []
    if not parts:
        return _NO_POSTCODE
    if len(parts) == 2:
        outward, inward = parts
        match = _OUTWARD.match(outward)
        if match:
            if _INWARD.match(inward):
                return _full(outward, inward, match["area"])
            if len(inward) == 1 and inward.isdigit():
                return Postcode(sector=f"{outward} {inward}", district=outward, area=match["area"])
    text = "".join(parts)
    if len(text) >= 5 and _INWARD.match(text[-3:]):
        match = _OUTWARD.match(text[:-3])
        if match:
            return _full(text[:-3], text[-3:], match["area"])
    match = _OUTWARD.match(text)
    if match:  # an outward code alone
        return Postcode(district=text, area=match["area"])
    if len(text) >= 3 and text[-1].isdigit():  # outward code and sector digit, no space
        match = _OUTWARD.match(text[:-1])
        if match:
            return Postcode(
                sector=f"{text[:-1]} {text[-1]}", district=text[:-1], area=match["area"]
            )
    if re.match(r"^[A-Z]{1,2}$", text):
        return Postcode(area=text)
    return _NO_POSTCODE


# -- NHS number -------------------------------------------------------------------------------


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus-11 check of a 10-digit NHS number."""
    if len(digits) != 10 or not digits.isdigit() or not digits.isascii():
        return False
    d = [ord(c) - 48 for c in digits]
    total = 10 * d[0] + 9 * d[1] + 8 * d[2] + 7 * d[3] + 6 * d[4] + 5 * d[5] + 4 * d[6]
    total += 3 * d[7] + 2 * d[8]
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def clean_nhs_number(value: str | None) -> str | None:
    """Digits of a valid NHS number ("943 476 5919" -> "9434765919").

    A number that fails the modulus-11 check is a mis-keyed number, not a different person's,
    so it is treated as missing (no evidence either way) rather than as a disagreement.
    """
    if not value:
        return None
    digits = value if value.isdigit() else "".join(ch for ch in value if ch.isdigit())
    return digits if nhs_number_is_valid(digits) else None


def clean_identifier(value: str | None) -> str | None:
    """An agency identifier upper-cased with spaces and punctuation removed."""
    text = clean_text(value).replace(" ", "")
    return text or None


# -- Addresses and dates ----------------------------------------------------------------------

_STREET_WORDS: Final = {
    "STREET": "ST",
    "ROAD": "RD",
    "AVENUE": "AVE",
    "AV": "AVE",
    "LANE": "LN",
    "DRIVE": "DR",
    "CLOSE": "CL",
    "COURT": "CT",
    "CRESCENT": "CRES",
    "PLACE": "PL",
    "GARDENS": "GDNS",
    "GROVE": "GR",
    "TERRACE": "TCE",
    "SQUARE": "SQ",
    "PARK": "PK",
    "WAY": "WY",
    "HOUSE": "HO",
    "FLAT": "FLAT",
    "APARTMENT": "FLAT",
    "APT": "FLAT",
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
}


def normalise_address_line(value: str | None) -> str | None:
    """First address line, street words abbreviated ("12 High Street" -> "12 HIGH ST")."""
    tokens = clean_text(value).split()
    if not tokens:
        return None
    return " ".join(_STREET_WORDS.get(t, t) for t in tokens)


def dob_string(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def swapped_day_month(value: date) -> date | None:
    """The date with day and month exchanged, if that is a different, valid date."""
    if value.day == value.month or value.day > 12:
        return None
    try:
        return value.replace(month=value.day, day=value.month)
    except ValueError:
        return None


def clean_sex(value: str | None) -> str | None:
    """ "M" or "F"; "U" (unknown) and anything else are missing."""
    text = clean_text(value)[:1] if value else ""
    return text if text in ("M", "F") else None
