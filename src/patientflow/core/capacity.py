"""Capacity rules shared by the acute and the complex-care models: beds planned for an expected
occupancy, and staff per hour for an expected load."""

from __future__ import annotations

import numpy as np


def planned_beds(expected_inpatients: float, occupancy: float, factor: float) -> int:
    """Beds for an expected number of inpatients: the expected inpatients at the target
    occupancy, and never fewer than three standard deviations (Poisson) above them, at least 4;
    times a capacity factor (a staff shortage closes beds too)."""
    occ = float(expected_inpatients)
    planned = max(occ / occupancy, occ + 3.0 * np.sqrt(occ), 4.0)
    return max(1, int(np.ceil(planned * factor)))


def staffing_schedule(
    arrivals_per_hour: np.ndarray,
    mean_service_min: float,
    target: float,
    min_staff: int,
    factor: float = 1.0,
) -> np.ndarray:
    """Staff per hour of week so that the expected occupancy stays at or below `target`, times a
    capacity factor (a staff shortage; `scaled_staff`), never below `min_staff`."""
    load = arrivals_per_hour * mean_service_min / 60.0
    return scaled_staff(np.ceil(load / target - 1e-9), factor, min_staff)


def scaled_staff(planned: np.ndarray, factor: float, min_staff: int) -> np.ndarray:
    """A week's staff per hour (the last axis) at `factor` times the planned, in whole staff,
    never below `min_staff`. Hours planned above `min_staff` share the change: each gets the
    floor or the ceiling of its share, rounded along their running total, so that their staff
    hours are the planned ones times the factor and the hours that lose (or gain) one are
    spread over the week; hours at `min_staff` keep it. Rounding each hour alone kept every
    team of two or three at 0.85 (1.7 and 2.55 round back to 2 and 3)."""
    planned = np.asarray(planned, dtype=float)
    staff = np.maximum(planned, min_staff)
    if factor != 1.0:
        rows, flex = staff.reshape(-1, staff.shape[-1]), planned > min_staff
        for row, mine in zip(rows, flex.reshape(rows.shape), strict=True):
            running = np.round(np.cumsum(row[mine] * factor) + 1e-9)
            row[mine] = np.diff(running, prepend=0.0)
        staff = np.maximum(rows.reshape(staff.shape), min_staff)
    return staff.astype(int)
