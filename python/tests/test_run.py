"""load_run on directories the binary wrote: every file, and the errors for what is not a run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import optcloud

MOMENTS = ["optimizer", "coordinate", "minimum", "mean", "bias", "std", "stderr", "skewness", "kurtosis",
           "q05", "q50", "q95"]
DIAGNOSTICS = ["optimizer", "coordinate", "r_hat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_sd", "tail_index"]


def test_summary_and_config(all_draws_run: Path) -> None:
    run = optcloud.load_run(all_draws_run)
    assert run.labels == ["sgd", "momentum"]
    assert run.complete and run.dimension == 2
    assert run.config["chains"] == 8 and run.config["optimizers"][1]["momentum"] == 0.8
    assert run.summary["seed"] == 11
    assert run.optimizers["momentum"]["chains"] == 8 and run.optimizers["sgd"]["diverged_chains"] == 0
    assert repr(run).startswith("Run(")


def test_tables_agree_with_summary(all_draws_run: Path) -> None:
    run = optcloud.load_run(all_draws_run)
    assert list(run.moments.columns) == MOMENTS and list(run.diagnostics.columns) == DIAGNOSTICS
    for label, entry in run.optimizers.items():
        moments = run.moments[run.moments["optimizer"] == label].sort_values("coordinate")
        diagnostics = run.diagnostics[run.diagnostics["optimizer"] == label].sort_values("coordinate")
        # The CSVs and summary.json hold the same doubles, each in its shortest round-trip
        # form: read exactly, they are equal bit for bit.
        assert moments["mean"].tolist() == entry["mean"]
        assert moments["stderr"].tolist() == entry["stderr_mean"]
        assert diagnostics["r_hat"].tolist() == entry["r_hat"]
        assert diagnostics["ess_bulk"].tolist() == entry["ess_bulk"]
        assert run.covariance_matrix(label).tolist() == entry["covariance"]
    assert set(run.covariance.columns) == {"optimizer", "row", "column", "value"}


def test_samples_are_chain_draw_dimension(all_draws_run: Path) -> None:
    run = optcloud.load_run(all_draws_run)
    assert set(run.samples) == {"sgd", "momentum"}
    for label in run.labels:
        draws = run.samples[label]
        assert draws.shape == (8, 1000, 2) and draws.dtype == np.float64
        # The cloud is every recorded draw: its mean and covariance are those of moments.csv
        # and covariance.csv up to summation order.
        flat = draws.reshape(-1, 2)
        np.testing.assert_allclose(flat.mean(axis=0), run.optimizers[label]["mean"], rtol=1e-12)
        np.testing.assert_allclose(np.cov(flat, rowvar=False), run.covariance_matrix(label), rtol=1e-10)
        # trace.csv holds every iterate of chains 0 and 1: after burn-in, draw t − burn_in − 1
        # of that chain in the samples (this pins the chain and draw axes).
        trace = run.trace[(run.trace["optimizer"] == label) & (run.trace["step"] > 200)]
        for chain in (0, 1):
            rows = trace[trace["chain"] == chain].sort_values("step")
            assert rows["step"].tolist() == list(range(201, 1201))
            assert np.array_equal(rows[["x0", "x1"]].to_numpy(), draws[chain])


def test_histograms_timeseries_theory(all_draws_run: Path) -> None:
    run = optcloud.load_run(all_draws_run)
    for (label, coordinate), h in run.histograms.groupby(["optimizer", "coordinate"]):
        assert (h["density"] * (h["bin_upper"] - h["bin_lower"])).sum() == pytest.approx(1, abs=1e-12)
        assert len(h) == 12
    for _, h in run.histograms2d.groupby(["optimizer", "coordinate_x", "coordinate_y"]):
        area = (h["x_upper"] - h["x_lower"]) * (h["y_upper"] - h["y_lower"])
        assert (h["density"] * area).sum() == pytest.approx(1, abs=1e-12)
    sgd = run.timeseries[run.timeseries["optimizer"] == "sgd"]
    assert sgd["step"].max() == 1200 and sgd["alive_chains"].eq(8).all()
    assert {"loss_mean", "covariance_trace", "mean_0", "variance_1"} <= set(run.timeseries.columns)
    assert isinstance(run.theory, dict) and "sgd" in json.dumps(run.theory)
    assert run.basins is None  # one basin: no basins.csv


def test_final_samples_and_basins(double_well_run: Path) -> None:
    run = optcloud.load_run(double_well_run)
    assert run.samples["sgld"].shape == (256, 2)
    assert run.trace is None and run.histograms is not None
    basins = run.basins
    assert list(basins.columns) == ["optimizer", "basin", "location", "occupancy", "first_passage_mean",
                                    "first_passage_median", "censored"]
    assert all(isinstance(location, tuple) and len(location) == 2 for location in basins["location"])
    assert basins["occupancy"].sum() == pytest.approx(1, abs=1e-12)
    entry = run.summary["optimizers"][0]["basins"]["basins"]
    assert [list(location) for location in basins["location"]] == [b["location"] for b in entry]
    with pytest.raises(KeyError, match="no samples for 'other'"):
        run.samples["other"]
    with pytest.raises(ValueError, match="output.samples: all"):
        optcloud.to_inference_data(run)


def test_memory_mapped_samples(all_draws_run: Path) -> None:
    mapped = optcloud.load_run(all_draws_run, mmap=True).samples["sgd"]
    assert isinstance(mapped, np.memmap)
    assert np.array_equal(mapped, optcloud.load_run(all_draws_run).samples["sgd"])


def test_what_is_not_a_run(tmp_path: Path, all_draws_run: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nowhere"):
        optcloud.load_run(tmp_path / "nowhere")
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="file"):
        optcloud.load_run(tmp_path / "file")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match=f"{empty}: is not an optcloud run directory: no summary.json"):
        optcloud.load_run(empty)
    (empty / "checkpoint").mkdir()
    with pytest.raises(ValueError, match="--resume"):
        optcloud.load_run(empty)
    broken = tmp_path / "broken"
    shutil.copytree(all_draws_run, broken)
    (broken / "summary.json").write_text('{"optimizers": [')
    with pytest.raises(ValueError, match="summary.json: is not valid JSON"):
        optcloud.load_run(broken)
    (broken / "summary.json").write_text('{"optimizers": 3}')
    with pytest.raises(ValueError, match="is not an optcloud summary"):
        optcloud.load_run(broken)
    run = optcloud.load_run(all_draws_run)
    with pytest.raises(KeyError, match="no optimizer 'adam'"):
        run.covariance_matrix("adam")


def test_an_interrupted_run_and_its_resumption(cli) -> None:
    # Stopped by the binary's test hook right after snapshot 520: the first optimizer's 256
    # burn-in and 256 recording group snapshots, then 8 of the second's.
    config = cli.config("interrupted", {
        "seed": 1, "objective": {"type": "quadratic", "diagonal": [1.0, 2.0]}, "noise": {"type": "gaussian", "std": 1.0},
        "chains": 512, "steps": 400, "burn_in": 200, "output": {"samples": "final"},
        "optimizers": [{"label": "a", "type": "sgd", "lr": 0.1}, {"label": "b", "type": "sgd", "lr": 0.05}]})
    out = cli.directory / "interrupted"
    cli("run", config, "--out", out, "--quiet", expect=130, env={"OPTCLOUD_TEST_STOP_AFTER_SNAPSHOTS": "520"})
    run = optcloud.load_run(out)
    assert not run.complete and run.summary["interrupted"]["optimizer"] == "b"
    assert run.labels == ["a"] and list(run.samples) == ["a"] and set(run.moments["optimizer"]) == {"a"}
    assert "interrupted" in repr(run)
    cli("run", "--resume", out, "--quiet")
    run = optcloud.load_run(out)
    assert run.complete and run.labels == ["a", "b"] and run.samples["b"].shape == (512, 2)
