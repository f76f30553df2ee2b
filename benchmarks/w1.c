/*
 * w1.c -- C reference benchmark for optcloud workload W1.
 *
 * Plain SGD on a d-dimensional diagonal quadratic
 *     f(x) = 0.5 * sum_k h_k x_k^2,   h_k = 10^(k/(d-1))  (h_0 = 1 when d = 1)
 * with isotropic Gaussian gradient noise g_k = h_k x_k + sigma z_k, run for
 * `chains` independent chains of `steps` updates each, starting from x = 0.
 * After burn-in every (chain, step) sample is accumulated in double into a
 * streaming sum s1[k] and the upper triangle of s2[i][j] (i <= j); the mean
 * and the unbiased full covariance are computed at the end.
 *
 * Normals: Philox4x32-10 (Random123) + Box-Muller, bit-exact with the Swift
 * side (see README.md for the exact counter/key layout).
 *
 * Build:  cc -O3 -o /tmp/w1 benchmarks/w1.c -lm
 * Usage:  w1 [d] [chains] [steps] [burn_in] [lr] [sigma] [seed]
 *         w1 --selftest
 *         w1 --normals d chain step seed   (print the z vector of one step)
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/time.h>

/* ------------------------------------------------------------------ */
/* Philox4x32-10                                                       */
/* ------------------------------------------------------------------ */

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static inline void philox_round(uint32_t c[4], uint32_t k0, uint32_t k1)
{
    uint64_t p0 = (uint64_t)PHILOX_M0 * c[0];
    uint64_t p1 = (uint64_t)PHILOX_M1 * c[2];
    uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
    uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
    uint32_t n0 = hi1 ^ c[1] ^ k0;
    uint32_t n1 = lo1;
    uint32_t n2 = hi0 ^ c[3] ^ k1;
    uint32_t n3 = lo0;
    c[0] = n0; c[1] = n1; c[2] = n2; c[3] = n3;
}

/* 10 rounds; key bumped between rounds (9 bumps). In-place on c. */
static inline void philox4x32_10(uint32_t c[4], uint32_t k0, uint32_t k1)
{
    philox_round(c, k0, k1);
    for (int r = 1; r < 10; r++) {
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
        philox_round(c, k0, k1);
    }
}

static inline uint64_t splitmix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* One Philox block -> two standard normals (Box-Muller). */
static inline void normal_pair(uint32_t j, uint32_t t, uint32_t clo,
                               uint32_t k0, uint32_t k1,
                               double *z0, double *z1)
{
    uint32_t r[4] = { j, t, clo, 0u };
    philox4x32_10(r, k0, k1);
    uint64_t a = ((uint64_t)r[1] << 32) | r[0];
    uint64_t b = ((uint64_t)r[3] << 32) | r[2];
    double u1 = (double)((a >> 11) + 1) * 0x1.0p-53;   /* (0,1] */
    double u2 = (double)(b >> 11) * 0x1.0p-53;         /* [0,1) */
    double rad = sqrt(-2.0 * log(u1));
    double theta = 6.283185307179586 * u2;
    *z0 = rad * cos(theta);
    *z1 = rad * sin(theta);
}

/* ------------------------------------------------------------------ */
/* Self test: Random123 known-answer vectors for philox4x32-10         */
/* ------------------------------------------------------------------ */

static int selftest(void)
{
    static const struct { uint32_t ctr[4], key[2], out[4]; } kat[] = {
        { {0u, 0u, 0u, 0u}, {0u, 0u},
          {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u} },
        { {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
          {0xffffffffu, 0xffffffffu},
          {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu} },
        { {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
          {0xa4093822u, 0x299f31d0u},
          {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u} },
    };
    int fails = 0;
    for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
        uint32_t c[4];
        memcpy(c, kat[i].ctr, sizeof c);
        philox4x32_10(c, kat[i].key[0], kat[i].key[1]);
        int ok = memcmp(c, kat[i].out, sizeof c) == 0;
        printf("kat%zu %s got %08x %08x %08x %08x want %08x %08x %08x %08x\n",
               i, ok ? "ok" : "FAIL", c[0], c[1], c[2], c[3],
               kat[i].out[0], kat[i].out[1], kat[i].out[2], kat[i].out[3]);
        fails += !ok;
    }
    printf("selftest %s\n", fails ? "FAIL" : "ok");
    return fails ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* Main                                                                */
/* ------------------------------------------------------------------ */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p) { fprintf(stderr, "w1: out of memory\n"); exit(2); }
    return p;
}

/* Golden values for cross-checking another implementation bit for bit. */
static int dump_normals(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: w1 --normals d chain step seed\n");
        return 2;
    }
    long d = strtol(argv[2], NULL, 10);
    uint64_t c = strtoull(argv[3], NULL, 10);
    uint32_t t = (uint32_t)strtoul(argv[4], NULL, 10);
    uint64_t s = splitmix64(strtoull(argv[5], NULL, 10));
    uint32_t k0 = (uint32_t)s, k1 = (uint32_t)(s >> 32);
    if (d < 1) return 2;
    printf("key %08x %08x\n", k0, k1);
    for (long j = 0; 2 * j < d; j++) {
        double z0, z1;
        normal_pair((uint32_t)j, t, (uint32_t)c, k0, k1, &z0, &z1);
        printf("z%ld %a %.17g\n", 2 * j, z0, z0);
        if (2 * j + 1 < d) printf("z%ld %a %.17g\n", 2 * j + 1, z1, z1);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--selftest") == 0)
        return selftest();
    if (argc > 1 && strcmp(argv[1], "--normals") == 0)
        return dump_normals(argc, argv);

    long d = 10;
    uint64_t chains = 100000;
    long steps = 200, burn_in = 100;
    double lr = 0.05, sigma = 1.0;
    uint64_t seed = 1;

    if (argc > 1) d = strtol(argv[1], NULL, 10);
    if (argc > 2) chains = strtoull(argv[2], NULL, 10);
    if (argc > 3) steps = strtol(argv[3], NULL, 10);
    if (argc > 4) burn_in = strtol(argv[4], NULL, 10);
    if (argc > 5) lr = strtod(argv[5], NULL);
    if (argc > 6) sigma = strtod(argv[6], NULL);
    if (argc > 7) seed = strtoull(argv[7], NULL, 10);
    if (d < 1 || steps < 1 || burn_in < 0 || steps > 0xffffffffL) {
        fprintf(stderr, "usage: w1 [d>=1] [chains] [steps>=1] [burn_in>=0] "
                        "[lr] [sigma] [seed] | --selftest\n");
        return 2;
    }

    const uint64_t s = splitmix64(seed);
    const uint32_t k0 = (uint32_t)s, k1 = (uint32_t)(s >> 32);
    const size_t D = (size_t)d;
    const uint32_t npairs = (uint32_t)((D + 1) / 2);

    double *h  = xcalloc(D, sizeof *h);
    double *x  = xcalloc(D, sizeof *x);
    double *z  = xcalloc(2 * (size_t)npairs, sizeof *z);  /* even length */
    double *s1 = xcalloc(D, sizeof *s1);
    double *s2 = xcalloc(D * D, sizeof *s2);               /* upper tri used */

    for (size_t k = 0; k < D; k++)
        h[k] = (D == 1) ? 1.0 : pow(10.0, (double)k / (double)(D - 1));

    const double t0 = now_seconds();

    for (uint64_t c = 0; c < chains; c++) {
        const uint32_t clo = (uint32_t)c;
        for (size_t k = 0; k < D; k++) x[k] = 0.0;

        for (uint32_t t = 1; t <= (uint32_t)steps; t++) {
            /* gradient noise for this (chain, step), purpose 0 */
            for (uint32_t j = 0; j < npairs; j++)
                normal_pair(j, t, clo, k0, k1, &z[2 * j], &z[2 * j + 1]);

            /* SGD update: x <- x - lr * (h x + sigma z) */
            for (size_t k = 0; k < D; k++)
                x[k] -= lr * (h[k] * x[k] + sigma * z[k]);

            /* streaming mean / full covariance after burn-in */
            if (t > (uint32_t)burn_in) {
                for (size_t i = 0; i < D; i++) {
                    const double xi = x[i];
                    double *row = s2 + i * D;
                    s1[i] += xi;
                    for (size_t j = i; j < D; j++)
                        row[j] += xi * x[j];
                }
            }
        }
    }

    /* finalize: mean and unbiased covariance (upper triangle) */
    const double n = (double)chains * (double)(steps > burn_in ? steps - burn_in : 0);
    for (size_t i = 0; i < D; i++)
        for (size_t j = i; j < D; j++)
            s2[i * D + j] = (s2[i * D + j] - s1[i] * s1[j] / n) / (n - 1.0);
    for (size_t i = 0; i < D; i++)
        s1[i] /= n;

    const double seconds = now_seconds() - t0;

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);

    const double hf = h[0], hl = h[D - 1];
    const double th0 = lr * sigma * sigma / (hf * (2.0 - lr * hf));
    const double thl = lr * sigma * sigma / (hl * (2.0 - lr * hl));

    printf("d %ld\n", d);
    printf("chains %llu\n", (unsigned long long)chains);
    printf("steps %ld\n", steps);
    printf("seconds %.6f\n", seconds);
    printf("ns_per_chain_coord_step %.4f\n",
           seconds * 1e9 / ((double)chains * (double)d * (double)steps));
    printf("peak_rss_kib %ld\n", (long)ru.ru_maxrss);
    printf("mean0 %.9g\n", s1[0]);
    printf("var0 %.9g\n", s2[0]);
    printf("var_last %.9g\n", s2[(D - 1) * D + (D - 1)]);
    printf("theory_var0 %.9g\n", th0);
    printf("theory_var_last %.9g\n", thl);

    free(h); free(x); free(z); free(s1); free(s2);
    return 0;
}
