"""Event logs streamed to parquet in batches, so memory stays flat over a simulated year."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from patientflow.core.files import part_path


class ParquetLog:
    """Rows buffered and appended to one parquet file every `batch_rows` rows. Columns are
    fixed by `schema` (name -> pyarrow type); a row may leave any of them out (null). A row
    made by `new_row` is a list of every column in schema order, filled by index and filed by
    `append_values(row)` without a lookup per cell.

    The buffer is one flat list, row after row, cut into columns (`flat[i::width]`) when it is
    written: filing a row is then one `list.extend`, where a list per column took an append
    per cell (a fifth of the time; the slices add a fifth to the conversion:
    benchmarks/results/eventlog_buffer.md)."""

    def __init__(self, path: Path, schema: dict[str, pa.DataType], batch_rows: int) -> None:
        self.path = Path(path)
        self.schema = pa.schema(list(schema.items()))
        self.batch_rows = max(int(batch_rows), 1)
        self._template: list = [None] * len(self.schema.names)
        # A row of every column, empty (None), in schema order: the template's own `copy`, so
        # that making a row runs no Python frame (one a journey).
        self.new_row: Callable[[], list] = self._template.copy
        self._width = len(self.schema.names)
        self._flat: list = []
        self._flush_at = self.batch_rows * self._width
        self._writer: pq.ParquetWriter | None = None
        self.rows_written = 0

    def append(self, row: dict) -> None:
        """One row given as a dict (columns it leaves out are null)."""
        self._refuse_unknown(row)
        self.append_values(list(map(row.get, self.schema.names)))

    def append_values(self, values: Sequence) -> None:
        """One row given as its values in schema order, one per column."""
        if len(values) != self._width:
            raise ValueError(
                f"{self.path.name}: a row of {len(values)} values for {self._width} columns"
            )
        flat = self._flat
        flat.extend(values)
        if len(flat) >= self._flush_at:
            self.flush()

    def extend(self, columns: dict[str, list]) -> None:
        """A block of rows given column by column (every list as long; missing columns null)."""
        self._refuse_unknown(columns)
        lengths = {len(v) for v in columns.values()}
        if not lengths:
            raise ValueError(f"{self.path.name}: a block without columns (how many rows?)")
        if len(lengths) != 1:
            raise ValueError(f"{self.path.name}: columns of unequal length {sorted(lengths)}")
        n = lengths.pop()
        empty = [None] * n
        cells = (columns.get(name) or empty for name in self.schema.names)
        self._flat.extend(chain.from_iterable(zip(*cells, strict=True)))
        if len(self._flat) >= self._flush_at:
            self.flush()

    def _refuse_unknown(self, named: dict) -> None:
        """A name outside the schema (a typing error) would otherwise be dropped, leaving its
        column null without a word."""
        unknown = sorted(set(named) - set(self.schema.names))
        if unknown:
            raise ValueError(f"{self.path.name}: no column named {unknown} in this log")

    def flush(self) -> None:
        flat, width = self._flat, self._width
        n = len(flat) // width
        if not n:
            return
        arrays = [pa.array(flat[i::width], type=t) for i, t in enumerate(self.schema.types)]
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        if self._writer is None:
            self._writer = pq.ParquetWriter(part_path(self.path), self.schema)
        self._writer.write_table(table)
        self.rows_written += n
        self._flat = []

    def close(self) -> Path:
        """Write what is left and move the log to its final name (until then it is a hidden
        part file: an interrupted run leaves no half log under the final name)."""
        self.flush()
        if self._writer is None:
            pq.write_table(self.schema.empty_table(), part_path(self.path))
        else:
            self._writer.close()
        os.replace(part_path(self.path), self.path)
        return self.path


def read_compact(
    path: Path, columns: list[str] | None = None, after_warmup: bool = False
) -> pd.DataFrame:
    """An event log read back small, a column at a time: only `columns`, strings as
    categoricals, booleans as nullable booleans, and with `after_warmup` only the journeys
    after the warm-up. A national year is millions of rows; reading it whole through one
    Arrow table would hold it two to three times over."""
    log_file = pq.ParquetFile(path)
    schema = log_file.schema_arrow
    names = columns or schema.names
    strings = [n for n in names if schema.field(n).type == pa.string()]
    log_file = pq.ParquetFile(path, read_dictionary=strings)
    keep = None
    if after_warmup:
        warmup = log_file.read(columns=["warmup"]).column("warmup")
        keep = ~warmup.to_numpy(zero_copy_only=False).astype(bool)
    as_pandas = {pa.bool_(): pd.BooleanDtype()}.get
    frame = {}
    for name in names:
        series = log_file.read(columns=[name]).to_pandas(
            types_mapper=as_pandas, self_destruct=True
        )[name]
        frame[name] = series[keep].reset_index(drop=True) if keep is not None else series
        del series
    return pd.DataFrame(frame, copy=False)
