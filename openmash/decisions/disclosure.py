"""What a message to the referrer must never disclose (golden rules 5 and 6), as pure rules: any
part of a confidential address of anyone in the contact, and any sentence or clause of an
agency's answer. Case, spacing and punctuation are ignored on both sides. No database here:
services/feedback.py gathers the addresses and answers and asks `disclosure_problems`."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

MIN_CLAUSE = 12  # shorter fragments of an answer are too common to count as a disclosure
_SENTENCE_BREAK = re.compile(r"[.!?\n\r]+")
_CLAUSE_BREAK = re.compile(r"[.!?\n\r,;:()\[\]{}\"“”]+|\s[-–—]+\s")
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class ConfidentialAddress:
    lines: tuple[str, ...]  # address lines and town
    postcode: str = ""


@dataclass(frozen=True)
class AgencyAnswer:
    agency_name: str
    texts: tuple[str, ...]  # what the agency said (its information, or why it did not check)


def normalise(text: str) -> str:
    """Case-folded words separated by single spaces: punctuation and spacing never matter."""
    return " ".join(_NOT_ALNUM.sub(" ", text.casefold()).split())


def contains(haystack: str, phrase: str) -> bool:
    """Whether the normalised `phrase` occurs in the normalised `haystack` as whole words."""
    return bool(phrase) and f" {phrase} " in f" {haystack} "


def fragments(text: str) -> set[str]:
    """Every sentence and clause of `text` of at least MIN_CLAUSE characters, normalised."""
    pieces = _SENTENCE_BREAK.split(text) + _CLAUSE_BREAK.split(text)
    normalised = {normalise(piece) for piece in pieces}
    return {piece for piece in normalised if len(piece) >= MIN_CLAUSE}


def postcode_pattern(postcode: str) -> re.Pattern[str] | None:
    """A postcode with or without its space (or with any punctuation in between)."""
    compact = re.sub(r"[^0-9a-z]", "", postcode.casefold())
    if not compact:
        return None
    if len(compact) < 5:
        return re.compile(rf"\b{re.escape(compact)}\b")
    outward, inward = compact[:-3], compact[-3:]
    return re.compile(rf"\b{re.escape(outward)}\s*{re.escape(inward)}\b")


def address_disclosed(text: str, address: ConfidentialAddress) -> bool:
    """`text` is normalised."""
    pattern = postcode_pattern(address.postcode)
    return any(contains(text, normalise(line)) for line in address.lines) or (
        pattern is not None and pattern.search(text) is not None
    )


def answer_disclosed(text: str, answer: AgencyAnswer) -> bool:
    """`text` is normalised."""
    supplied: set[str] = set().union(*(fragments(part) for part in answer.texts))
    return any(contains(text, fragment) for fragment in supplied)


def disclosure_problems(
    message: str,
    *,
    addresses: Iterable[ConfidentialAddress],
    answers: Iterable[AgencyAnswer],
) -> list[str]:
    """Names what `message` discloses (one entry per address or answer found in it)."""
    text = normalise(message)
    problems = ["a confidential address" for a in addresses if address_disclosed(text, a)]
    problems += [
        f"information supplied by {a.agency_name}" for a in answers if answer_disclosed(text, a)
    ]
    return problems
