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
