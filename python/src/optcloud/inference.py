"""A run's `samples: all` cloud as an ArviZ InferenceData (the optional extra `[arviz]`)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .run import Run


def to_inference_data(run: Run, label: Optional[str] = None, drop_diverged: bool = True) -> Any:
    """`arviz.InferenceData` of one optimizer's recorded iterates.

    The posterior group holds one variable `x` of dims (chain, draw, x_dim) — ArviZ's order,
    which is the order of `samples_<label>.npy` for `output.samples: all` — with coordinate
    `x_dim` = 0…d−1. `label` may be left out when the run has one optimizer.

    Diverged chains (NaN draws) are dropped by default, as optcloud's own diagnostics drop
    them, so that `arviz.rhat`/`arviz.ess` of the result are comparable with diagnostics.csv
    when the diagnostics used every chain and draw (summary.json `diagnostics_subset`).
    The `chain` coordinate holds the kept chains' indices in the run; the attrs name the run
    directory and the optimizer
    (on the InferenceData and on its posterior).
    """
    try:
        import arviz
    except ImportError as error:
        raise ImportError("to_inference_data needs ArviZ: pip install 'optcloud[arviz]' (or arviz)") from error
    if label is None:
        if len(run.labels) != 1:
            raise ValueError(f"{run.path}: has {len(run.labels)} optimizers ({', '.join(run.labels)}); name one with label=")
        label = run.labels[0]
    run._check_label(label)
    draws = np.asarray(run.samples[label], dtype=np.float64)
    if draws.ndim != 3:
        raise ValueError(f"{run.path / f'samples_{label}.npy'}: has shape {list(draws.shape)}, the final iterates only; "
                         "ArviZ needs every draw: run with output.samples: all")
    kept = np.arange(draws.shape[0])
    if drop_diverged:
        kept = kept[np.isfinite(draws).all(axis=(1, 2))]
        if kept.size == 0:
            raise ValueError(f"{run.path}: every chain of '{label}' diverged; there is nothing to analyse")
        draws = draws[kept]
    provenance = {"optcloud_run": str(run.path), "optimizer": label}
    data = arviz.from_dict(posterior={"x": draws}, coords={"chain": kept, "x_dim": np.arange(draws.shape[2])},
                           dims={"x": ["x_dim"]}, attrs=provenance)
    data.posterior.attrs.update(provenance)
    return data
