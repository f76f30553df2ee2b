"""W1 and W2 vectorised over chains with NumPy: the comparison a researcher would write.

    python numpy_w1_w2.py W1 10 100000 1000 500     # workload d chains steps burn_in

Prints the wall time of the simulation (the streaming mean and full covariance included) in
nanoseconds per chain·coordinate·step, as `optcloud bench` does. NumPy's generator
(PCG64 + ziggurat) draws the normals; BLAS forms the co-moments.
"""
import sys
import time

import numpy as np


def main():
    workload, d, chains, steps, burn = sys.argv[1], *map(int, sys.argv[2:6])
    adamw = workload == "W2"
    lr, wd = (0.01, 0.01) if adamw else (0.05, 0.0)
    h = np.array([1.0]) if d == 1 else 10.0 ** (np.arange(d) / (d - 1))
    rng = np.random.default_rng(1)
    x = np.zeros((chains, d))
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    s1 = np.zeros(d)
    s2 = np.zeros((d, d))
    start = time.perf_counter()
    for t in range(1, steps + 1):
        g = h * x + rng.standard_normal((chains, d))
        if adamw:
            x *= 1 - lr * wd
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            x -= lr / (1 - 0.9 ** t) * m / (np.sqrt(v) / np.sqrt(1 - 0.999 ** t) + 1e-8)
        else:
            x -= lr * g
        if t > burn:
            s1 += x.sum(axis=0)
            s2 += x.T @ x
    seconds = time.perf_counter() - start
    n = chains * (steps - burn)
    print(f"numpy {workload} d={d} seconds={seconds:.3f} ns={seconds * 1e9 / (chains * d * steps):.3f} "
          f"var0={s2[0, 0] / n - (s1[0] / n) ** 2:.6g}")


main()
