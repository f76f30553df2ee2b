"""Writes logreg-minibatch-noise.csv: minibatch gradient noise of a 2-D logistic regression.

For n = 5000 synthetic examples (features with covariance diag(1, 4), labels from weights
w = (1, -0.5)), it computes the full-data optimum w* by Newton's method and records, for
2000 random minibatches of 32 examples drawn without replacement, the noise vector
    ξ = ∇L_batch(w*) − ∇L_full(w*),
i.e. what an SGD step sees besides the true gradient at the minimum (centred: see below).
Run once; optcloud
reads the CSV (noise: {type: recorded, file: data/logreg-minibatch-noise.csv}).
"""
import numpy as np

rng = np.random.default_rng(20261129)
n, batch, rows = 5000, 32, 2000
X = rng.normal(size=(n, 2)) * np.array([1.0, 2.0])
w_true = np.array([1.0, -0.5])
y = (rng.random(n) < 1 / (1 + np.exp(-X @ w_true))).astype(float)


def gradient(w, idx):
    p = 1 / (1 + np.exp(-X[idx] @ w))
    return X[idx].T @ (p - y[idx]) / len(idx)


w = np.zeros(2)
everything = np.arange(n)
for _ in range(50):
    p = 1 / (1 + np.exp(-X @ w))
    hessian = (X * (p * (1 - p))[:, None]).T @ X / n
    w -= np.linalg.solve(hessian, gradient(w, everything))
full = gradient(w, everything)
noise = np.array([gradient(w, rng.choice(n, batch, replace=False)) - full for _ in range(rows)])
# Minibatch noise has mean 0 over all batches; remove the finite sample's mean, which the
# small curvature (H⁻¹ ≈ 10) would otherwise turn into a visible bias.
noise -= noise.mean(axis=0)
np.savetxt("logreg-minibatch-noise.csv", noise, delimiter=",", header="xi0,xi1", comments="", fmt="%.17g")
print("w* =", w, "Hessian =", hessian.tolist(), "noise covariance =", np.cov(noise.T).tolist())
