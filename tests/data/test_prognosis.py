"""The ten-year horizon: `demand.year` grows each municipality's under-65 and 65+ by the CBS
national prognosis (or takes the user's own prognosis), and demand grows with it, more than the
population because it ages."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import patientflow
from patientflow.acute.demand import DemandModel, ScenarioRates
from patientflow.config.checks import check_config
from patientflow.config.demand import Channel
from patientflow.core.area import national_share_65plus
from patientflow.data.prognosis import (
    LAST_YEAR,
    NATIONAL_POPULATION_2024,
    NATIONAL_SHARE_65PLUS_2024,
    project,
)
from patientflow.errors import ConfigError, DataError
from tests.data.prognosis_files import prognosis_file


def _share65(data) -> float:
    m = data.municipalities
    return float(np.average(m["share_65plus"], weights=m["population"]))


def test_the_national_prognosis_is_reproduced(dataset):
    assert project(dataset, 2024) is dataset
    y2037, y2040 = project(dataset, 2037), project(dataset, 2040)
    assert y2037.municipalities["population"].sum() == pytest.approx(19.0e6, rel=1e-4)
    assert _share65(y2040) == pytest.approx(0.25, abs=1e-4)
    for data in (y2037, y2040):
        points = data.demand_points.groupby("municipality_code")["population"].sum()
        munis = data.municipalities.set_index("municipality_code")["population"]
        assert points.to_numpy() == pytest.approx(munis.loc[points.index].to_numpy(), rel=1e-6)
    # Every municipality's 65+ grows by the same national factor: an older one stays older.
    order = np.argsort(dataset.municipalities["share_65plus"].to_numpy(), kind="stable")
    after = y2040.municipalities["share_65plus"].to_numpy()[order]
    assert (np.diff(after) >= -1e-12).all()


def test_a_municipality_grows_alike_whatever_else_the_folder_holds(dataset):
    """The growth is the country's prognosis over the country of 2024: a folder of one region
    (Zeeland) gives its municipalities what the whole country gives them, not the country's
    18 M inhabitants."""
    munis, points = dataset.municipalities, dataset.demand_points
    codes = set(munis.loc[munis["zorgkantoor_code"] == "ZK27", "municipality_code"])
    zeeland = replace(
        dataset,
        municipalities=munis[munis["municipality_code"].isin(codes)].reset_index(drop=True),
        demand_points=points[points["municipality_code"].isin(codes)].reset_index(drop=True),
    )
    for year in (2025, 2035):
        whole = project(dataset, year).municipalities.set_index("municipality_code")
        alone = project(zeeland, year).municipalities.set_index("municipality_code")
        for col in ("population", "share_65plus"):
            assert alone[col].to_numpy() == pytest.approx(
                whole.loc[alone.index, col].to_numpy(), rel=1e-12
            ), (year, col)
        assert national_share_65plus(project(zeeland, year)) == NATIONAL_SHARE_65PLUS_2024


def test_the_national_base_is_the_embedded_country_to_the_last_digit(dataset):
    """The constants the prognosis grows from are the embedded table's own sums, so the
    embedded country reproduces the prognosis (and every earlier number) exactly."""
    m = dataset.municipalities
    pop = m["population"].to_numpy(dtype=float)
    assert pop.sum() == NATIONAL_POPULATION_2024
    share = float(np.average(m["share_65plus"].to_numpy(dtype=float), weights=pop))
    assert share == NATIONAL_SHARE_65PLUS_2024


def test_demand_per_inhabitant_rises_as_the_country_ages(dataset):
    def per_inhabitant(data) -> float:
        m = data.municipalities
        model = DemandModel(
            m["population"].to_numpy(dtype=float),
            m["share_65plus"].to_numpy(dtype=float),
            patientflow.compose([]).demand.channels,
            ScenarioRates(),
            national_share_65plus(data),
        )
        return model.expected_per_year(Channel.call_112) / m["population"].sum()

    later = project(dataset, 2035)
    assert national_share_65plus(later) == pytest.approx(_share65(dataset))
    assert per_inhabitant(later) > 1.03 * per_inhabitant(dataset)


def test_the_users_prognosis_takes_precedence_row_by_row(dataset, tmp_path):
    path = prognosis_file(
        tmp_path / "prognosis.csv", ("GM0344", 2030, 400_000, 0.15), ("GM0344", 2035, 420_000, 0.16)
    )
    data = project(dataset, 2035, str(path))
    utrecht = data.municipalities.set_index("municipality_code").loc["GM0344"]
    assert utrecht["population"] == 420_000 and utrecht["share_65plus"] == 0.16
    others = data.municipalities[data.municipalities["municipality_code"] != "GM0344"]
    national = project(dataset, 2035).municipalities
    national = national[national["municipality_code"] != "GM0344"]
    assert others["population"].to_numpy() == pytest.approx(national["population"].to_numpy())


def test_a_bad_prognosis_file_names_its_rows(dataset, tmp_path):
    path = prognosis_file(
        tmp_path / "prognosis.csv",
        ("GM0344", 2035, 420_000, 0.16),
        ("GM9999", 2035, 10, 0.2),
        ("GM0363", 2035, 900_000, 1.4),
    )
    with pytest.raises(DataError) as err:
        project(dataset, 2035, str(path))
    text = "\n".join(err.value.lines())
    assert "row 3" in text and "GM9999" in text and "row 4" in text
    good = prognosis_file(tmp_path / "good.csv", ("GM0344", 2035, 1, 0.2))
    with pytest.raises(DataError, match="no rows for 2040"):
        project(dataset, 2040, str(good))


def test_a_row_after_a_blank_line_is_named_by_its_line_in_the_file(dataset, tmp_path):
    path = tmp_path / "prognosis.csv"
    path.write_text(
        "municipality_code,year,population,share_65plus\n"
        "GM0344,2035,420000,0.16\n\nGM0344,2035,421000,0.16\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        project(dataset, 2035, str(path))
    assert err.value.lines() == [
        f"{path}, row 4, column 'municipality_code': listed twice for 2035"
    ]


def test_a_municipality_listed_twice_in_any_year_is_named_at_once(dataset, tmp_path):
    """A regiobeeld reads its horizon from the file only after the country's accessibility:
    Goes listed twice for 2035 was named then, one year at a time, and not when 2025 was read."""
    path = prognosis_file(
        tmp_path / "prognosis.csv",
        ("GM0664", 2025, 45_000, 0.25),
        ("GM0664", 2035, 47_000, 0.27),
        ("GM0664", 2035, 48_000, 0.28),
        ("GM0654", 2025, 23_300, 0.23),
        ("GM0654", 2025, 23_000, 0.23),
    )
    with pytest.raises(DataError) as err:
        project(dataset, 2025, str(path))
    assert err.value.lines() == [
        f"{path}, row 4, column 'municipality_code': listed twice for 2035",
        f"{path}, row 6, column 'municipality_code': listed twice for 2025",
    ]


def test_a_year_outside_the_prognosis_is_refused_naming_its_row(dataset, tmp_path):
    """A row for 1935 or 2071 (a typing error) was ignored without a word; it is refused."""
    path = prognosis_file(
        tmp_path / "prognosis.csv",
        ("GM0344", 2035, 420_000, 0.16),
        ("GM0363", 1935, 900_000, 0.17),
        ("GM0599", 2071, 670_000, 0.18),
        ("GM0518", 2070, 560_000, 0.2),
    )
    with pytest.raises(DataError) as err:
        project(dataset, 2035, str(path))
    assert err.value.lines() == [
        f"{path}, row 3, column 'year': 1935 is below 2024",
        f"{path}, row 4, column 'year': 2071 is above 2070",
    ]


@pytest.mark.parametrize("year", [2023, 2059, 2070])
def test_a_year_beyond_the_prognosis_is_refused(year):
    """The dataset counts 1 January 2024; the prognosis's anchors end in LAST_YEAR (2058)."""
    assert LAST_YEAR == 2058
    with pytest.raises(ConfigError, match=f"demand.year.*{year}"):
        check_config(patientflow.compose([f"demand.year={year}"]))


@pytest.mark.parametrize("year", [2024, 2058])
def test_the_first_and_the_last_year_of_the_prognosis_are_accepted(year):
    check_config(patientflow.compose([f"demand.year={year}"]))
