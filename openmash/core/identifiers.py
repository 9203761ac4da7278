"""National identifier checks: NHS number (modulus 11) and UPN (DfE check letter)."""

import re
import uuid

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O, S
_UPN_RE = re.compile(r"^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$")


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_is_valid(value: str) -> bool:
    """10 digits; the last is the modulus-11 check digit over the first nine (weights 10..2)."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (DfE UPN guidance: weights 2..13)."""
    total = 0
    for weight, char in zip(range(2, 14), body, strict=True):
        total += weight * (int(char) if char.isdigit() else _UPN_LETTERS.index(char))
    return _UPN_LETTERS[total % 23]


def upn_is_valid(value: str) -> bool:
    """Letter + 11 digits + digit/letter; the first letter is a check over the rest."""
    upn = (value or "").strip().upper()
    if not _UPN_RE.fullmatch(upn):
        return False
    return upn[0] == upn_check_letter(upn[1:])


def is_uuid(value: object) -> bool:
    """Whether a value is a well-formed UUID (ids from forms and APIs are checked before use)."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
