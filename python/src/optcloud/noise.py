"""Gradient noise of a real model, written as the file `noise: {type: recorded, file: …}` replays."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import numpy as np


def write_noise(array: Any, path: "str | os.PathLike[str]") -> Path:
    """Writes noise vectors as optcloud's `recorded` noise reads them: a [rows, d] array.

    Row r is the noise ξ added to the gradient at steps t with (t − 1) mod rows = r
    (`mode: sequential`) or a row drawn per chain and step (`mode: bootstrap`); d must equal
    the objective's dimension. `path` ending in `.npy` gives little-endian float64 in C
    order (np.save); `.csv` gives a header `xi_0,…,xi_{d−1}` and rows of d numbers printed
    with 17 significant digits (read back exactly). The file appears whole or not at all
    (written under a temporary name and renamed). Returns the path.

    ValueError for an array that is not 2-D (a 1-D array is ambiguous: reshape(-1, 1) for
    d = 1, reshape(1, -1) for one row), has no rows or columns, or holds a value that is not
    finite (optcloud refuses those), and for another file extension.
    """
    target = Path(path).expanduser()
    values = np.asarray(array, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"{target}: noise must be a [rows, d] array, got shape {list(values.shape)}"
                         + (" (use reshape(-1, 1) for d = 1, reshape(1, -1) for a single row)" if values.ndim == 1 else ""))
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise ValueError(f"{target}: noise must have at least one row and one column, got shape {list(values.shape)}")
    bad = np.flatnonzero(~np.isfinite(values).all(axis=1))
    if bad.size:
        raise ValueError(f"{target}: noise row {bad[0]} has a value that is not finite (optcloud refuses it)")
    suffix = target.suffix.lower()
    if suffix not in (".npy", ".csv"):
        raise ValueError(f"{target}: unknown noise file type '{target.suffix}' (expected .npy or .csv)")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.tmp-", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if suffix == ".npy":
                np.save(handle, np.ascontiguousarray(values, dtype="<f8"), allow_pickle=False)
            else:
                header = ",".join(f"xi_{k}" for k in range(values.shape[1]))
                np.savetxt(handle, values, fmt="%.17g", delimiter=",", header=header, comments="")
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return target


def record_gradient_noise(grad_fn: Callable[[Any, Any], Any], params: Any, batches: Iterable[Any],
                          full_grad_fn: Callable[[Any], Any], path: "Optional[str | os.PathLike[str]]" = None,
                          directions: Any = None, center: bool = False) -> np.ndarray:
    """Minibatch-minus-full-gradient vectors ξ_b = ∇L_b(θ) − ∇L(θ) of any framework's model.

    - `grad_fn(params, batch)`: the gradient of the loss of one minibatch at `params`;
      `full_grad_fn(params)`: the gradient of the full-data loss (the mean over the data
      set, so that ξ has mean 0 when the batches are drawn uniformly). Both may return a
      NumPy array, a list or tuple of arrays (one per parameter tensor, concatenated
      flattened in order), or framework tensors (anything `numpy.asarray` takes; PyTorch
      tensors are detached and moved to the CPU).
    - `params` is passed to both as it is; `batches` is any iterable of minibatches (each
      gives one row, in order).
    - `directions`: optional [k, D] matrix; the rows are then projected, ξ ↦ directions·ξ
      (e.g. onto the top Hessian eigenvectors, to simulate a k-dimensional model of a
      network with D parameters).
    - `center`: subtract the rows' mean. ξ has mean 0 over all batches, but a finite
      sample's mean m is a constant force: in a flat direction (small curvature h) it moves
      the simulated cloud by m/h, which can exceed the cloud's spread.

    Returns the float64 [rows, d] array (d = D, or k with `directions`) and, with `path`,
    writes it with `write_noise`.
    """
    full = _flat(full_grad_fn(params))
    rows = []
    for index, batch in enumerate(batches):
        row = _flat(grad_fn(params, batch))
        if row.shape != full.shape:
            raise ValueError(f"batch {index}: the gradient has {row.size} values, the full gradient {full.size}")
        rows.append(row - full)
    if not rows:
        raise ValueError("batches gave no minibatch: there is no noise to record")
    noise = np.stack(rows)
    if directions is not None:
        basis = np.asarray(directions, dtype=np.float64)
        if basis.ndim == 1:
            basis = basis[None, :]
        if basis.ndim != 2 or basis.shape[1] != full.size:
            raise ValueError(f"directions must be a [k, {full.size}] matrix, got shape {list(basis.shape)}")
        noise = noise @ basis.T
    if center:
        noise = noise - noise.mean(axis=0)
    if path is not None:
        write_noise(noise, path)
    return noise


def _flat(gradient: Any) -> np.ndarray:
    """A gradient (array, tensor, or sequence of them) as one flat float64 vector."""
    if isinstance(gradient, (list, tuple)):
        parts = [_flat(part) for part in gradient]
        return np.concatenate(parts) if parts else np.zeros(0)
    if hasattr(gradient, "detach"):
        gradient = gradient.detach()
    if hasattr(gradient, "cpu"):
        gradient = gradient.cpu()
    return np.asarray(gradient, dtype=np.float64).reshape(-1)
