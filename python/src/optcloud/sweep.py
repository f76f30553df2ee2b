"""A sweep's output directory (`optcloud sweep`): its tables and, on demand, its points' runs."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pandas as pd

from . import _files
from .run import Run


class Sweep:
    """The files of one optcloud sweep directory.

    - `manifest`: sweep.json as a dict (config file, overrides, fingerprint, points, axes).
    - `table`: sweep.csv (one row per point × optimizer), `collapse`: collapse.csv — pandas
      DataFrames, None until the sweep is complete (or without `collapse:`). Empty fields of
      sweep.csv (values that do not exist, e.g. of a diverged point) are NaN.
    - `axes`: the axis columns of sweep.csv (the swept dotted keys), `points`: the number of
      grid points, `point(p)`: the run of point p (read when first asked for), `runs()`:
      every complete point's run.
    """

    def __init__(self, path: "str | os.PathLike[str]", mmap: bool = False):
        self.path = _files.directory(path, "sweep")
        manifest_path = self.path / "sweep.json"
        if not manifest_path.exists():
            hint = "it holds a run (summary.json); read it with optcloud.load_run" \
                if (self.path / "summary.json").exists() else "no sweep.json"
            raise ValueError(f"{self.path}: is not an optcloud sweep directory: {hint}")
        manifest = _files.read_json(manifest_path)
        if not isinstance(manifest, dict) or not isinstance(manifest.get("points"), int):
            raise ValueError(f"{manifest_path}: is not an optcloud sweep manifest (expected an object with 'points')")
        self.manifest: Dict[str, Any] = manifest
        self._mmap = mmap
        self._runs: Dict[int, Run] = {}

    @property
    def points(self) -> int:
        return int(self.manifest["points"])

    @cached_property
    def table(self) -> Optional[pd.DataFrame]:
        return _files.read_csv(self.path / "sweep.csv")

    @cached_property
    def collapse(self) -> Optional[pd.DataFrame]:
        return _files.read_csv(self.path / "collapse.csv")

    @property
    def axes(self) -> List[str]:
        """The swept keys, in the order of sweep.csv's columns (axes, then zip groups)."""
        return [key for axis in self.manifest.get("axes", []) for key in axis]

    def point_path(self, p: int) -> Path:
        return self.path / "points" / str(p)

    def point(self, p: int) -> Run:
        """The run of grid point p (0-based, sweep.csv's `point`), loaded once and kept."""
        if not isinstance(p, int) or not 0 <= p < self.points:
            raise IndexError(f"{self.path}: has points 0…{self.points - 1}, not {p!r}")
        if p not in self._runs:
            if not (self.path / "points" / str(p)).exists():
                raise FileNotFoundError(f"{self.point_path(p)}: point {p} has not run yet "
                                        "(another shard's, or the sweep was stopped before it)")
            self._runs[p] = Run(self.point_path(p), mmap=self._mmap)
        return self._runs[p]

    def runs(self) -> Iterator[Run]:
        """The runs of every point that has its summary.json, in point order."""
        for p in range(self.points):
            if (self.path / "points" / str(p) / "summary.json").exists():
                yield self.point(p)

    def __repr__(self) -> str:
        state = "complete" if self.table is not None else "incomplete (no sweep.csv)"
        return f"Sweep('{self.path}', points={self.points}, axes={self.axes}, {state})"


def load_sweep(path: "str | os.PathLike[str]", mmap: bool = False) -> Sweep:
    """Reads the output directory of `optcloud sweep`: sweep.csv and collapse.csv at once,
    the points' runs lazily (`sweep.point(p)`). Raises FileNotFoundError when `path` does not
    exist and ValueError, naming the path, when it is not a sweep's directory."""
    return Sweep(path, mmap=mmap)
