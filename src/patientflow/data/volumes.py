"""A user's per-hospital volumes of complex interventions (for example from the Zorginstituut's
open quality data): hospitals named by site id or by name, matched to the sites table. Every
row that does not fit is one problem naming the file, the row and, for a name that matches no
site or several, the candidates; nothing is guessed."""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from patientflow.data.loader import Dataset, default_data_dir
from patientflow.data.table_reader import (
    CSV_ERRORS,
    WHOLE,
    WHOLE_EXPECTED,
    not_a_file,
    read_rows,
)
from patientflow.errors import DataError, Problem

log = logging.getLogger(__name__)

COLUMNS = ("hospital", "intervention", "year", "volume")
KEY = ["site_id", "intervention", "year"]


def normalised(name: str) -> str:
    """A hospital name for matching: accents dropped, lower case, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def match_hospitals(names: pd.Series, sites: pd.DataFrame) -> tuple[list[str | None], list[str]]:
    """Per name the site id it means (None when none or several) and, per name, why not: a
    site id as is, else the one site whose name (or organisation, when it has one site) is the
    same after normalising."""
    by_name: dict[str, set[str]] = {}
    for sid, name, org in sites[["site_id", "name", "organisation"]].itertuples(index=False):
        by_name.setdefault(normalised(name), set()).add(sid)
        by_name.setdefault(normalised(org), set()).add(sid)
    known_ids = set(sites["site_id"])
    label = dict(zip(sites["site_id"], sites["name"], strict=True))
    ids: list[str | None] = []
    why: list[str] = []
    for raw in names.astype(str):
        text = raw.strip()
        if text in known_ids:
            ids.append(text)
            why.append("")
            continue
        found = sorted(by_name.get(normalised(text), set()))
        if len(found) == 1:
            ids.append(found[0])
            why.append("")
            continue
        ids.append(None)
        if found:
            options = ", ".join(f"{s} ({label[s]})" for s in found)
            why.append(f"'{text}' is ambiguous: it names {options}; give the site id")
        else:
            close = difflib.get_close_matches(normalised(text), list(by_name), n=3, cutoff=0.6)
            hint = (
                "; ".join(f"{', '.join(sorted(by_name[c]))} ({c})" for c in close) or "none close"
            )
            why.append(f"'{text}' matches no site; closest: {hint}; give the site id")
    return ids, why


def load_volumes(path: str | Path, data: Dataset) -> Dataset:
    """The dataset with the interventions in the user's file taking their volumes from it (each
    hospital's latest year for the intervention, so a hospital whose figures stop earlier keeps
    its last ones, said in the log); other interventions keep theirs. DataError lists every row
    that does not fit, and every second volume for one site, intervention and year."""
    file = str(path)
    p = Path(path)
    if absent := not_a_file(p):
        raise DataError([Problem(file, None, None, absent)])
    try:
        raw, lines = read_rows(p)
    except CSV_ERRORS as exc:
        raise DataError([Problem(file, None, None, f"cannot be read as CSV: {exc}")]) from exc
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataError([Problem(file, None, c, "missing column") for c in missing])
    problems: list[Problem] = []
    ids, why = match_hospitals(raw["hospital"], data.sites)
    known = set(data.interventions["intervention"])
    year_text, volume_text = raw["year"].str.strip(), raw["volume"].str.strip()
    year = pd.to_numeric(year_text.where(year_text.str.fullmatch(WHOLE)), errors="coerce")
    volume = pd.to_numeric(volume_text.where(volume_text.str.fullmatch(WHOLE)), errors="coerce")
    for i in range(len(raw)):
        row = int(lines[i])
        if why[i]:
            problems.append(Problem(file, row, "hospital", why[i]))
        name = raw["intervention"].iat[i].strip()
        if name not in known:
            listed = ", ".join(sorted(known))
            problems.append(
                Problem(file, row, "intervention", f"'{name}' is not an intervention ({listed})")
            )
        if not 1990 <= year.iat[i] <= 2100:
            problems.append(
                Problem(
                    file,
                    row,
                    "year",
                    f"'{year_text.iat[i]}' is not a year: a whole number from 1990 to 2100 "
                    "is expected",
                )
            )
        if not volume.iat[i] >= 0:
            problems.append(
                Problem(
                    file,
                    row,
                    "volume",
                    f"'{volume_text.iat[i]}' is not a whole number >= 0: {WHOLE_EXPECTED}",
                )
            )
    if problems:
        raise DataError(problems)
    table = pd.DataFrame(
        {
            "site_id": ids,
            "intervention": raw["intervention"].str.strip(),
            "year": year.astype(int),
            "annual_volume": volume.astype(int),
            "row": lines,
        }
    )
    dup = table.duplicated(KEY, keep="first")
    if dup.any():
        again = table.assign(first_row=table.groupby(KEY)["row"].transform("first"))[dup]
        raise DataError(
            [
                Problem(
                    file,
                    int(r.row),
                    "hospital",
                    f"a second volume for {r.site_id}, {r.intervention} and {r.year} (the first "
                    f"is on row {r.first_row}): one volume per site, intervention and year is "
                    "expected",
                )
                for r in again.itertuples()
            ]
        )
    latest = table[table["year"] == table.groupby(KEY[:2])["year"].transform("max")]
    _refuse_closed_sites(file, latest, data.sites)
    _say_older_years(latest)
    mine = set(latest["intervention"])
    kept = data.site_interventions[~data.site_interventions["intervention"].isin(mine)]
    embedded = frozenset(embedded_volumes(data, data.interventions["intervention"])) - mine
    combined = pd.concat(
        [kept, latest[["site_id", "intervention", "annual_volume"]]], ignore_index=True
    ).sort_values(["site_id", "intervention"], ignore_index=True)
    return replace(
        data,
        site_interventions=combined,
        paths={**data.paths, "site_interventions": p},
        embedded_volumes=embedded,
    )


def embedded_volumes(data: Dataset, names: Iterable[str]) -> list[str]:
    """The interventions among `names` whose per-hospital volumes are the embedded
    approximation: a volumes file may replace only some, and the run must say which."""
    if data.embedded_volumes is not None:
        return [n for n in names if n in data.embedded_volumes]
    embedded = data.paths["site_interventions"] == default_data_dir() / "site_interventions.csv"
    return list(names) if embedded else []


def volumes_source(data: Dataset, names: Iterable[str]) -> str:
    """Where a care run's per-hospital volumes come from, for its summary."""
    names = list(names)
    embedded = embedded_volumes(data, names)
    note = "embedded approximation (data README): replace with your own per-hospital volumes"
    if not embedded:
        return str(data.paths["site_interventions"])
    if len(embedded) == len(names):
        return note
    return f"{note} ({', '.join(embedded)}); the others from {data.paths['site_interventions']}"


def _refuse_closed_sites(file: str, latest: pd.DataFrame, sites: pd.DataFrame) -> None:
    """Refuse a volume above 0 at a site not open in 2025: today's providers are the open
    sites, so its patients would silently drop out of the national total."""
    status = sites.set_index("site_id")["status_2025"]
    label = sites.set_index("site_id")["name"]
    closed = latest[(latest["site_id"].map(status) != "open") & (latest["annual_volume"] > 0)]
    if len(closed):
        raise DataError(
            [
                Problem(
                    file,
                    int(r.row),
                    "hospital",
                    f"{r.site_id} ({label[r.site_id]}) is {status[r.site_id]} in 2025 (sites "
                    f"status_2025), so its {r.intervention} volume of {r.annual_volume} in "
                    f"{r.year} would drop out of today's patients: give it to the site that "
                    "took over its care, or a later year's row of 0",
                )
                for r in closed.itertuples()
            ]
        )


def _say_older_years(latest: pd.DataFrame) -> None:
    """Log, per intervention, the hospitals whose latest volume is older than the file's latest
    year for it: their last figures are used, so a run never mixes years without saying so."""
    newest = latest.groupby("intervention")["year"].transform("max")
    for name, rows in latest[latest["year"] < newest].groupby("intervention"):
        log.warning(
            "care volumes, %s: %s from an earlier year than the file's latest for it",
            name,
            ", ".join(f"{s} ({y})" for s, y in zip(rows["site_id"], rows["year"], strict=True)),
        )
