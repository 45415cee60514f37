"""Vascular networks: the shipped ROAZ-rule table, and a user's own grouping refused when wrong."""

from __future__ import annotations

import pandas as pd
import pytest

import patientflow
from patientflow.data import default_data_dir, load_dataset
from patientflow.errors import DataError
from patientflow.runner import as_run_config, load_run_data


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return pd.read_csv(
        default_data_dir() / "vascular_networks.csv", dtype=str, keep_default_na=False
    )


def _user_file(tmp_path, df: pd.DataFrame):
    path = tmp_path / "my_networks.csv"
    df.to_csv(path, index=False)
    return path


def test_columns_are_exactly_these(shipped):
    assert list(shipped.columns) == [
        "site_id",
        "vascular_network",
        "vascular_network_name",
        "basis",
    ]


def test_every_open_hospital_with_a_24_7_seh_has_a_network(dataset):
    sites = dataset.sites
    acute = sites.loc[(sites["status_2025"] == "open") & (sites["seh_hours"] == "24/7"), "site_id"]
    assert len(acute) > 0
    assert set(acute) <= set(dataset.vascular_networks["site_id"])


def test_the_default_follows_the_roaz_rule(dataset):
    vasc = dataset.vascular_networks.merge(dataset.sites[["site_id", "roaz_code"]], on="site_id")
    names = dataset.municipalities.groupby("roaz_code")["roaz_name"].first()
    assert len(vasc) == len(dataset.sites)
    assert set(vasc["vascular_network"]) <= set(dataset.municipalities["roaz_code"])
    assert (vasc["vascular_network"] == vasc["roaz_code"]).all()
    assert (vasc["vascular_network_name"] == vasc["vascular_network"].map(names)).all()
    assert (vasc["basis"] == "roaz_rule").all()
    assert list(vasc["site_id"]) == sorted(vasc["site_id"])


def test_unknown_and_duplicated_sites_are_named_by_file_and_row(tmp_path, shipped):
    df = shipped.copy()
    df.loc[3, "site_id"] = "H999999"
    df.loc[7, "site_id"] = df.loc[1, "site_id"]
    path = _user_file(tmp_path, df)
    with pytest.raises(DataError) as err:
        load_dataset(None, {"vascular_networks": str(path)})
    assert err.value.lines() == [
        f"{path}, row 9, column 'site_id': duplicate id '{df.loc[1, 'site_id']}'",
        f"{path}, row 5, column 'site_id': unknown id 'H999999' (not in sites)",
    ]


def test_a_hospital_may_belong_to_no_network(tmp_path, shipped):
    df = shipped.iloc[5:].assign(basis="published")
    path = _user_file(tmp_path, df)
    data = load_dataset(None, {"vascular_networks": str(path)})
    assert len(data.vascular_networks) == len(shipped) - 5
    assert data.paths["vascular_networks"] == path


def test_the_table_is_replaced_from_the_configuration(tmp_path, shipped):
    df = shipped.assign(vascular_network="MINE", vascular_network_name="My network")
    path = _user_file(tmp_path, df)
    run, _ = as_run_config(patientflow.compose([f"data.tables.vascular_networks={path}"]))
    data = load_run_data(run)
    assert set(data.vascular_networks["vascular_network"]) == {"MINE"}
    assert data.paths["vascular_networks"] == path


def test_a_data_folder_without_the_table_gets_the_roaz_rule_and_says_so(tmp_path, caplog):
    import shutil

    for f in default_data_dir().glob("*.csv"):
        if f.name != "vascular_networks.csv":
            shutil.copy(f, tmp_path / f.name)
    with caplog.at_level("WARNING"):
        data = load_dataset(tmp_path)
    shipped = load_dataset().vascular_networks
    pd.testing.assert_frame_equal(
        data.vascular_networks.reset_index(drop=True),
        shipped[list(data.vascular_networks.columns)].reset_index(drop=True),
        check_dtype=False,
    )
    assert "derived by its documented rule" in caplog.text
