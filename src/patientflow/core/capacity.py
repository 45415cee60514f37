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
    capacity factor (a staff shortage), never below `min_staff`."""
    load = arrivals_per_hour * mean_service_min / 60.0
    staff = np.ceil(load / target - 1e-9)
    return np.maximum(np.round(staff * factor), min_staff).astype(int)
