"""The region's people and expected demand in one year: population, 65+ and 80+, the acute
contacts expected per channel (and the region's share of the country's 112 calls, by which the
public fleet is spread) and the complex-care patients expected per intervention."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from patientflow.acute.demand import DemandModel, ScenarioRates
from patientflow.care.study import expected_patients
from patientflow.config.demand import Channel
from patientflow.config.schema import RunConfig
from patientflow.core.area import StudyArea, national_share_65plus
from patientflow.data import Dataset
from patientflow.data.prognosis import PROGNOSIS_TABLE, national_population
from patientflow.data.table_reader import read_table
from patientflow.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

# CBS Kernprognose 2024-2070 (shared/domain-facts.md): 0.9 M inhabitants aged 80+ at the end of
# 2024, 1.8 M in 2045, 2.1 M in 2070. No municipal 80+ figure is shipped: a region's 80+ is the
# national 80+ of the year times the region's share of the country's 65+ (the rule
# docs/regiobeeld.md names).
EIGHTY_PLUS_M = {2025: 0.9, 2045: 1.8, 2070: 2.1}


def eighty_plus_national(year: int) -> float:
    """Inhabitants aged 80+ in the country in `year` (linear between the anchors, held at the
    last anchor after it)."""
    years = sorted(EIGHTY_PLUS_M)
    return float(np.interp(year, years, [EIGHTY_PLUS_M[y] for y in years])) * 1e6


def national_calls_112(
    run: RunConfig, population: float, share_65plus: float, reference: float
) -> float:
    """The country's expected 112 calls a year at its prognosis population and 65+ share:
    the sum over its municipalities, as the age effect is linear in the 65+ share (while no
    municipality's weight is held at the floor of municipality_weights)."""
    model = DemandModel(
        np.array([population]),
        np.array([share_65plus]),
        run.demand.channels,
        ScenarioRates(),
        reference,
    )
    return model.expected_per_year(Channel.call_112)


def year_profile(data: Dataset, area: StudyArea, run: RunConfig, year: int) -> dict:
    """Demography and expected demand a year of the study area, with `data` at `year`."""
    munis = area.municipalities
    pop = munis["population"].to_numpy(dtype=float)
    aged_65 = float((pop * munis["share_65plus"].to_numpy(dtype=float)).sum())
    # The country of the CBS prognosis, not the data folder's municipalities (a folder may hold
    # one region), scaled by the scenario's population factor as the study area is, so the
    # region's shares of the country's 65+ and 112 calls stay shares.
    nation_pop, nation_share = national_population(year)
    factor = run.scenario.population_factor
    share_of_65 = aged_65 / (factor * nation_pop * nation_share)
    aged_80 = factor * eighty_plus_national(year) * share_of_65
    reference = national_share_65plus(data)

    def demand(m: pd.DataFrame) -> DemandModel:
        return DemandModel(
            m["population"].to_numpy(dtype=float),
            m["share_65plus"].to_numpy(dtype=float),
            run.demand.channels,
            ScenarioRates(),
            reference,
        )

    model = demand(munis)
    calls = model.expected_per_year(Channel.call_112)
    return {
        "year": year,
        "population": float(pop.sum()),
        "aged_65plus": aged_65,
        "share_65plus": aged_65 / float(pop.sum()),
        "aged_80plus": aged_80,
        "share_80plus": aged_80 / float(pop.sum()),
        "acute_expected_per_year": {c.value: model.expected_per_year(c) for c in Channel},
        "share_of_national_112": calls
        / (factor * national_calls_112(run, nation_pop, nation_share, reference)),
        "care_patients_per_year": {
            name: float(expected_patients(area, iv, reference).sum())
            for name, iv in run.care.interventions.items()
        },
    }


def check_prognosis_years(path: str, years: tuple[int, int], data: Dataset) -> None:
    """A regiobeeld takes both its years from one prognosis file: every municipality in it
    needs a row for each, or it would be the file's in one year and the national rule's in the
    other (a jump neither source makes). One DataError names every one that lacks a year."""
    frame, problems, lines = read_table(
        Path(path), PROGNOSIS_TABLE, {"municipalities": data.municipalities}
    )
    if problems:
        raise DataError(problems)
    names = data.municipalities.set_index("municipality_code")["name"]
    given = frame.assign(year=frame["year"].astype(int))
    for code, rows in given.groupby("municipality_code", sort=False):
        missing = [str(y) for y in years if y not in set(rows["year"])]
        if missing:
            have = ", ".join(str(y) for y in sorted(set(rows["year"])))
            problems.append(
                Problem(
                    path,
                    int(lines[rows.index[0]]),
                    "year",
                    f"{code} ({names.get(code, code)}) has rows for {have} but none for "
                    f"{' and '.join(missing)}: a regiobeeld of {years[0]} and {years[1]} takes "
                    "both from this file; give both years, or neither (the national rule then "
                    "grows it in both)",
                )
            )
    if problems:
        raise DataError(problems)
