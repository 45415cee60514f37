"""The event log writes every row in the order filed, whichever way it was filed."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patientflow.core.eventlog import ParquetLog

SCHEMA = {"a": pa.int64(), "b": pa.string(), "c": pa.float64()}
CELL = {
    "a": st.none() | st.integers(-5, 5),
    "b": st.none() | st.sampled_from(["x", "y", "zz"]),
    "c": st.none() | st.floats(-1.0, 1.0),
}
ROW = st.fixed_dictionaries(CELL)
FILED = st.lists(
    st.tuples(st.sampled_from(["values", "dict", "block"]), st.lists(ROW, min_size=1, max_size=4)),
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(filed=FILED, batch_rows=st.integers(1, 7))
def test_rows_come_back_in_the_order_filed_whichever_way(tmp_path, filed, batch_rows):
    """Rows come back in filing order, in row groups of a batch each: a batch is complete
    with the filing (a row or a block) that brings it to `batch_rows` rows or more."""
    path = tmp_path / f"log_{batch_rows}.parquet"
    log = ParquetLog(path, SCHEMA, batch_rows)
    expected: list[dict] = []
    groups, pending = [], 0
    for how, rows in filed:
        expected += rows
        for filing in [len(rows)] if how == "block" else [1] * len(rows):
            pending += filing
            if pending >= batch_rows:
                groups, pending = [*groups, pending], 0
        if how == "block":
            # a column empty in every row of the block (but the first) is left out: the log
            # fills it with nulls
            block = {name: [r[name] for r in rows] for name in SCHEMA}
            log.extend(
                {k: v for k, v in block.items() if k == "a" or any(x is not None for x in v)}
            )
            continue
        for r in rows:
            if how == "dict":
                log.append(r)
                continue
            row = log.new_row()
            assert row == [None] * len(SCHEMA)
            for i, name in enumerate(SCHEMA):
                row[i] = r.get(name)
            log.append_values(row)
    log.close()
    assert pq.read_table(path).to_pylist() == expected
    assert log.rows_written == len(expected)
    meta = pq.ParquetFile(path).metadata
    sizes = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    assert sizes == ([*groups, pending] if pending else groups or [0])


def test_a_block_of_columns_of_unequal_length_or_of_none_is_refused(tmp_path):
    log = ParquetLog(tmp_path / "y.parquet", SCHEMA, 10)
    with pytest.raises(ValueError, match="unequal length"):
        log.extend({"a": [1], "b": ["p", "q"]})
    with pytest.raises(ValueError, match="without columns"):
        log.extend({})


def test_a_row_of_another_width_is_refused_not_shifted_into_other_columns(tmp_path):
    log = ParquetLog(tmp_path / "z.parquet", SCHEMA, 10)
    for values in ([1, "x"], [1, "x", 0.5, "extra"]):
        with pytest.raises(ValueError, match=f"a row of {len(values)} values for 3 columns"):
            log.append_values(values)
    log.append_values([1, "x", 0.5])
    log.close()
    assert pq.read_table(tmp_path / "z.parquet").to_pylist() == [{"a": 1, "b": "x", "c": 0.5}]


def test_a_name_outside_the_schema_is_refused_not_dropped(tmp_path):
    log = ParquetLog(tmp_path / "u.parquet", SCHEMA, 10)
    with pytest.raises(ValueError, match=r"no column named \['d'\]"):
        log.append({"a": 1, "d": 2.0})
    with pytest.raises(ValueError, match=r"no column named \['cc'\]"):
        log.extend({"a": [1], "cc": [0.5]})
    log.close()
    assert pq.read_table(tmp_path / "u.parquet").num_rows == 0
