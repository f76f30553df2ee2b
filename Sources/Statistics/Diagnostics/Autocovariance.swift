import CGSL

/// Autocovariances by FFT, as ArviZ's `autocov`:
///
///     γ̂(t) = (1/n) Σ_{i=0}^{n−1−t} (x_i − x̄)(x_{i+t} − x̄),   t = 0 … n − 1
///
/// (the biased estimator, divisor n). A centred chain is zero-padded to a power of two
/// m ≥ 2n — enough padding that the circular correlation equals the linear one — and
/// transformed with gsl_fft_real_radix2_transform; the inverse of the power spectrum
/// (gsl_fft_halfcomplex_radix2_inverse) gives the sums. O(n log n).
///
/// The effective sample size needs only the mean over chains of γ̂_m(t); by linearity it is
/// the inverse transform of the chains' summed power spectra, so M chains take M forward
/// transforms and one inverse (`mean(of:)`).
struct Autocovariance {
    private let padded: Int
    private var buffer: [Double]
    private var spectrum: [Double]

    /// Reusable buffers for chains of `draws` values.
    init(draws: Int) {
        var m = 1
        while m < 2 * draws { m *= 2 }
        padded = m
        buffer = [Double](repeating: 0, count: m)
        spectrum = [Double](repeating: 0, count: m)
    }

    /// γ̂(0 … n − 1) of `chain`.
    mutating func callAsFunction(_ chain: ArraySlice<Double>) throws -> [Double] {
        try sum([chain])
    }

    /// (1/M) Σ_m γ̂_m(0 … n − 1) over the chains of `draws`.
    mutating func mean(of draws: ChainDraws) throws -> [Double] {
        try sum((0..<draws.chains).map { draws.chain($0) })
    }

    /// The mean autocovariance of equal-length chains.
    private mutating func sum(_ chains: [ArraySlice<Double>]) throws -> [Double] {
        _ = GSL.setUp
        let n = chains.first?.count ?? 0, m = padded
        guard 2 * n <= m, chains.allSatisfy({ $0.count == n }) else {
            throw GSLError(routine: "gsl_fft_real_radix2_transform", status: Int32(GSL_EBADLEN))
        }
        try spectrum.withUnsafeMutableBufferPointer { power in
            try buffer.withUnsafeMutableBufferPointer { data in
                for k in 0..<m { power[k] = 0 }
                for chain in chains {
                    let mean = SampleMoments.mean(chain)
                    var i = 0
                    for x in chain {
                        data[i] = x - mean
                        i += 1
                    }
                    for i in n..<m { data[i] = 0 }
                    try GSL.check(gsl_fft_real_radix2_transform(data.baseAddress, 1, m), "gsl_fft_real_radix2_transform")
                    // Half-complex order: data[0] = Re z₀, data[k] = Re z_k and data[m − k] =
                    // Im z_k for 0 < k < m/2, data[m/2] = Re z_{m/2}. |z_k|² goes to position k.
                    power[0] += data[0] * data[0]
                    power[m / 2] += data[m / 2] * data[m / 2]
                    for k in 1..<(m / 2) { power[k] += data[k] * data[k] + data[m - k] * data[m - k] }
                }
            }
        }
        try spectrum.withUnsafeMutableBufferPointer { data in
            try GSL.check(gsl_fft_halfcomplex_radix2_inverse(data.baseAddress, 1, m), "gsl_fft_halfcomplex_radix2_inverse")
        }
        let scale = 1 / (Double(n) * Double(chains.count))
        return (0..<n).map { spectrum[$0] * scale }
    }
}
