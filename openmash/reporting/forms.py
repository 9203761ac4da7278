"""The reporting pages' GET forms: a period and filters (dashboard, report), two periods
(evaluation), a month (monthly return).

Dates are GOV.UK date inputs, but each also reads one ISO value (`?start=2026-04-01`), so
links (quick choices, CSV downloads, the printable report) carry a period compactly."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils import timezone

from openmash.contacts.models import Rag
from openmash.core.standards import NATIONAL_OUTCOMES, REFERRAL_SOURCES
from openmash.hubs.models import Hub, LevelOfNeed
from openmash.web.forms import GovukDateField, GovukDateWidget

from .metrics import UNDECIDED, UNRATED, FactFilter, Period

MAX_PERIOD_DAYS = 5 * 366  # longer periods are refused: five years is ample for any question
_PARTS = ("day", "month", "year")


class IsoOrPartsDateWidget(GovukDateWidget):
    """The GOV.UK date input, also reading `<name>=YYYY-MM-DD` when the parts are absent."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if not any(f"{name}_{part}" in data for part in _PARTS) and data.get(name):
            raw = str(data.get(name)).strip()
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                return ["0", "0", "0000"]  # reported as "... must be a real date"
            return [str(value.day), str(value.month), str(value.year)]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)


def _date_field(label: str, error_name: str) -> GovukDateField:
    return GovukDateField(label=label, error_name=error_name, widget=IsoOrPartsDateWidget)


def months_before(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def last_month(today: date) -> Period:
    first = months_before(today, 1)
    return Period(first, today.replace(day=1) - timedelta(days=1))


def last_12_months(today: date) -> Period:
    """The twelve whole months before this one."""
    return Period(months_before(today, 12), today.replace(day=1) - timedelta(days=1))


def financial_year(today: date) -> Period:
    """This financial year (from 1 April) to today."""
    year = today.year if today.month >= 4 else today.year - 1
    return Period(date(year, 4, 1), today)


def quick_periods(today: date) -> list[tuple[str, Period]]:
    return [
        ("Last month", last_month(today)),
        ("Last 12 months", last_12_months(today)),
        ("This financial year", financial_year(today)),
    ]


def _check_period(
    form: forms.Form, start_name: str, end_name: str, what: str = "The period"
) -> Period | None:
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    if start is None or end is None:
        return None
    if end < start:
        form.add_error(end_name, f"{what} must end on or after the day it starts")
        return None
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        form.add_error(end_name, f"{what} must be 5 years or shorter")
        return None
    return Period(start, end)


class PeriodFilterForm(forms.Form):
    """The dashboard's and report's period and filters."""

    start = _date_field("From", "The start date")
    end = _date_field("To", "The end date")
    rag = forms.ChoiceField(label="RAG rating", required=False)
    level = forms.ChoiceField(label="Level of need", required=False)
    source = forms.ChoiceField(label="Source of the contact", required=False)
    outcome = forms.ChoiceField(label="Outcome", required=False)

    def __init__(self, data: QueryDict, *, hub: Hub) -> None:
        # Without a period in the query, the last 12 whole months.
        if not any(k == n or k.startswith(f"{n}_") for k in data for n in ("start", "end")):
            data = data.copy()
            default = last_12_months(timezone.localdate())
            data["start"], data["end"] = default.start.isoformat(), default.end.isoformat()
        super().__init__(data)
        choices: dict[str, list[tuple[str, str]]] = {
            "rag": [("", "All ratings"), *((r.value, str(r.label)) for r in Rag)],
            "level": [
                ("", "All levels"),
                *((str(lv.level), str(lv)) for lv in LevelOfNeed.objects.filter(hub=hub)),
            ],
            "source": [
                ("", "All sources"),
                *((code, f"{code}: {label}") for code, label in REFERRAL_SOURCES.items()),
            ],
            "outcome": [("", "All outcomes"), *NATIONAL_OUTCOMES.items()],
        }
        choices["rag"].append((UNRATED, "Not rated"))
        choices["outcome"].append((UNDECIDED, "Not yet decided"))
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options
        self.choice_labels = {name: dict(options) for name, options in choices.items()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["period"] = _check_period(self, "start", "end")
        return cleaned

    @property
    def period(self) -> Period:
        period = self.cleaned_data.get("period")
        assert isinstance(period, Period), "only for a valid form"
        return period

    @property
    def filters(self) -> FactFilter:
        data = self.cleaned_data
        level = data.get("level") or ""
        return FactFilter(
            rag=data.get("rag") or "",
            level=int(level) if level else None,
            source=data.get("source") or "",
            outcome=data.get("outcome") or "",
        )

    def query(self, *, period: Period | None = None, drop: str = "", **extra: str) -> str:
        """This form's choices as a compact query string (ISO dates), e.g. for a CSV link."""
        period = period or self.period
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        for name in ("rag", "level", "source", "outcome"):
            value = self.cleaned_data.get(name) or ""
            if value and name != drop:
                params[name] = value
        params.update(extra)
        return urlencode(params)

    def selected(self) -> list[tuple[str, str, str]]:
        """The filters in force: (heading, choice label, the query without it)."""
        out = []
        for name in ("rag", "level", "source", "outcome"):
            value = self.cleaned_data.get(name) or ""
            if value:
                label = self.choice_labels[name].get(value, value)
                out.append((str(self.fields[name].label), label, self.query(drop=name)))
        return out


class EvaluationForm(forms.Form):
    """Two periods: before and after a change of practice."""

    before_from = _date_field("From", "The start of the period before")
    before_to = _date_field("To", "The end of the period before")
    after_from = _date_field("From", "The start of the period after")
    after_to = _date_field("To", "The end of the period after")

    def __init__(self, data: QueryDict) -> None:
        names = ("before_from", "before_to", "after_from", "after_to")
        if not any(k.split("_")[0] in ("before", "after") for k in data):
            # Without periods, the last 12 whole months against the 12 before them.
            data = data.copy()
            after = last_12_months(timezone.localdate())
            before = Period(months_before(after.start, 12), after.start - timedelta(days=1))
            values = (before.start, before.end, after.start, after.end)
            for name, value in zip(names, values, strict=True):
                data[name] = value.isoformat()
        super().__init__(data)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        before = _check_period(self, "before_from", "before_to", "The period before")
        after = _check_period(self, "after_from", "after_to", "The period after")
        if before is not None and after is not None and after.start <= before.end:
            self.add_error("after_from", "The period after must start after the period before ends")
            before = after = None
        cleaned["before"], cleaned["after"] = before, after
        return cleaned

    @property
    def periods(self) -> tuple[Period, Period]:
        before, after = self.cleaned_data.get("before"), self.cleaned_data.get("after")
        assert isinstance(before, Period) and isinstance(after, Period), "only for a valid form"
        return before, after

    def query(self, **extra: str) -> str:
        before, after = self.periods
        params = {
            "before_from": before.start.isoformat(),
            "before_to": before.end.isoformat(),
            "after_from": after.start.isoformat(),
            "after_to": after.end.isoformat(),
        }
        params.update(extra)
        return urlencode(params)


def month_choices(today: date, count: int = 36) -> list[tuple[str, str]]:
    """This month and the `count - 1` before it, newest first ("2026-10", "October 2026")."""
    months = [months_before(today, n) for n in range(count)]
    return [(m.strftime("%Y-%m"), m.strftime("%B %Y")) for m in months]


class ReturnMonthForm(forms.Form):
    month = forms.ChoiceField(label="Month", help_text="The return covers one calendar month.")

    def __init__(self, data: QueryDict | None = None) -> None:
        super().__init__(data)
        choices = month_choices(timezone.localdate())
        self.month_labels = dict(choices)
        field = cast(forms.ChoiceField, self.fields["month"])
        field.choices = choices
        field.initial = choices[1][0]  # last month: the one usually returned

    @property
    def year_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)
