"""record_gradient_noise on a NumPy linear regression, and optcloud replaying what it wrote."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import optcloud

N, D, B = 512, 3, 32


class LinearRegression:
    """L(θ) = 1/(2n)·Σ (x_i·θ − y_i)² over a fixed synthetic data set."""

    def __init__(self, seed: int = 5):
        rng = np.random.default_rng(seed)
        self.X = rng.normal(size=(N, D)) * np.array([1.0, 0.5, 2.0])
        self.y = self.X @ np.array([0.5, -1.0, 2.0]) + rng.normal(size=N)
        self.minimum = np.linalg.lstsq(self.X, self.y, rcond=None)[0]
        self.hessian = self.X.T @ self.X / N

    def gradient(self, theta: np.ndarray, batch: np.ndarray) -> np.ndarray:
        X, y = self.X[batch], self.y[batch]
        return X.T @ (X @ theta - y) / len(batch)

    def full_gradient(self, theta: np.ndarray) -> np.ndarray:
        return self.gradient(theta, np.arange(N))

    def noise_covariance(self, theta: np.ndarray) -> np.ndarray:
        """Exact covariance of ξ for B examples drawn without replacement: (N − B)/(N − 1)·S/B,
        S the population covariance of the per-example gradients."""
        per_example = self.X * (self.X @ theta - self.y)[:, None]
        centred = per_example - per_example.mean(axis=0)
        return (N - B) / (N - 1) * (centred.T @ centred / N) / B


@pytest.fixture(scope="module")
def model() -> LinearRegression:
    return LinearRegression()


def random_batches(count: int, seed: int = 9):
    rng = np.random.default_rng(seed)
    return [rng.choice(N, size=B, replace=False) for _ in range(count)]


def test_noise_is_unbiased_with_the_minibatch_covariance(model: LinearRegression) -> None:
    rows = 4000
    noise = optcloud.record_gradient_noise(model.gradient, model.minimum, random_batches(rows), model.full_gradient)
    assert noise.shape == (rows, D) and noise.dtype == np.float64
    # Independent batches: each coordinate's mean is within 5 standard errors of 0 …
    stderr = noise.std(axis=0, ddof=1) / np.sqrt(rows)
    assert np.all(np.abs(noise.mean(axis=0)) < 5 * stderr), (noise.mean(axis=0), stderr)
    # … and its variance within 5 standard errors (from the squares' spread) of the exact
    # without-replacement variance: a gradient not divided by B, or ξ not centred at the full
    # gradient, fails this by far.
    exact = np.diag(model.noise_covariance(model.minimum))
    squares = noise ** 2
    variance_stderr = squares.std(axis=0, ddof=1) / np.sqrt(rows)
    assert np.all(np.abs(squares.mean(axis=0) - exact) < 5 * variance_stderr), (squares.mean(axis=0), exact)


def test_an_epoch_of_noise_sums_to_zero(model: LinearRegression) -> None:
    # The batches of one epoch partition the data: their gradients average to the full one.
    batches = np.random.default_rng(1).permutation(N).reshape(N // B, B)
    theta = model.minimum + np.array([0.3, -0.2, 0.1])
    noise = optcloud.record_gradient_noise(model.gradient, theta, batches, model.full_gradient)
    scale = np.abs(noise).max()
    assert np.abs(noise.sum(axis=0)).max() < 1e-12 * scale * len(noise)
    # Away from the minimum the full gradient is not zero, and it is what is subtracted.
    full = model.full_gradient(theta)
    assert np.abs(full).min() > 0.01
    np.testing.assert_array_equal(noise[0], model.gradient(theta, batches[0]) - full)


def test_gradients_per_parameter_projections_and_centring(model: LinearRegression) -> None:
    batches = random_batches(10)
    whole = optcloud.record_gradient_noise(model.gradient, model.minimum, batches, model.full_gradient)
    # A tuple of arrays (one per parameter tensor, as torch.autograd.grad returns) is
    # flattened and concatenated in order.
    split = optcloud.record_gradient_noise(
        lambda theta, batch: (model.gradient(theta, batch)[:1], model.gradient(theta, batch)[1:].reshape(1, 2)),
        model.minimum, batches, lambda theta: [model.full_gradient(theta)[:1], model.full_gradient(theta)[1:]])
    np.testing.assert_array_equal(split, whole)
    basis = np.array([[1.0, 0.0, 0.0], [0.0, 0.6, 0.8]])
    projected = optcloud.record_gradient_noise(model.gradient, model.minimum, batches, model.full_gradient,
                                               directions=basis)
    np.testing.assert_allclose(projected, whole @ basis.T, rtol=1e-15, atol=1e-15)
    centred = optcloud.record_gradient_noise(model.gradient, model.minimum, batches, model.full_gradient, center=True)
    np.testing.assert_allclose(centred, whole - whole.mean(axis=0), rtol=0, atol=1e-15)
    assert np.abs(centred.sum(axis=0)).max() < 1e-15 * len(batches)
    with pytest.raises(ValueError, match=r"directions must be a \[k, 3\] matrix"):
        optcloud.record_gradient_noise(model.gradient, model.minimum, batches, model.full_gradient,
                                       directions=np.eye(2))
    with pytest.raises(ValueError, match="batch 0: the gradient has 2 values, the full gradient 3"):
        optcloud.record_gradient_noise(lambda theta, batch: np.zeros(2), model.minimum, batches, model.full_gradient)
    with pytest.raises(ValueError, match="no minibatch"):
        optcloud.record_gradient_noise(model.gradient, model.minimum, [], model.full_gradient)


def test_write_noise_files(tmp_path: Path) -> None:
    noise = np.random.default_rng(2).normal(size=(7, 3)) * 1e-3
    npy = optcloud.write_noise(noise, tmp_path / "noise.npy")
    loaded = np.load(npy)
    assert loaded.dtype == np.dtype("<f8") and np.array_equal(loaded, noise)
    csv = optcloud.write_noise(noise.tolist(), tmp_path / "noise.csv")
    assert csv.read_text().splitlines()[0] == "xi_0,xi_1,xi_2"
    assert np.array_equal(np.loadtxt(csv, delimiter=",", skiprows=1), noise)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["noise.csv", "noise.npy"]  # no temporary left
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        optcloud.write_noise(np.zeros(4), tmp_path / "x.npy")
    with pytest.raises(ValueError, match="row 1 has a value that is not finite"):
        optcloud.write_noise([[0.0], [np.nan]], tmp_path / "x.npy")
    with pytest.raises(ValueError, match="expected .npy or .csv"):
        optcloud.write_noise(noise, tmp_path / "x.txt")
    assert not (tmp_path / "x.npy").exists()


@pytest.mark.parametrize("suffix", ["npy", "csv"])
def test_optcloud_replays_the_recorded_noise(cli, model: LinearRegression, suffix: str) -> None:
    """SGD on the regression's local quadratic model, driven by the recorded noise in
    `mode: sequential` (row (t − 1) mod rows at step t), is the NumPy recursion
    x_t = x_{t−1} − lr·(H·(x_{t−1} − θ*) + ξ_{(t−1) mod rows}) step by step."""
    rows, steps, lr = 40, 100, 0.05
    path = cli.directory / f"regression-noise.{suffix}"
    noise = optcloud.record_gradient_noise(model.gradient, model.minimum, random_batches(rows), model.full_gradient,
                                           path=path)
    start = model.minimum + np.array([1.0, -1.0, 0.5])
    out = cli.run(f"replay-{suffix}", {
        "seed": 1, "objective": {"type": "quadratic", "hessian": model.hessian.tolist(), "minimum": model.minimum.tolist()},
        "noise": {"type": "recorded", "file": path.name, "mode": "sequential"},
        "init": {"type": "point", "at": start.tolist()},
        "chains": 1, "steps": steps, "burn_in": steps // 2,
        "optimizers": [{"label": "sgd", "type": "sgd", "lr": lr}],
        "output": {"samples": "none", "trace_chains": 1}})
    run = optcloud.load_run(out)
    assert run.config["noise"]["rows"] == rows
    trace = run.trace.sort_values("step")
    x, expected = start.copy(), []
    for t in range(1, steps + 1):
        x = x - lr * (model.hessian @ (x - model.minimum) + noise[(t - 1) % rows])
        expected.append(x.copy())
    simulated = trace[[f"x{k}" for k in range(D)]].to_numpy()
    assert trace["step"].tolist() == list(range(1, steps + 1))
    # Same recursion in another summation order: rounding only.
    np.testing.assert_allclose(simulated, np.array(expected), rtol=1e-12, atol=1e-13)

