"""A hub's settings checks, without a database."""

from openmash.hubs.services import TimescaleInput, hub_settings_check

WEEKDAYS = {str(day): ["09:00", "17:00"] for day in range(5)}


def check(
    working_hours: dict[str, list[str]] | None = None,
    region: str = "england-and-wales",
    timescales: list[TimescaleInput] | None = None,
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    problems, cleaned = hub_settings_check(
        working_hours=WEEKDAYS if working_hours is None else working_hours,
        bank_holiday_region=region,
        timescales=timescales or [],
    )
    return problems.as_dict(), cleaned


def test_good_settings_are_cleaned_to_hours_and_minutes() -> None:
    problems, cleaned = check({"0": ["09:00", "00:00"], "6": ["08:30:00", "12:00"]})
    assert problems == {}
    assert cleaned == {"0": ["09:00", "00:00"], "6": ["08:30", "12:00"]}


def test_each_days_problem() -> None:
    problems, cleaned = check(
        {"7": ["09:00", "17:00"], "1": ["09:00"], "2": ["nine", "five"], "3": ["17:00", "09:00"]}
    )
    assert list(problems.items()) == [
        ("working_hours.7", ["Give an opening and a closing time"]),
        ("working_hours.1", ["Give an opening and a closing time"]),
        ("working_hours.2", ["Enter times like 09:00 and 17:00"]),
        ("working_hours.3", ["The closing time must be after the opening time"]),
    ]
    assert cleaned == {}


def test_a_hub_is_open_some_day_in_a_known_region() -> None:
    problems, _ = check({}, region="mars")
    assert list(problems.items()) == [
        ("working_hours", ["The hub must be open on at least one day"]),
        ("bank_holiday_region", ["Choose England and Wales, Scotland or Northern Ireland"]),
    ]


def test_a_stage_given_twice_keeps_its_place_and_its_last_problem() -> None:
    problems, _ = check(
        timescales=[
            TimescaleInput(stage="screening", amount=0, unit="working_hours"),
            TimescaleInput(stage="bogus", amount=1, unit="working_hours"),
            TimescaleInput(stage="screening", amount=1, unit="working_hours"),
            TimescaleInput(stage="decision", amount=1, unit="weeks"),
        ]
    )
    assert list(problems.items()) == [
        ("timescales.screening", ["Choose each stage once"]),
        ("timescales.bogus", ["Choose each stage once"]),
        ("timescales.decision", ["Choose working hours or working days"]),
    ]
