"""Configuration of the ruptured aortic aneurysm: how an acute AAA patient reaches its
operation (the ambulance's routing and the times on the way, docs/complex-care.md)."""

from __future__ import annotations

from dataclasses import dataclass

from patientflow.config.validate import Problems


@dataclass
class RupturedAaaConfig:
    """The acute AAA patient's way from the call to the operation. A share `recognised_share`
    is recognised by the ambulance crew and driven to the nearest repair centre (a provider of
    AAA repair in the network); the others go to the nearest open SEH and, where that SEH does
    not repair aneurysms, leave it after `door_in_door_out_min` for the nearest repair centre.
    `response_min` passes before the first ride (the 15-minute response allowance),
    `prep_min` at the centre before the operation. `mortality_per_hour`: extra mortality per
    hour from call to operation (an assumption; 0 reports no change in deaths). Minutes."""

    recognised_share: float = 0.5
    response_min: float = 15.0
    door_in_door_out_min: float = 60.0
    prep_min: float = 30.0
    mortality_per_hour: float = 0.0


def check_ruptured_config(
    cfg: RupturedAaaConfig, problems: Problems, key: str = "care.ruptured"
) -> None:
    """Shares in [0, 1], times not negative, each problem naming its key."""
    for attr in ("recognised_share", "mortality_per_hour"):
        problems.share(f"{key}.{attr}", getattr(cfg, attr))
    for attr in ("response_min", "door_in_door_out_min", "prep_min"):
        problems.non_negative(f"{key}.{attr}", getattr(cfg, attr))
