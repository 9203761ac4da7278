"""Which of a hub's levels of need its casework has recorded.

hubs sits below the casework apps, so it cannot look at their models. Each app that records a
level against a hub's work says where, once, in its AppConfig.ready():

    level_of_need_recorded_on(Screening, hub_path="contact__hub")

and the hub's settings ask here before letting a level go."""

from django.db import models

from .models import Hub

# (model label, field) -> (model, path from the model to its hub)
_RECORDED_ON: dict[tuple[str, str], tuple[type[models.Model], str]] = {}


def level_of_need_recorded_on(
    model: type[models.Model], *, hub_path: str, field: str = "level_of_need"
) -> None:
    """Register a model whose `field` holds a level of need of the hub at `hub_path`."""
    _RECORDED_ON[(model._meta.label, field)] = (model, hub_path)


def levels_in_use(hub: Hub) -> set[int]:
    """Every level recorded anywhere in the hub's casework."""
    used: set[int] = set()
    for (_, field), (model, hub_path) in _RECORDED_ON.items():
        values = model._default_manager.filter(**{hub_path: hub}).values_list(field, flat=True)
        used |= {level for level in values if level is not None}
    return used
