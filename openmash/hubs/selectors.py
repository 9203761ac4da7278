"""Reads of hub configuration."""

from datetime import datetime

from openmash.core.working_time import TimeUnit

from .models import Agency, DecisionOutcome, Hub, LevelOfNeed, Stage, Timescale

# National defaults (Working Together 2023 and a typical local RAG scheme); hubs override.
DEFAULT_TIMESCALES: dict[str, tuple[int, TimeUnit]] = {
    Stage.SCREENING: (1, TimeUnit.WORKING_DAYS),
    Stage.ENQUIRY_RED: (4, TimeUnit.WORKING_HOURS),
    Stage.ENQUIRY_AMBER: (24, TimeUnit.WORKING_HOURS),
    Stage.ENQUIRY_GREEN: (72, TimeUnit.WORKING_HOURS),
    Stage.DECISION: (1, TimeUnit.WORKING_DAYS),
    Stage.FEEDBACK: (1, TimeUnit.WORKING_DAYS),
}


def timescale_for(hub: Hub, stage: str) -> tuple[int, TimeUnit]:
    row = Timescale.objects.filter(hub=hub, stage=stage).first()
    if row is not None:
        return row.amount, TimeUnit(row.unit)
    return DEFAULT_TIMESCALES[stage]


def due_at(hub: Hub, stage: str, start: datetime) -> datetime:
    """When a stage that began at `start` is due, counted in the hub's working time."""
    amount, unit = timescale_for(hub, stage)
    return hub.calendar().add(start, amount, unit)


UNIT_WORDS = {TimeUnit.WORKING_HOURS: "working hours", TimeUnit.WORKING_DAYS: "working days"}


def timescale_description(hub: Hub, stage: str) -> str:
    """The timescale in words, e.g. "24 working hours"."""
    amount, unit = timescale_for(hub, stage)
    return f"{amount} {UNIT_WORDS[unit]}"


def enquiry_stage_for_rag(rag: str) -> str:
    return {"red": Stage.ENQUIRY_RED, "amber": Stage.ENQUIRY_AMBER}.get(rag, Stage.ENQUIRY_GREEN)


def agencies_answering_requests(hub: Hub) -> list[Agency]:
    return list(Agency.objects.filter(hub=hub, is_mash_team=False).order_by("name"))


def levels_of_need(hub: Hub) -> list[LevelOfNeed]:
    return list(LevelOfNeed.objects.filter(hub=hub).order_by("level"))


def active_outcomes(hub: Hub) -> list[DecisionOutcome]:
    return list(DecisionOutcome.objects.filter(hub=hub, active=True))
