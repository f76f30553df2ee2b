"""to_inference_data: ArviZ's own diagnostics of optcloud's samples equal diagnostics.csv."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import optcloud

arviz = pytest.importorskip("arviz", reason="ArviZ is not installed: pip install './python[arviz]'")


def test_layout(all_draws_run: Path) -> None:
    run = optcloud.load_run(all_draws_run)
    idata = optcloud.to_inference_data(run, "momentum")
    x = idata.posterior["x"]
    assert x.dims == ("chain", "draw", "x_dim") and x.shape == (8, 1000, 2)
    assert np.array_equal(x.values, run.samples["momentum"])
    assert idata.posterior.attrs["optimizer"] == "momentum"
    with pytest.raises(ValueError, match="has 2 optimizers"):
        optcloud.to_inference_data(run)


@pytest.mark.parametrize("label", ["sgd", "momentum"])
def test_arviz_diagnostics_equal_optcloud(all_draws_run: Path, label: str) -> None:
    run = optcloud.load_run(all_draws_run)
    # The comparison is only meaningful where optcloud's diagnostics saw exactly these draws:
    # every chain and every draw (no thinning to its draw budgets).
    subset = run.optimizers[label]["diagnostics_subset"]
    assert subset == {"chains": 8, "of_chains": 8, "draws_per_chain": 1000, "draw_stride": 1}
    idata = optcloud.to_inference_data(run, label)
    table = run.diagnostics[run.diagnostics["optimizer"] == label].sort_values("coordinate")
    # Both compute the same formulas on the same 8000 doubles a coordinate; the differences
    # are rounding (summation order, FFT), far below 1e-10.
    ours = {
        "r_hat": arviz.rhat(idata)["x"].values,
        "ess_bulk": arviz.ess(idata, method="bulk")["x"].values,
        "ess_tail": arviz.ess(idata, method="tail")["x"].values,
        "mcse_mean": arviz.mcse(idata, method="mean")["x"].values,
        "mcse_sd": arviz.mcse(idata, method="sd")["x"].values,
    }
    np.testing.assert_allclose(table["r_hat"].to_numpy(), ours["r_hat"], rtol=0, atol=1e-10)
    for column in ("ess_bulk", "ess_tail", "mcse_mean", "mcse_sd"):
        np.testing.assert_allclose(table[column].to_numpy(), ours[column], rtol=1e-10, err_msg=column)


def test_diverged_chains_are_left_out_as_optcloud_leaves_them_out(cli) -> None:
    # Cauchy noise (α = 1) against a divergence bound of 20: some of the 16 chains diverge.
    out = cli.run("diverging", {
        "seed": 2, "objective": {"type": "quadratic", "diagonal": [1.0, 2.0]},
        "noise": {"type": "alpha-stable", "alpha": 1.0, "scale": 0.05}, "divergence_bound": 20,
        "chains": 16, "steps": 600, "burn_in": 100, "output": {"samples": "all"},
        "optimizers": [{"label": "sgd", "type": "sgd", "lr": 0.1}]})
    run = optcloud.load_run(out)
    entry = run.optimizers["sgd"]
    assert 0 < entry["diverged_chains"] < 16
    diverged = ~np.isfinite(run.samples["sgd"]).all(axis=(1, 2))
    assert diverged.sum() == entry["diverged_chains"]
    idata = optcloud.to_inference_data(run)
    assert idata.posterior["chain"].values.tolist() == np.flatnonzero(~diverged).tolist()
    assert entry["diagnostics_subset"] == {"chains": 16 - entry["diverged_chains"], "of_chains": 16,
                                           "draws_per_chain": 500, "draw_stride": 1}
    np.testing.assert_allclose(run.diagnostics["r_hat"].to_numpy(), arviz.rhat(idata)["x"].values, rtol=0, atol=1e-10)
    np.testing.assert_allclose(run.diagnostics["ess_bulk"].to_numpy(), arviz.ess(idata)["x"].values, rtol=1e-10)
    kept_all = optcloud.to_inference_data(run, drop_diverged=False)
    assert kept_all.posterior["x"].shape == (16, 500, 2)
