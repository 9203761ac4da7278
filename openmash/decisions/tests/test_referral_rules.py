"""The CIN census rules of a referral's progress, from their own module, without a database
(test_referral_progress.py covers each rule through the package's name)."""

from datetime import date

import pytest

from openmash.core.errors import ValidationError
from openmash.decisions.referral_rules import ReferralProgressInput, referral_progress_validate

REFERRED = date(2026, 6, 1)  # a Monday
TODAY = date(2026, 9, 30)


def test_nothing_known_yet_is_accepted():
    referral_progress_validate(ReferralProgressInput(), referred_on=REFERRED, today=TODAY)


def test_every_problem_is_reported_at_once_and_the_first_is_the_summary():
    data = ReferralProgressInput(
        assessment_started_on=date(2026, 5, 1),  # before the referral
        icpc_on=date(2026, 6, 6),  # a Saturday, with no section 47 enquiry
        closure_reason="XX",
    )
    with pytest.raises(ValidationError) as caught:
        referral_progress_validate(data, referred_on=REFERRED, today=TODAY)
    errors = caught.value.errors
    assert list(errors) == ["assessment_started_on", "s47_started_on", "icpc_on", "closure_reason"]
    assert caught.value.message == errors["assessment_started_on"][0]
