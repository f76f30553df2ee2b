"""Reference values of ArviZ's convergence diagnostics for ConvergenceDiagnosticsTests.

Run once (python3 make_fixtures.py, in this folder) with ArviZ installed; writes one JSON
file per case: the draws (chains x draws), and arviz.rhat(method="rank"),
arviz.ess(method="bulk"), arviz.ess(method="tail"), arviz.mcse(method="mean"),
arviz.mcse(method="sd") of them, with the versions that produced them. NaN is null.
"""
import json
import math

import arviz
import numpy as np
import scipy


def ar1(rng, chains, draws, phi, burn=200):
    x = np.zeros((chains, draws + burn))
    noise = rng.standard_normal((chains, draws + burn)) * math.sqrt(1 - phi * phi)
    x[:, 0] = rng.standard_normal(chains)
    for t in range(1, draws + burn):
        x[:, t] = phi * x[:, t - 1] + noise[:, t]
    return x[:, burn:]


def cases():
    rng = np.random.default_rng(20240917)
    yield "iid_normal", "iid N(0, 1), 4 chains x 500", rng.standard_normal((4, 500))
    yield "ar1_phi09", "AR(1), phi = 0.9, 4 chains x 1000", ar1(rng, 4, 1000, 0.9)
    yield "student_t3", "iid Student-t(3), heavy tails, 4 chains x 500", rng.standard_t(3, (4, 500))
    shifted = rng.standard_normal((4, 300))
    shifted[3] += 2.0
    yield "shifted_means", "iid N(0, 1) with chain 4 shifted by +2 (R-hat >> 1), 4 chains x 300", shifted
    yield "small_2x50", "AR(1), phi = 0.3, 2 chains x 50", ar1(rng, 2, 50, 0.3)
    yield "large_8x1000", "AR(1), phi = 0.5, 8 chains x 1000", ar1(rng, 8, 1000, 0.5)
    yield "ties_poisson", "iid Poisson(3) (many ties), 4 chains x 400", rng.poisson(3.0, (4, 400)).astype(float)
    yield "odd_draws", "AR(1), phi = 0.6, 3 chains x 101 (odd: the middle draw is dropped by splitting)", ar1(rng, 3, 101, 0.6)
    yield "slow_ar1", "AR(1), phi = 0.99, slow mixing, 4 chains x 500", ar1(rng, 4, 500, 0.99, burn=0)
    yield "single_chain", "AR(1), phi = 0.7, 1 chain x 400 (R-hat undefined)", ar1(rng, 1, 400, 0.7)
    yield "trend", "iid N(0, 1) plus a linear drift 0 -> 1 in every chain, 3 chains x 200", \
        rng.standard_normal((3, 200)) + np.linspace(0, 1, 200)


def number(x):
    x = float(x)
    return None if math.isnan(x) else x


def main():
    for name, description, draws in cases():
        draws = np.asarray(draws, dtype=float)
        record = {
            "name": name,
            "description": description,
            "arviz_version": arviz.__version__,
            "numpy_version": np.__version__,
            "scipy_version": scipy.__version__,
            "chains": draws.shape[0],
            "draws_per_chain": draws.shape[1],
            "draws": [[float(v) for v in chain] for chain in draws],
            "r_hat": number(arviz.rhat(draws, method="rank")),
            "ess_bulk": number(arviz.ess(draws, method="bulk")),
            "ess_tail": number(arviz.ess(draws, method="tail")),
            "mcse_mean": number(arviz.mcse(draws, method="mean")),
            "mcse_sd": number(arviz.mcse(draws, method="sd")),
        }
        with open(f"{name}.json", "w") as f:
            json.dump(record, f)
            f.write("\n")
        print(name, {k: record[k] for k in ("r_hat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_sd")})


if __name__ == "__main__":
    main()
