"""A bad file gets a message naming its file, row and column; every problem is reported."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patientflow.data import default_data_dir, load_dataset
from patientflow.data.loader import load_od_matrix
from patientflow.data.schema import DEMAND_POINTS, MUNICIPALITIES, SITES
from patientflow.data.table_reader import read_table
from patientflow.errors import DataError


@pytest.fixture(scope="module")
def frames():
    d = default_data_dir()
    return {
        name: pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ("municipalities", "sites", "demand_points")
    }


def _write(tmp_path, df, name):
    path = tmp_path / f"{name}.csv"
    df.to_csv(path, index=False)
    return path


def _problems(tmp_path, df, schema, loaded=None):
    _, problems, _ = read_table(_write(tmp_path, df, schema.name), schema, loaded)
    return [str(p) for p in problems]


def test_missing_column_is_named(tmp_path, frames):
    msgs = _problems(tmp_path, frames["sites"].drop(columns=["beds"]), SITES)
    assert msgs == [f"{tmp_path / 'sites.csv'}, column 'beds': missing column"]


def test_duplicate_id_names_the_second_row(tmp_path, frames):
    df = frames["sites"].copy()
    df.loc[5, "site_id"] = df.loc[2, "site_id"]
    msgs = _problems(tmp_path, df, SITES)
    assert msgs == [
        f"{tmp_path / 'sites.csv'}, row 7, column 'site_id': duplicate id '{df.loc[2, 'site_id']}'"
    ]


def _with_blank_lines(path, *before):
    """The file with a blank line inserted before each given line (counted in the original)."""
    lines = path.read_text().splitlines()
    for n in sorted(before, reverse=True):
        lines.insert(n - 1, "")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_row_after_blank_lines_is_named_by_its_line_in_the_file(tmp_path, frames):
    """Blank lines are skipped but counted: the message names the line an editor shows."""
    df = frames["sites"].copy()
    df.loc[2, "beds"] = "-3"  # line 4 as written; a blank line before the header and one
    path = _with_blank_lines(_write(tmp_path, df, "sites"), 1, 3)  # before line 3 make it 6
    with pytest.raises(DataError) as err:
        load_dataset(None, {"sites": str(path)})
    assert err.value.lines() == [f"{path}, row 6, column 'beds': negative value -3"]


def test_a_cross_table_problem_after_a_blank_line_names_its_line(tmp_path, frames):
    df = frames["sites"].copy()
    i = int((df["seh_hours"] == "limited").to_numpy().argmax())
    df.loc[i, "seh_open"] = ""
    path = _with_blank_lines(_write(tmp_path, df, "sites"), 2)
    with pytest.raises(DataError) as err:
        load_dataset(None, {"sites": str(path)})
    assert err.value.lines() == [
        f"{path}, row {i + 3}, column 'seh_open': an SEH with limited hours needs its clock times"
    ]


def test_a_duplicate_od_pair_after_a_blank_line_names_its_line(tmp_path):
    path = tmp_path / "od.csv"
    path.write_text(
        "origin_id,destination_id,mode,minutes\na,b,car,5\n\na,b,car,6\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        load_od_matrix(path)
    assert err.value.lines() == [
        f"{path}, row 4, column 'destination_id': duplicate origin-destination-mode pair"
    ]


def test_a_site_and_intervention_listed_twice_names_both_rows(tmp_path):
    """A second row for one site and intervention would add to the first's volume."""
    df = pd.read_csv(
        default_data_dir() / "site_interventions.csv", dtype=str, keep_default_na=False
    )
    again = df.iloc[[3]].assign(annual_volume="7")
    path = _write(tmp_path, pd.concat([df, again], ignore_index=True), "site_interventions")
    with pytest.raises(DataError) as err:
        load_dataset(None, {"site_interventions": str(path)})
    site, intervention = df.loc[3, "site_id"], df.loc[3, "intervention"]
    assert err.value.lines() == [
        f"{path}, row {len(df) + 2}, column 'intervention': site_id '{site}', intervention "
        f"'{intervention}' repeats row 5: one row per site_id and intervention is expected"
    ]


def test_coordinate_outside_the_netherlands(tmp_path, frames):
    df = frames["sites"].copy()
    df.loc[0, "lat"] = "48.85"  # Paris
    msgs = _problems(tmp_path, df, SITES)
    assert (
        len(msgs) == 1 and "row 2, column 'lat'" in msgs[0] and "outside the Netherlands" in msgs[0]
    )


def test_unknown_region_code(tmp_path, frames, dataset):
    df = frames["sites"].copy()
    df.loc[3, "roaz_code"] = "ATLANTIS"
    msgs = _problems(tmp_path, df, SITES, {"municipalities": dataset.municipalities})
    assert len(msgs) == 1
    assert "row 5, column 'roaz_code': unknown region code 'ATLANTIS'" in msgs[0]


def test_unknown_reference_id(tmp_path, frames, dataset):
    df = frames["demand_points"].copy()
    df.loc[10, "municipality_code"] = "GM9999"
    msgs = _problems(tmp_path, df, DEMAND_POINTS, {"municipalities": dataset.municipalities})
    assert msgs == [
        f"{tmp_path / 'demand_points.csv'}, row 12, column 'municipality_code': "
        "unknown id 'GM9999' (not in municipalities)"
    ]


@settings(max_examples=25, deadline=None)
@given(row=st.integers(min_value=0, max_value=341), value=st.integers(max_value=-1))
def test_negative_count_names_its_row(tmp_path_factory, frames, row, value):
    tmp = tmp_path_factory.mktemp("neg")
    df = frames["municipalities"].copy()
    df.loc[row, "population"] = str(value)
    msgs = _problems(tmp, df, MUNICIPALITIES)
    assert msgs == [
        f"{tmp / 'municipalities.csv'}, row {row + 2}, column 'population': negative value {value}"
    ]


def test_text_in_a_number_column(tmp_path, frames):
    df = frames["sites"].copy()
    df.loc[1, "icu_beds"] = "twelve"
    msgs = _problems(tmp_path, df, SITES)
    assert msgs == [f"{tmp_path / 'sites.csv'}, row 3, column 'icu_beds': 'twelve' is not a number"]


def test_a_whole_number_column_takes_digits_only(tmp_path, frames):
    """'51.000' is Dutch for 51000: read as 51 it would pass silently, so a whole-number column
    refuses any decimal point or separator, naming the row and what is expected."""
    df = frames["municipalities"].copy()
    df.loc[0, "population"] = "51.000"
    df.loc[1, "population"] = "1.0"
    df.loc[2, "population"] = "1.200"
    path = _write(tmp_path, df, "municipalities")
    with pytest.raises(DataError) as err:
        load_dataset(None, {"municipalities": str(path)})
    expected = "digits only are expected, without decimals or a thousands separator"
    assert err.value.lines() == [
        f"{path}, row {row}, column 'population': '{value}' is not a whole number: {expected}"
        for row, value in ((2, "51.000"), (3, "1.0"), (4, "1.200"))
    ]


def test_whole_folder_reports_every_problem_of_every_table(tmp_path, frames):
    d = tmp_path / "mydata"
    shutil.copytree(default_data_dir(), d)
    bad_sites = frames["sites"].copy()
    bad_sites.loc[0, "beds"] = "-3"
    bad_sites.to_csv(d / "sites.csv", index=False)
    bad_munis = frames["municipalities"].drop(columns=["vr_code"])
    bad_munis.to_csv(d / "municipalities.csv", index=False)
    with pytest.raises(DataError) as err:
        load_dataset(d)
    lines = err.value.lines()
    assert f"{d / 'municipalities.csv'}, column 'vr_code': missing column" in lines
    assert f"{d / 'sites.csv'}, row 2, column 'beds': negative value -3" in lines


def test_per_table_override_replaces_only_that_table(tmp_path, frames):
    df = frames["sites"].copy()
    df.loc[0, "name"] = "My own hospital"
    path = _write(tmp_path, df, "sites")
    data = load_dataset(None, {"sites": str(path)})
    assert data.sites.loc[0, "name"] == "My own hospital"
    assert data.paths["sites"] == path
    assert len(data.municipalities) == 342


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataError) as err:
        load_dataset(None, {"islands": str(tmp_path / "nope.csv")})
    assert err.value.lines() == [f"{tmp_path / 'nope.csv'}: file not found"]


def test_a_file_edited_between_two_loads_is_read_and_checked_again(tmp_path, frames):
    """A process keeps the tables it loaded; an edit of the same size at the same path, at
    once (the clock's file times may not tick), is still seen: files compare by content."""
    df = frames["sites"].copy()
    df.loc[0, "name"] = "Hospital A"
    path = _write(tmp_path, df, "sites")
    assert load_dataset(None, {"sites": str(path)}).sites.loc[0, "name"] == "Hospital A"
    df.loc[0, "name"] = "Hospital B"
    _write(tmp_path, df, "sites")
    assert load_dataset(None, {"sites": str(path)}).sites.loc[0, "name"] == "Hospital B"
    df.loc[0, "lat"] = "99"
    _write(tmp_path, df, "sites")
    with pytest.raises(DataError, match="row 2, column 'lat'"):
        load_dataset(None, {"sites": str(path)})


def test_changing_a_loaded_table_leaves_the_next_load_as_the_files_say():
    first = load_dataset()
    first.sites.loc[0, "name"] = "changed by the caller"
    first.municipalities["population"] = 0
    first.paths["sites"] = "elsewhere"
    again = load_dataset()
    assert again.sites.loc[0, "name"] != "changed by the caller"
    assert again.municipalities["population"].sum() == 17_942_942
    assert again.paths["sites"] == default_data_dir() / "sites.csv"


def test_a_table_derived_by_its_rule_is_said_on_every_load(tmp_path, caplog):
    for name in ("municipalities", "sites", "demand_points", "gp_posts", "ambulance_posts"):
        shutil.copy(default_data_dir() / f"{name}.csv", tmp_path / f"{name}.csv")
    for name in ("zcc_options", "interventions", "site_interventions", "islands"):
        shutil.copy(default_data_dir() / f"{name}.csv", tmp_path / f"{name}.csv")
    for _ in range(2):
        caplog.clear()
        with caplog.at_level("WARNING", logger="patientflow.data.loader"):
            data = load_dataset(tmp_path)
        said = [r.getMessage() for r in caplog.records]
        assert any("vascular_networks derived by its documented rule" in m for m in said)
        assert not data.vascular_networks.empty
