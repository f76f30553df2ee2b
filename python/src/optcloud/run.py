"""One run's output directory (`optcloud run`, or a sweep's `points/<p>/`) as Python objects."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import numpy as np
import pandas as pd

from . import _files

#: The CSV tables of a run directory: attribute name → file name (SPEC §5, README "Output files").
TABLES = {
    "moments": "moments.csv",
    "covariance": "covariance.csv",
    "histograms": "histograms.csv",
    "histograms2d": "histograms2d.csv",
    "diagnostics": "diagnostics.csv",
    "timeseries": "timeseries.csv",
    "basins": "basins.csv",
    "trace": "trace.csv",
}


class Samples(Mapping):
    """`samples_<label>.npy` of every optimizer that has one, loaded on first access.

    `samples[label]` is float64 of shape [chains, d] (`output.samples: final`, diverged chains
    NaN) or [chains, draws, d] (`output.samples: all`, ArviZ's (chain, draw, dim) order).
    """

    def __init__(self, directory: Path, labels: List[str], mmap: bool):
        self._paths = {label: directory / f"samples_{label}.npy" for label in labels
                       if (directory / f"samples_{label}.npy").exists()}
        self._mmap = mmap
        self._loaded: Dict[str, np.ndarray] = {}

    def __getitem__(self, label: str) -> np.ndarray:
        if label not in self._paths:
            raise KeyError(f"no samples for '{label}' (samples exist for: {', '.join(self._paths) or 'none'}; "
                           "set output.samples: final or all)")
        if label not in self._loaded:
            self._loaded[label] = _files.read_npy(self._paths[label], self._mmap)
        return self._loaded[label]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __repr__(self) -> str:
        return f"Samples({list(self._paths)})"


class Run:
    """The files of one optcloud run directory.

    - `summary` (summary.json as a dict), `config` (the fully resolved config),
      `optimizers` (label → that optimizer's entry of summary.json, in the config's order),
      `labels`, `complete`, `warnings`.
    - Each CSV as a pandas DataFrame, read on first access, None when the run has no such
      file: `moments`, `covariance`, `histograms`, `histograms2d`, `diagnostics`,
      `timeseries`, `basins` (its `location` column parsed to tuples of floats), `trace`.
    - `samples[label]`: the .npy arrays (see `Samples`); `theory`: theory.json as a dict
      (None when absent).
    """

    def __init__(self, path: "str | os.PathLike[str]", mmap: bool = False):
        self.path = _files.directory(path, "run")
        summary_path = self.path / "summary.json"
        if not summary_path.exists():
            raise ValueError(f"{self.path}: is not an optcloud run directory: {self._missing_summary_reason()}")
        summary = _files.read_json(summary_path)
        if not isinstance(summary, dict) or not isinstance(summary.get("optimizers"), list) \
                or not isinstance(summary.get("config"), dict):
            raise ValueError(f"{summary_path}: is not an optcloud summary (expected an object with 'config' and 'optimizers')")
        self.summary: Dict[str, Any] = summary
        self.config: Dict[str, Any] = summary["config"]
        self.optimizers: Dict[str, Dict[str, Any]] = {entry["label"]: entry for entry in summary["optimizers"]}
        self.samples = Samples(self.path, list(self.optimizers), mmap)

    def _missing_summary_reason(self) -> str:
        if (self.path / "sweep.json").exists():
            return "it holds a sweep (sweep.json); read it with optcloud.load_sweep"
        if (self.path / "checkpoint").exists():
            return "no summary.json yet, only a checkpoint/ (the run was interrupted; finish it with optcloud run --resume)"
        return "no summary.json"

    @property
    def labels(self) -> List[str]:
        """The optimizers' labels in the config's order."""
        return list(self.optimizers)

    @property
    def complete(self) -> bool:
        """False for the partial results of an interrupted run (summary.json `complete`)."""
        return bool(self.summary.get("complete", True))

    @property
    def warnings(self) -> List[str]:
        return list(self.summary.get("warnings", []))

    @property
    def dimension(self) -> int:
        """d, the number of coordinates (the resolved config's `objective.dim`)."""
        dimension = self.config.get("objective", {}).get("dim")
        if not isinstance(dimension, int):
            raise ValueError(f"{self.path / 'summary.json'}: its config has no objective.dim")
        return dimension

    @cached_property
    def theory(self) -> Optional[Dict[str, Any]]:
        path = self.path / "theory.json"
        return _files.read_json(path) if path.exists() else None

    def _table(self, name: str) -> Optional[pd.DataFrame]:
        return _files.read_csv(self.path / TABLES[name])

    @cached_property
    def moments(self) -> Optional[pd.DataFrame]:
        return self._table("moments")

    @cached_property
    def covariance(self) -> Optional[pd.DataFrame]:
        return self._table("covariance")

    @cached_property
    def histograms(self) -> Optional[pd.DataFrame]:
        return self._table("histograms")

    @cached_property
    def histograms2d(self) -> Optional[pd.DataFrame]:
        return self._table("histograms2d")

    @cached_property
    def diagnostics(self) -> Optional[pd.DataFrame]:
        return self._table("diagnostics")

    @cached_property
    def timeseries(self) -> Optional[pd.DataFrame]:
        return self._table("timeseries")

    @cached_property
    def basins(self) -> Optional[pd.DataFrame]:
        table = self._table("basins")
        if table is not None and "location" in table:
            # The basin's minimum, its coordinates joined by ';' in one field.
            table["location"] = [tuple(float(v) for v in str(text).split(";")) for text in table["location"]]
        return table

    @cached_property
    def trace(self) -> Optional[pd.DataFrame]:
        return self._table("trace")

    def covariance_matrix(self, label: str) -> np.ndarray:
        """The d×d covariance of one optimizer's cloud from covariance.csv (NaN where it has none)."""
        self._check_label(label)
        if self.covariance is None:
            raise ValueError(f"{self.path}: has no covariance.csv")
        rows = self.covariance[self.covariance["optimizer"] == label]
        d = self.dimension
        matrix = np.full((d, d), np.nan)
        matrix[rows["row"].to_numpy(), rows["column"].to_numpy()] = rows["value"].to_numpy(dtype=float)
        return matrix

    def _check_label(self, label: str) -> None:
        if label not in self.optimizers:
            raise KeyError(f"{self.path}: has no optimizer '{label}' (it has: {', '.join(self.optimizers)})")

    def __repr__(self) -> str:
        state = "" if self.complete else ", interrupted"
        return f"Run('{self.path}', optimizers={self.labels}{state})"


def load_run(path: "str | os.PathLike[str]", mmap: bool = False) -> Run:
    """Reads the output directory of `optcloud run` (or a sweep's `points/<p>/`).

    `mmap=True` memory-maps the samples instead of reading them (for `samples: all` clouds
    larger than memory). Raises FileNotFoundError when `path` does not exist and ValueError,
    naming the path, when it is not a run's directory.
    """
    return Run(path, mmap=mmap)
