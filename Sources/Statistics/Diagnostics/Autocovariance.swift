import CGSL

/// Autocovariance of one chain at every lag, by FFT as ArviZ's `autocov`:
///
///     γ̂(t) = (1/n) Σ_{i=0}^{n−1−t} (x_i − x̄)(x_{i+t} − x̄),   t = 0 … n − 1
///
/// (the biased estimator, divisor n). The centred chain is zero-padded to a power of two
/// m ≥ 2n — enough padding that the circular correlation equals the linear one — and
/// transformed with gsl_fft_real_radix2_transform; the inverse of the power spectrum
/// (gsl_fft_halfcomplex_radix2_inverse) gives the sums. O(n log n).
struct Autocovariance {
    private let padded: Int
    private var buffer: [Double]

    /// A reusable buffer for chains of `draws` values.
    init(draws: Int) {
        var m = 1
        while m < 2 * draws { m *= 2 }
        padded = m
        buffer = [Double](repeating: 0, count: m)
    }

    /// γ̂(0 … n − 1) of `chain`.
    mutating func callAsFunction(_ chain: ArraySlice<Double>) throws -> [Double] {
        _ = GSL.setUp
        let n = chain.count, m = padded
        guard 2 * n <= m else { throw GSLError(routine: "gsl_fft_real_radix2_transform", status: Int32(GSL_EBADLEN)) }
        let mean = SampleMoments.mean(chain)
        for (i, x) in chain.enumerated() { buffer[i] = x - mean }
        for i in n..<m { buffer[i] = 0 }
        try buffer.withUnsafeMutableBufferPointer { data in
            try GSL.check(gsl_fft_real_radix2_transform(data.baseAddress, 1, m), "gsl_fft_real_radix2_transform")
            // Half-complex order: data[0] = Re z₀, data[k] = Re z_k and data[m − k] = Im z_k
            // for 0 < k < m/2, data[m/2] = Re z_{m/2}. |z_k|² is real.
            data[0] *= data[0]
            data[m / 2] *= data[m / 2]
            for k in 1..<(m / 2) {
                data[k] = data[k] * data[k] + data[m - k] * data[m - k]
                data[m - k] = 0
            }
            try GSL.check(gsl_fft_halfcomplex_radix2_inverse(data.baseAddress, 1, m), "gsl_fft_halfcomplex_radix2_inverse")
        }
        let scale = 1 / Double(n)
        return (0..<n).map { buffer[$0] * scale }
    }
}
