"""Reading optcloud's files: JSON, CSV (exact doubles) and .npy, with errors naming the path."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pandas as pd


def directory(path: "str | os.PathLike[str]", what: str) -> Path:
    """`path` as an existing directory, or FileNotFoundError / NotADirectoryError naming it."""
    p = Path(path).expanduser()
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such directory (expected an optcloud {what} directory)")
    if not p.is_dir():
        raise NotADirectoryError(f"{p}: is not a directory (expected an optcloud {what} directory)")
    return p


def read_json(path: Path) -> Any:
    """The parsed JSON document; ValueError naming the file when it is not JSON."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: is not valid JSON ({error})") from error


# optcloud writes every double in its shortest round-trip form. pandas 3 reads it back to the
# same double; older pandas' default parser may be off in the last bit unless asked to
# round-trip (an option pandas 3 deprecates).
_EXACT_DOUBLES = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


def read_csv(path: Path) -> Optional[pd.DataFrame]:
    """The table, every double as written; None when the file does not exist."""
    if not path.exists():
        return None
    try:
        return pd.read_csv(path, **_EXACT_DOUBLES)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: is not a readable CSV table ({error})") from error


def read_npy(path: Path, mmap: bool) -> np.ndarray:
    """A float .npy array; memory-mapped (read-only) when `mmap`."""
    try:
        return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except ValueError as error:
        raise ValueError(f"{path}: is not a NumPy .npy array ({error})") from error
