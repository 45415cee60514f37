"""The population of a later year (`demand.year`): each municipality's under-65 and 65+
inhabitants grown by the CBS national prognosis, or taken from the user's regional prognosis
file (municipality x year). Applied once, when the run's data is loaded, so every job sees the
same population; the age effect on demand stays measured against the base year's national 65+
share, so ageing raises demand per inhabitant."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.data.loader import Dataset
from patientflow.data.schema import Column, TableSchema
from patientflow.data.table_reader import read_table
from patientflow.errors import DataError, Problem

log = logging.getLogger(__name__)

# CBS Kernprognose 2024-2070 (December 2024; shared/domain-facts.md): about 18.0 M inhabitants
# on 1 January 2025, 19 M passed in 2037, 20 M in 2058; the 65+ share from about 21 % (end
# 2024) to 25 % by 2040. Linear between the anchors, from the country of the base year.
POPULATION_M = {2025: 18.0, 2037: 19.0, 2058: 20.0}
SHARE_65PLUS = {2025: 0.21, 2040: 0.25}
BASE_YEAR = 2024
LAST_YEAR = 2058
# The country on 1 January 2024 (CBS; the embedded municipalities table, data README): the base
# every municipality grows from, whatever part of the country a data folder holds. The 65+ share
# is the embedded table's population-weighted share (CBS's rounded percentages: 20.5 %; CBS
# says 20.4 %), to the last digit, so the embedded country grows to exactly the prognosis.
NATIONAL_POPULATION_2024 = 17_942_942
NATIONAL_SHARE_65PLUS_2024 = 0.20496369658888716

PROGNOSIS_TABLE = TableSchema(
    "prognosis",
    "prognosis.csv",
    "",
    (
        Column("municipality_code", pattern=r"^GM\d{4}$"),
        Column("year", "int", minimum=BASE_YEAR, maximum=2070),  # the CBS prognosis' years
        Column("population", "int", non_negative=True),
        Column("share_65plus", "float", non_negative=True, maximum=1.0),
    ),
    coordinates=False,
    references={"municipality_code": "municipalities.municipality_code"},
)


def _interpolate(anchors: dict[int, float], year: int) -> float:
    years = sorted(anchors)
    return float(np.interp(year, years, [anchors[y] for y in years]))


def national_population(year: int) -> tuple[float, float]:
    """(inhabitants, 65+ share) of the country in `year` by the CBS prognosis: the national
    totals a region is a share of. The 65+ share is held at its 2040 value after 2040 (the
    prognosis' peak; no later figure in domain-facts)."""
    anchors_pop = {BASE_YEAR: NATIONAL_POPULATION_2024 / 1e6, **POPULATION_M}
    anchors_65 = {BASE_YEAR: NATIONAL_SHARE_65PLUS_2024, **SHARE_65PLUS}
    pop = _interpolate(anchors_pop, year) * 1e6
    return pop, _interpolate(anchors_65, min(year, max(SHARE_65PLUS)))


def national_factors(year: int) -> tuple[float, float]:
    """(growth of the under-65, growth of the 65+) from 2024 to `year`, nationally: the
    prognosis over the country of 2024, never over the data folder's own total (a folder of one
    region would otherwise be pinned to the whole country's 18 M)."""
    pop, share = national_population(year)
    base, base_share = NATIONAL_POPULATION_2024, NATIONAL_SHARE_65PLUS_2024
    return (
        pop * (1 - share) / (base * (1 - base_share)),
        pop * share / (base * base_share),
    )


def project(data: Dataset, year: int, prognosis_file: str | None = None) -> Dataset:
    """The dataset with municipalities and demand points at `year`'s population. The user's
    file gives a municipality's population and 65+ share for the year; the others follow the
    national prognosis applied to their own age structure (the run logs how many of each)."""
    munis = data.municipalities
    pop = munis["population"].to_numpy(dtype=float)
    share = munis["share_65plus"].to_numpy(dtype=float)
    if year == BASE_YEAR and not prognosis_file:
        return data
    young, old = national_factors(year)
    new_young, new_old = pop * (1 - share) * young, pop * share * old
    new_pop = new_young + new_old
    new_share = np.divide(new_old, new_pop, out=share.copy(), where=new_pop > 0)
    own = _own_rows(prognosis_file, year, data) if prognosis_file else pd.DataFrame()
    if not own.empty:
        row_of = {c: i for i, c in enumerate(munis["municipality_code"])}
        idx = own["municipality_code"].map(row_of).to_numpy()
        new_pop[idx] = own["population"].to_numpy(dtype=float)
        new_share[idx] = own["share_65plus"].to_numpy(dtype=float)
    log.info(
        "population of %d: %d municipalities from %s, %d by the CBS national prognosis "
        "(%.2f M inhabitants, 65+ %.1f %%)",
        year,
        len(own),
        prognosis_file or "-",
        len(munis) - len(own),
        new_pop.sum() / 1e6,
        100 * float(np.average(new_share, weights=new_pop)),
    )
    factor = pd.Series(np.divide(new_pop, pop, out=np.ones_like(pop), where=pop > 0))
    factor.index = munis["municipality_code"]
    points = data.demand_points.copy()
    points["population"] = points["population"] * points["municipality_code"].map(factor)
    return replace(
        data,
        municipalities=munis.assign(population=new_pop, share_65plus=new_share),
        demand_points=points,
        reference_share_65plus=NATIONAL_SHARE_65PLUS_2024,
        base_municipalities=munis,
    )


# The most a municipality may grow over its base year in the user's file: what
# scenario.population_factor allows the study area. A digit too many (380,000,000 for Utrecht's
# 380,000) made a run that never ended, drawing patients for hundreds of millions.
MAX_GROWTH = 10.0


def _implausible_growth(
    path: str, frame: pd.DataFrame, lines: np.ndarray, munis: pd.DataFrame
) -> list[Problem]:
    """A problem per row whose population is more than MAX_GROWTH times its base year's."""
    if frame.empty:
        return []
    population = munis.set_index("municipality_code")["population"].astype(float)
    base = frame["municipality_code"].map(population)
    too_big = (base > 0) & (frame["population"].astype(float) > MAX_GROWTH * base)
    return [
        Problem(
            path,
            int(lines[i]),
            "population",
            f"{int(frame.at[i, 'population']):,} is more than {MAX_GROWTH:g} times "
            f"{frame.at[i, 'municipality_code']}'s {BASE_YEAR} population ({int(base[i]):,}), "
            "the most scenario.population_factor allows: a digit too many?",
        )
        for i in frame.index[too_big.to_numpy()]
    ]


def _own_rows(path: str, year: int, data: Dataset) -> pd.DataFrame:
    """The user's rows for `year`, checked: every problem named by file and row, a
    municipality listed twice for any year of the file included (a regiobeeld reads a second
    year from it later, and its duplicates must not wait for that)."""
    frame, problems, lines = read_table(
        Path(path), PROGNOSIS_TABLE, {"municipalities": data.municipalities}
    )
    if not problems:
        years = frame["year"].astype(int)
        mine = frame[years == year]
        dup = frame.assign(year=years).duplicated(["municipality_code", "year"], keep="first")
        problems += [
            Problem(path, int(lines[i]), "municipality_code", f"listed twice for {years[i]}")
            for i in frame.index[dup.to_numpy()]
        ]
        problems += _implausible_growth(path, frame, lines, data.municipalities)
        if mine.empty:
            years = ", ".join(sorted({str(int(y)) for y in frame["year"]})) or "none"
            problems.append(Problem(path, None, "year", f"no rows for {year} (years: {years})"))
    if problems:
        raise DataError(problems)
    return mine.reset_index(drop=True)
