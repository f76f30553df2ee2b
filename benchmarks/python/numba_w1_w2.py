"""W1 and W2 in numba: per-chain xoshiro256++ and a 256-layer ziggurat, chains in parallel.

    python numba_w1_w2.py W1 10 100000 1000 500     # workload d chains steps burn_in

The fastest numba we wrote for the comparison in the README (njit, parallel=True, fastmath;
the normal is inlined with its fast path, the rest in a function). NUMBA_NUM_THREADS sets the
threads. Prints nanoseconds per chain·coordinate·step of the simulation, compilation excluded.
"""
import sys, time, math
import numpy as np
from numba import njit, prange, uint64, get_num_threads

def tables():
    r, v = 3.6541528853610088, 0.00492867323397465
    f = lambda x: math.exp(-0.5 * x * x)
    x = np.zeros(257); x[0] = v / f(r); x[1] = r
    for i in range(1, 255):
        x[i + 1] = math.sqrt(-2 * math.log(f(x[i]) + v / x[i]))
    x[256] = 0.0
    return x, np.array([x[i + 1] / x[i] for i in range(256)]), np.array([f(t) for t in x])

X, R, F = tables()
M52 = 2.0 ** -52
M53 = 2.0 ** -53

@njit(inline="always")
def rotl(x, k):
    return (x << uint64(k)) | (x >> uint64(64 - k))

@njit(inline="always")
def nxt(s0, s1, s2, s3):
    result = rotl(s0 + s3, 23) + s0
    t = s1 << uint64(17)
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
    s3 = rotl(s3, 45)
    return result, s0, s1, s2, s3

@njit
def slow(w, s0, s1, s2, s3, X, R, F):
    while True:
        i = w & uint64(255)
        m = (w >> uint64(12)) * M52
        x = m * X[i]
        sign = -1.0 if (w >> uint64(8)) & uint64(1) else 1.0
        if m < R[i]:
            return sign * x, s0, s1, s2, s3
        if i == 0:
            while True:
                u, s0, s1, s2, s3 = nxt(s0, s1, s2, s3)
                a = -math.log(((u >> uint64(11)) + uint64(1)) * M53) / X[1]
                u, s0, s1, s2, s3 = nxt(s0, s1, s2, s3)
                b = -math.log(((u >> uint64(11)) + uint64(1)) * M53)
                if 2 * b > a * a:
                    return sign * (X[1] + a), s0, s1, s2, s3
        u, s0, s1, s2, s3 = nxt(s0, s1, s2, s3)
        y = F[i] + (u >> uint64(11)) * M53 * (F[i + 1] - F[i])
        if y < math.exp(-0.5 * x * x):
            return sign * x, s0, s1, s2, s3
        w, s0, s1, s2, s3 = nxt(s0, s1, s2, s3)

@njit(parallel=True, fastmath=True)
def simulate(d, chains, steps, burn, lr, wd, adamw, X, R, F, seed):
    h = np.empty(d)
    for k in range(d):
        h[k] = 1.0 if d == 1 else 10.0 ** (k / (d - 1))
    blocks = 256
    s1 = np.zeros((blocks, d)); s2 = np.zeros((blocks, d, d))
    per = (chains + blocks - 1) // blocks
    for blk in prange(blocks):
        x = np.empty(d); m = np.empty(d); v = np.empty(d)
        a1 = np.zeros(d); a2 = np.zeros((d, d))
        for c in range(blk * per, min(chains, (blk + 1) * per)):
            st = np.empty(4, dtype=np.uint64)
            z = uint64(seed) * uint64(0x9E3779B97F4A7C15) + uint64(c)
            for j in range(4):
                z += uint64(0x9E3779B97F4A7C15)
                q = (z ^ (z >> uint64(30))) * uint64(0xBF58476D1CE4E5B9)
                q = (q ^ (q >> uint64(27))) * uint64(0x94D049BB133111EB)
                st[j] = q ^ (q >> uint64(31))
            q0, q1, q2, q3 = st[0], st[1], st[2], st[3]
            x[:] = 0.0; m[:] = 0.0; v[:] = 0.0
            for t in range(1, steps + 1):
                b1t = 1 - 0.9 ** t; b2t = 1 - 0.999 ** t
                for k in range(d):
                    w, q0, q1, q2, q3 = nxt(q0, q1, q2, q3)
                    i = w & uint64(255)
                    mm = np.int64(w >> uint64(12)) * M52
                    if mm < R[i]:
                        zz = mm * X[i] * (1.0 - 2.0 * np.int64((w >> uint64(8)) & uint64(1)))
                    else:
                        zz, q0, q1, q2, q3 = slow(w, q0, q1, q2, q3, X, R, F)
                    if adamw:
                        g = h[k] * x[k] + zz
                        x[k] *= 1 - lr * wd
                        m[k] = 0.9 * m[k] + 0.1 * g
                        v[k] = 0.999 * v[k] + 0.001 * g * g
                        x[k] -= lr / b1t * m[k] / (math.sqrt(v[k] / b2t) + 1e-8)
                    else:
                        x[k] -= lr * (h[k] * x[k] + zz)
                if t > burn:
                    for i in range(d):
                        a1[i] += x[i]
                        for j in range(i, d):
                            a2[i, j] += x[i] * x[j]
        s1[blk] = a1; s2[blk] = a2
    return s1.sum(0), s2.sum(0)

def main():
    w, d, chains, steps, burn = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    adamw = w == "W2"
    lr, wd = (0.01, 0.01) if adamw else (0.05, 0.0)
    simulate(d, 512, 10, 5, lr, wd, adamw, X, R, F, 1)  # compile
    t0 = time.perf_counter()
    s1, s2 = simulate(d, chains, steps, burn, lr, wd, adamw, X, R, F, 1)
    sec = time.perf_counter() - t0
    n = chains * (steps - burn)
    print(f"numba {w} threads={get_num_threads()} d={d} seconds={sec:.3f} ns={sec * 1e9 / (chains * d * steps):.3f} var0={s2[0,0]/n - (s1[0]/n)**2:.6g}")

main()
