"""The acute model's event logs: one row per journey (what happened to one acute care
question, with the times of each stage) and one row per facility per recorded period."""

from __future__ import annotations

import pyarrow as pa

JOURNEY_SCHEMA: dict[str, pa.DataType] = {
    "journey_id": pa.int64(),
    "arrival_min": pa.float64(),
    "point_id": pa.string(),
    "municipality_code": pa.string(),
    "roaz_code": pa.string(),
    "channel": pa.string(),
    "path": pa.string(),
    "urgency": pa.string(),
    "desk_id": pa.string(),
    "zcc_id": pa.string(),
    "call_wait_min": pa.float64(),
    "zcc_consult_id": pa.string(),
    "zcc_consult_wait_min": pa.float64(),
    "outcome": pa.string(),
    "gp_post_id": pa.string(),
    "gp_wait_min": pa.float64(),
    "dispatch_zcc_id": pa.string(),
    "dispatch_wait_min": pa.float64(),
    "amb_region": pa.string(),
    "amb_post_id": pa.string(),
    "amb_wait_min": pa.float64(),
    "amb_response_min": pa.float64(),
    "travel_min": pa.float64(),
    "diverted": pa.bool_(),
    "seh_within_norm": pa.bool_(),
    "seh_site_id": pa.string(),
    "seh_route": pa.string(),
    "seh_arrival_min": pa.float64(),
    "triage_wait_min": pa.float64(),
    "bay_queue_min": pa.float64(),
    "bay_wait_min": pa.float64(),
    "bed_wait_min": pa.float64(),
    "disposition": pa.string(),
    "seh_departure_min": pa.float64(),
    "end_min": pa.float64(),
    "warmup": pa.bool_(),
}

TIMESERIES_SCHEMA: dict[str, pa.DataType] = {
    "time_min": pa.float64(),
    "facility_type": pa.string(),
    "facility_id": pa.string(),
    "busy": pa.int64(),
    "capacity": pa.int64(),
    "queue": pa.int64(),
    "occupied_beds": pa.int64(),
    "stopped": pa.bool_(),
}
