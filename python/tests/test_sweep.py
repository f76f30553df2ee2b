"""load_sweep on sweeps the binary ran: the tables, the points' runs, an unfinished sweep."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import optcloud

from conftest import Optcloud, quadratic

LR = "optimizers.0.lr"
MOMENTUM = "optimizers.0.momentum"


def sweep_config() -> dict:
    # lr 0.8 is past the stability limits 2/λmax = 0.5 of SGD and 2·(1 + μ)/λmax = 0.75 of
    # heavy ball with μ = 0.5: those points diverge (a result, with empty fields in sweep.csv).
    return {**quadratic(chains=64, steps=400, burn_in=200, optimizers=[{"label": "sgd", "type": "sgd", "lr": 0.1}],
                        output={"samples": "none"}),
            "sweep": {"axes": {LR: [0.05, 0.8], MOMENTUM: [0.0, 0.5]},
                      "collapse": [{"metric": "mean_loss", "by": MOMENTUM}]}}


@pytest.fixture(scope="module")
def sweep_directory(cli: Optcloud) -> Path:
    out = cli.directory / "sweep"
    cli("sweep", cli.config("sweep", sweep_config()), "--out", out, "--quiet")
    return out


def test_tables(sweep_directory: Path) -> None:
    sweep = optcloud.load_sweep(sweep_directory)
    assert sweep.points == 4 and sweep.axes == [LR, MOMENTUM]
    table = sweep.table
    assert list(table.columns[:9]) == ["point", "optimizer", LR, MOMENTUM, "chains", "diverged_fraction", "mean_loss",
                                       "mean_loss_stderr", "bias_norm"]
    # Row-major over the axes, the last one fastest.
    assert table["point"].tolist() == [0, 1, 2, 3]
    assert table[LR].tolist() == [0.05, 0.05, 0.8, 0.8] and table[MOMENTUM].tolist() == [0.0, 0.5, 0.0, 0.5]
    assert table["diverged_fraction"].tolist() == [0.0, 0.0, 1.0, 1.0]
    # Values that do not exist (the diverged points' statistics) are empty fields: NaN.
    assert table.loc[2:3, "mean_loss"].isna().all() and table.loc[:1, "mean_loss"].notna().all()
    collapse = sweep.collapse
    assert list(collapse.columns) == ["metric", "by", "optimizer", "groups", "pairs", "max_abs_z_within",
                                      "within_spread", "total_spread", "collapses"]
    assert collapse["metric"].tolist() == ["mean_loss"] and collapse["by"].tolist() == [MOMENTUM]
    assert "Sweep(" in repr(sweep) and "complete" in repr(sweep)


def test_points_are_runs(sweep_directory: Path) -> None:
    sweep = optcloud.load_sweep(sweep_directory)
    assert sweep._runs == {}  # nothing read until asked for
    for p, row in sweep.table.iterrows():
        run = sweep.point(p)
        assert isinstance(run, optcloud.Run) and run.path == sweep_directory / "points" / str(p)
        assert run.config["optimizers"][0]["lr"] == row[LR]
        entry = run.optimizers["sgd"]
        if row["diverged_fraction"] == 1:
            assert entry["mean_loss"] is None
        else:
            # sweep.csv's row is the point's summary.json value. Not always the same double:
            # optcloud reads summary.json back with Foundation's JSONSerialization, which on
            # Linux is off by up to a few ulps (3 seen), so compare to 1e-14 relative.
            assert row["mean_loss"] == pytest.approx(entry["mean_loss"], rel=1e-14, abs=0)
            assert row["trace"] == pytest.approx(entry["covariance_trace"], rel=1e-14, abs=0)
            assert math.isfinite(run.moments["mean"].iloc[0])
    assert sweep.point(1) is sweep.point(1)
    assert [run.path.name for run in sweep.runs()] == ["0", "1", "2", "3"]
    with pytest.raises(IndexError, match="points 0…3, not 4"):
        sweep.point(4)


def test_an_unfinished_sweep(cli: Optcloud) -> None:
    out = cli.directory / "half-sweep"
    cli("sweep", cli.config("half-sweep", sweep_config()), "--out", out, "--shard", "0/2", "--quiet")
    sweep = optcloud.load_sweep(out)
    assert sweep.table is None and sweep.collapse is None
    assert [run.path.name for run in sweep.runs()] == ["0", "2"]
    with pytest.raises(FileNotFoundError, match="points/1: point 1 has not run yet"):
        sweep.point(1)


def test_what_is_not_a_sweep(tmp_path: Path, all_draws_run: Path, sweep_directory: Path) -> None:
    with pytest.raises(FileNotFoundError):
        optcloud.load_sweep(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="it holds a run .* optcloud.load_run"):
        optcloud.load_sweep(all_draws_run)
    with pytest.raises(ValueError, match="it holds a sweep .* optcloud.load_sweep"):
        optcloud.load_run(sweep_directory)
    with pytest.raises(ValueError, match=f"{tmp_path}: is not an optcloud sweep directory: no sweep.json"):
        optcloud.load_sweep(tmp_path)
    assert isinstance(optcloud.load_sweep(sweep_directory).table, pd.DataFrame)
