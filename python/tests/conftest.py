"""Runs the real optcloud binary on small configs; the loaders are tested on what it writes.

The binary is $OPTCLOUD_BIN, else the repository's .build/release/optcloud (which `make test`
builds). Configs are written as JSON, which optcloud reads as YAML.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def optcloud_binary() -> Path:
    binary = Path(os.environ.get("OPTCLOUD_BIN", REPOSITORY / ".build" / "release" / "optcloud"))
    if not os.access(binary, os.X_OK):
        pytest.fail(f"{binary}: no optcloud binary; build it with `swift build -c release` "
                    "(or set OPTCLOUD_BIN)", pytrace=False)
    return binary


class Optcloud:
    """The binary, run on configs written into a temporary directory."""

    def __init__(self, binary: Path, directory: Path):
        self.binary = binary
        self.directory = directory

    def config(self, name: str, document: Dict[str, Any]) -> Path:
        path = self.directory / f"{name}.yaml"
        path.write_text(json.dumps({"name": name, **document}, indent=1))
        return path

    def __call__(self, *arguments: Any, expect: int = 0,
                 env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
        environment = {key: value for key, value in os.environ.items() if not key.startswith("OPTCLOUD_TEST_")}
        result = subprocess.run([str(self.binary), *map(str, arguments)], capture_output=True, text=True,
                                timeout=300, env={**environment, **(env or {})})
        assert result.returncode == expect, (f"optcloud {' '.join(map(str, arguments))} exited {result.returncode}, "
                                             f"expected {expect}:\n{result.stdout}\n{result.stderr}")
        return result

    def run(self, name: str, document: Dict[str, Any], *options: Any) -> Path:
        """`optcloud run` of the config into DIR/<name>; returns the output directory."""
        out = self.directory / name
        self("run", self.config(name, document), "--out", out, "--quiet", *options)
        return out


@pytest.fixture(scope="session")
def cli(optcloud_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Optcloud:
    return Optcloud(optcloud_binary, tmp_path_factory.mktemp("optcloud"))


def quadratic(chains: int, steps: int, burn_in: int, optimizers: List[Dict[str, Any]], **extra: Any) -> Dict[str, Any]:
    """A 2-D rotated quadratic (curvatures 0.5 and 4) with isotropic Gaussian noise."""
    return {"seed": 11, "objective": {"type": "quadratic", "eigenvalues": [0.5, 4.0], "rotation_seed": 3,
                                      "minimum": [1.0, -1.0]},
            "noise": {"type": "gaussian", "std": 1.0}, "init": {"type": "point", "at": [1.0, -1.0]},
            "chains": chains, "steps": steps, "burn_in": burn_in, "optimizers": optimizers, **extra}


@pytest.fixture(scope="session")
def all_draws_run(cli: Optcloud) -> Path:
    """Two optimizers, 8 chains × 1000 recorded draws, `samples: all`: 8000 draws a coordinate,
    under optcloud's diagnostic budgets (2^17 draws, 2^20 values), so the diagnostics use
    every chain and every draw."""
    return cli.run("all-draws", quadratic(
        chains=8, steps=1200, burn_in=200,
        optimizers=[{"label": "sgd", "type": "sgd", "lr": 0.1},
                    {"label": "momentum", "type": "sgd", "lr": 0.02, "momentum": 0.8}],
        statistics={"histogram": {"bins": 12}, "pairs": [[0, 1]]},
        output={"samples": "all", "trace_chains": 2}))


@pytest.fixture(scope="session")
def double_well_run(cli: Optcloud) -> Path:
    """SGLD on a tilted double well (basins.csv), final iterates only."""
    return cli.run("double-well", {
        "seed": 4, "objective": {"type": "double-well", "barrier": 1.0, "tilt": 0.3, "curvature": [1.0]},
        "noise": {"type": "none"}, "init": {"type": "point", "at": [1.0, 0.0]},
        "chains": 256, "steps": 2000, "burn_in": 1000, "thin": 10,
        "optimizers": [{"label": "sgld", "type": "sgld", "lr": 0.01, "temperature": 0.25}],
        "output": {"samples": "final"}})
