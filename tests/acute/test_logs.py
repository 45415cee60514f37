"""The journey row is a list filled by index: each index constant must name its own column, or
a value would be filed under another column's name without any error."""

from __future__ import annotations

import pyarrow.parquet as pq

from patientflow.acute import logs
from patientflow.acute.logs import JOURNEY_SCHEMA
from patientflow.core.eventlog import ParquetLog


def test_every_journey_column_has_the_index_of_its_place_in_the_schema():
    for place, name in enumerate(JOURNEY_SCHEMA):
        assert getattr(logs, name.upper()) == place, name


def test_a_value_set_by_its_column_constant_is_read_back_under_that_column(tmp_path):
    log = ParquetLog(tmp_path / "j.parquet", JOURNEY_SCHEMA, 10)
    row = log.new_row()
    row[logs.BED_WAIT_MIN] = 12.5
    row[logs.SEH_SITE_ID] = "H100201"
    log.append_values(row)
    back = log.close()

    (read,) = pq.read_table(back).to_pylist()
    assert read["bed_wait_min"] == 12.5 and read["seh_site_id"] == "H100201"
    assert sum(v is not None for v in read.values()) == 2
