"""Benchmark: what filing a journey's row and writing its batch cost, by how rows are buffered.

Rows of a real journey log (`--log`, or a national run of `--days` made here) are filed
`--rows` at a time and turned into pyarrow arrays, as `ParquetLog` does before each write:

- `per_column`: a list per column, a row filed by one `list.append` per cell (the log up to
  December 2026);
- `flat`: one flat list, a row filed by one `list.extend`, cut into columns by slices
  (`flat[i::width]`) when the batch is written (the log now);

and checks that both give the same arrays. Prints the median milliseconds per batch for
filing and for converting, over `--repeats` rounds in this one process.

    python benchmarks/eventlog_buffer.py --repeats 5

Not part of the test suite; run it on purpose on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def rows_of(log: Path, n: int) -> list[list]:
    """The first `n` rows of a journey log, each a list in schema order."""
    import pyarrow.parquet as pq

    table = pq.read_table(log).slice(0, n)
    return [list(row) for row in zip(*(c.to_pylist() for c in table.columns), strict=True)]


def per_column(rows: list[list], types: list) -> tuple[float, float, list]:
    import pyarrow as pa

    t0 = time.perf_counter()
    columns: list[list] = [[] for _ in types]
    for row in rows:
        any(map(list.append, columns, row))
    t1 = time.perf_counter()
    arrays = [pa.array(c, type=t) for c, t in zip(columns, types, strict=True)]
    return t1 - t0, time.perf_counter() - t1, arrays


def flat(rows: list[list], types: list) -> tuple[float, float, list]:
    import pyarrow as pa

    t0 = time.perf_counter()
    cells: list = []
    extend = cells.extend
    for row in rows:
        extend(row)
    t1 = time.perf_counter()
    width = len(types)
    arrays = [pa.array(cells[i::width], type=t) for i, t in enumerate(types)]
    return t1 - t0, time.perf_counter() - t1, arrays


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--log", type=Path, help="a journeys.parquet (default: a national run here)")
    p.add_argument("--days", type=float, default=6, help="days of the national run made here")
    p.add_argument("--rows", type=int, default=100_000, help="rows per batch (sim.batch_rows)")
    p.add_argument("--repeats", type=int, default=5)
    a = p.parse_args(argv)
    import patientflow
    from patientflow.acute.logs import JOURNEY_SCHEMA

    log, source = a.log, str(a.log)
    if log is None:
        source = f"a national run of {a.days:g} days"
        out = Path(tempfile.mkdtemp(prefix="eventlog_buffer_"))
        overrides = ["region=nl", f"sim.days={a.days}", "sim.progress=false"]
        patientflow.run(patientflow.compose([*overrides, "report.figures=false"]), out)
        log = out / "journeys.parquet"
    rows = rows_of(log, a.rows)
    types = list(JOURNEY_SCHEMA.values())
    times: dict[str, tuple[list[float], list[float]]] = {}
    results = {}
    for _ in range(a.repeats):
        for way in (per_column, flat):
            filing, converting, results[way.__name__] = way(rows, types)
            spent = times.setdefault(way.__name__, ([], []))
            spent[0].append(filing)
            spent[1].append(converting)
    same = all(x.equals(y) for x, y in zip(results["per_column"], results["flat"], strict=True))
    print(f"{len(rows):,} rows of {source}, {a.repeats} rounds; same arrays: {same}\n")
    print("| buffer | filing, ms per batch (median) | converting, ms per batch (median) |")
    print("|---|---|---|")
    for way, (filing, converting) in times.items():
        f_ms, c_ms = 1e3 * statistics.median(filing), 1e3 * statistics.median(converting)
        print(f"| {way} | {f_ms:.1f} | {c_ms:.1f} |")
    return 0 if same else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main())
