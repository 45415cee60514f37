"""The sweep report's tables as a reader reads them: scenarios and sites named, shares in %,
changes in points with their intervals, a column per job in the jobs' order. They take the
aggregate tables (report/aggregate.py, report/breaches.py) and return frames or sections."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from patientflow.report.aggregate import headline_columns
from patientflow.report.first_page import fmt_value
from patientflow.report.labels import EN, Labels
from patientflow.report.render import Section
from patientflow.report.sweep_figures import readable_label


def norm_label(table: pd.DataFrame, tr: Labels = EN) -> str:
    """The norm the jobs measured against ("45 minutes"), from their summaries."""
    norms = table["norm_min"].dropna().unique() if "norm_min" in table else []
    return " / ".join(f"{float(n):g}" for n in sorted(norms)) + f" {tr('minutes')}"


def scenario_name(job: object, label_of: dict[str, str], towns: dict[str, str], tr: Labels) -> str:
    """A job's scenario as read: its label with the sites named (town and id)."""
    return readable_label(label_of.get(str(job), str(job)), tr, towns)


def map_scenario(path: Path, label_of: dict[str, str], towns: dict[str, str], tr: Labels) -> str:
    """The scenario a difference map shows (its file is difference_map_<job>.png)."""
    return scenario_name(path.stem.removeprefix("difference_map_"), label_of, towns, tr)


def by_job(wide: pd.DataFrame, label_of: dict[str, str]) -> pd.DataFrame:
    """A table with a column per job in the jobs' own order (0, 1, 2, ..., 10, not as strings
    sort), each headed by the job's label."""
    order = sorted(wide.columns, key=lambda c: (len(str(c)), str(c)))
    wide = wide[order]
    wide.columns = [label_of.get(str(c), str(c)) for c in order]
    return wide.reset_index()


def indicator_table(table: pd.DataFrame) -> pd.DataFrame:
    """Every job's swept values and headline indicators (the mean of its replications where
    it ran several, as the figures show)."""
    swept = [c for c in table.columns if c.startswith("override.") and table[c].nunique() > 1]
    cols = ["job", "label", "status", *swept, *headline_columns(table)]
    shown = table[[c for c in cols if c in table.columns]].copy()
    for col in [c for c in shown.columns if c.startswith("acute.national.")]:
        mean = col.replace("acute.national.", "acute.replications.national.") + ".mean"
        if mean in table and table[mean].notna().any():
            shown[col] = table[mean]
            shown = shown.rename(columns={col: f"{col} (mean of replications)"})
    return shown.rename(columns=lambda c: c.removeprefix("override."))


def with_interval(mean: float, low: float, high: float, signed: bool, tr: Labels) -> str:
    """A share (or a change of one) with its interval where there is one."""
    text = fmt_value(mean, True, signed, tr)
    if pd.notna(low) and pd.notna(high):
        text += f" [{fmt_value(low, True, signed, tr)}, {fmt_value(high, True, signed, tr)}]"
    return text


def readable_breaches(breaches: pd.DataFrame, label_of: dict[str, str], tr: Labels) -> pd.DataFrame:
    """The norm breaches as read: scenario names, shares in %, changes in points."""
    rows = []
    for r in breaches.itertuples(index=False):
        rows.append(
            {
                tr("col_scenario"): label_of.get(str(r.job), str(r.job)),
                tr("col_region"): r.region,
                tr("col_norm"): r.norm,
                tr("col_value"): with_interval(r.value, r.ci_low, r.ci_high, False, tr),
                tr("col_short"): fmt_value(r.short_of_norm, True, True, tr).lstrip("+"),
                tr("col_baseline_value"): (
                    "" if pd.isna(r.baseline_value) else fmt_value(r.baseline_value, True)
                ),
                tr("col_against"): (
                    ""
                    if pd.isna(r.change_vs_baseline)
                    else with_interval(
                        r.change_vs_baseline, r.change_ci_low, r.change_ci_high, True, tr
                    )
                ),
            }
        )
    return pd.DataFrame(rows)


def readable_hit(
    hit: pd.DataFrame, label_of: dict[str, str], towns: dict[str, str], tr: Labels
) -> pd.DataFrame:
    """Who is hit hardest, as read: the scenario and municipality named, minutes to a tenth."""
    return pd.DataFrame(
        {
            tr("col_scenario"): [scenario_name(j, label_of, towns, tr) for j in hit["job"]],
            tr("col_municipality"): hit["name"],
            tr("col_inhabitants"): hit["population"].round(),
            tr("col_65plus"): [fmt_value(v, True) for v in hit["share_65plus"]],
            tr("col_amb_base"): hit["ambulance_min_to_seh_base"].round(1),
            tr("col_amb_new"): hit["ambulance_min_to_seh"].round(1),
            tr("col_extra_amb"): [f"{v:+.1f}" for v in hit["extra_ambulance_min"]],
            tr("col_extra_car"): [f"{v:+.1f}" for v in hit["extra_car_min"]],
            tr("col_extra_beyond"): hit["extra_beyond_norm"].round(),
        }
    )


def readable_shift(
    shift: pd.DataFrame, label_of: dict[str, str], towns: dict[str, str], tr: Labels
) -> pd.DataFrame:
    """The load on neighbours, as read: the scenario and the SEH named (town and id)."""
    return pd.DataFrame(
        {
            tr("col_scenario"): [scenario_name(j, label_of, towns, tr) for j in shift["job"]],
            tr("col_seh"): [f"{towns[i]} ({i})" if i in towns else i for i in shift["site_id"]],
            tr("col_catch_base"): shift["catchment_base"].round(),
            tr("col_catch_new"): shift["catchment"].round(),
            tr("col_catch_extra"): shift["extra_inhabitants"].round(),
        }
    )


TRAVEL = "indicators.travel_minutes.ambulance_min_to_seh.mean"


def _why_the_same(table: pd.DataFrame, tr: Labels, travel_changed: bool) -> str:
    """Why every scenario has the same inhabitants beyond the norm: some municipality's
    ambulance minutes changed (`travel_changed`) but none crossed the norm; or no SEH changed,
    said only where every job's ambulance minutes are the same."""
    if travel_changed:
        return tr("access_same_count")
    done = table[table["status"] == "complete"] if "status" in table else table
    if TRAVEL in done and done[TRAVEL].notna().all() and done[TRAVEL].nunique() == 1:
        return tr("access_unchanged")
    return tr("access_same")


def beyond_per_region(
    regions: pd.DataFrame,
    table: pd.DataFrame,
    label_of: dict[str, str],
    tr: Labels,
    travel_changed: bool = False,
) -> Section:
    """Inhabitants beyond the norm per ROAZ region and job; one column when every job has the
    same number in every region, with why as far as the jobs tell (`travel_changed`: some
    municipality's ambulance minutes to a 24/7 SEH changed against the baseline). A region
    missing from a job's table (NaN) counts as a difference, never as the same."""
    # Each (region, name) pair as the jobs have it, a job without the region NaN. Not
    # pivot_table(dropna=False): that makes the product of all codes and all names.
    wide = (
        regions.groupby(["region", "name", "job"], sort=True)["population_beyond_norm"]
        .mean()
        .unstack("job")
    )
    same = wide.shape[1] > 1 and bool(wide.nunique(axis=1, dropna=False).le(1).all())
    title = tr("sec_beyond_per_region", norm=norm_label(table, tr))
    note = _why_the_same(table, tr, travel_changed) if same else ""
    if same:
        wide = wide.iloc[:, :1].set_axis([tr("all_scenarios")], axis=1)
    elif wide.shape[1] > len(wide):
        # More scenarios than regions (each SEH closed in turn): a row per scenario reads
        # better than a column per scenario.
        per_job = by_job(wide.droplevel("name"), label_of).set_index("region").T
        per_job = per_job.rename_axis(index=tr("col_scenario"), columns=None).reset_index()
        return Section(title, text=tr("access_row_per_scenario"), table=per_job)
    return Section(
        title,
        text=note,
        table=by_job(wide.rename_axis(index=[tr("col_region"), tr("col_name")]), label_of),
    )
