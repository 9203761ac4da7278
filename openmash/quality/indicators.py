"""The catalogue of computed outcome indicators: each is a figure of `metrics_compute`, named
by the national view's measure key so the hub's value can sit beside the national one."""

from collections.abc import Callable
from dataclasses import dataclass

from openmash.reporting.metrics import Metrics, Rate
from openmash.reporting.national.measures import BY_KEY, MeasureSpec


@dataclass(frozen=True)
class Indicator:
    key: str  # a key of the national catalogue (reporting.national.measures.BY_KEY)
    rate: Callable[[Metrics], Rate]

    @property
    def spec(self) -> MeasureSpec:
        return BY_KEY[self.key]

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def higher_is_better(self) -> bool | None:
        return self.spec.higher_is_better


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator("rereferrals", lambda m: m.repeat["rereferrals_12m"]),
        Indicator("recontacts", lambda m: m.repeat["recontacts_12m"]),
        Indicator("screened_on_time", lambda m: m.on_time["screening"]),
        Indicator("checks_on_time", lambda m: m.on_time["agency_checks"]),
        Indicator("decided_on_time", lambda m: m.on_time["decision"]),
        Indicator("feedback_on_time", lambda m: m.feedback_on_time),
        Indicator("feedback_sent", lambda m: m.feedback_sent),
        Indicator("rationale", lambda m: m.rationale_recorded),
        Indicator("to_early_help", lambda m: m.conversion["early_help"]),
    )
}
