/// Convergence diagnostics of one scalar quantity sampled by several chains, with ArviZ's
/// definitions (ArviZ 0.23.4; they agree with it to 1e-13 relative on the fixtures in
/// Tests/StatisticsTests/Fixtures/arviz):
///
/// - `rHat`: rank-normalised split R̂, `arviz.rhat(method = "rank")` — max of the bulk and
///   folded (tail) R̂ of the rank-normalised split chains; values above ~1.01 flag chains
///   that have not mixed.
/// - `essBulk`: `arviz.ess(method = "bulk")`, the effective sample size of the
///   rank-normalised split chains (Geyer's initial monotone sequence).
/// - `essTail`: `arviz.ess(method = "tail")`, the smaller ESS of the 5 % and 95 % quantile
///   indicators.
/// - `mcseMean`: `arviz.mcse(method = "mean")`, s/√ESS_mean.
/// - `mcseSD`: `arviz.mcse(method = "sd")`, the delta-method error of the standard deviation.
///
/// See Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), "Rank-normalization, folding,
/// and localization: an improved R̂ for assessing convergence of MCMC", Bayesian Analysis.
///
/// As ArviZ, every value is NaN when a draw is NaN (here: not finite) or there are fewer
/// than 4 draws per chain, and R̂ is NaN with a single chain.
///
/// Cost: two radix sorts of all S draws (ranks of the split and of the folded chains) and
/// five FFT-based ESS evaluations (a forward transform a chain, one inverse), O(S log S).
public struct ConvergenceDiagnostics: Sendable, Equatable {
    public let chains: Int
    public let drawsPerChain: Int
    public let rHat: Double
    public let essBulk: Double
    public let essTail: Double
    public let mcseMean: Double
    public let mcseSD: Double

    /// - Parameters:
    ///   - draws: chains·drawsPerChain values, chain-major: draw d of chain c at
    ///     c·drawsPerChain + d (ArviZ's (chain, draw) order).
    ///   - chains: ≥ 1.
    ///   - drawsPerChain: ≥ 1 (fewer than 4 gives NaN diagnostics).
    /// - Throws: `ConvergenceDiagnostics.ShapeError` when the count does not match the shape.
    public init(draws: [Double], chains: Int, drawsPerChain: Int) throws {
        try self.init(draws: draws, chains: chains, drawsPerChain: drawsPerChain, scores: nil)
    }

    /// - Parameter scores: the normal scores of the split chains' S = 2·chains·⌊drawsPerChain/2⌋
    ///   draws, shared by the coordinates of a cloud (computed here when nil or of another S).
    init(draws: [Double], chains: Int, drawsPerChain: Int, scores: NormalScores?) throws {
        guard chains >= 1, drawsPerChain >= 1, draws.count == chains * drawsPerChain else {
            throw ShapeError(count: draws.count, chains: chains, drawsPerChain: drawsPerChain)
        }
        self.chains = chains
        self.drawsPerChain = drawsPerChain
        guard drawsPerChain >= 4, draws.allSatisfy(\.isFinite) else {
            (rHat, essBulk, essTail, mcseMean, mcseSD) = (.nan, .nan, .nan, .nan, .nan)
            return
        }
        let samples = ChainDraws(values: draws, chains: chains, draws: drawsPerChain)
        let split = samples.split()
        // One ranking of the split chains serves the bulk R̂ and ESS, and its sorted values
        // the median (of the split chains, as ArviZ folds them) and, unless an odd draw count
        // dropped middle draws, the quantiles of all draws.
        let table = scores.flatMap { $0.count == split.values.count ? $0 : nil } ?? NormalScores(count: split.values.count)
        let bulk = RankNormalization.zScale(split, scores: table)
        let median = SampleMoments.median(sorted: bulk.sorted)
        let folded = RankNormalization.zScale(split.map { Swift.abs($0 - median) }, scores: table)
        rHat = SplitRHat.rankNormalized(bulk: bulk.z, folded: folded.z)
        essBulk = try EffectiveSampleSize.of(bulk.z)
        let sorted = drawsPerChain % 2 == 0 ? bulk.sorted : SampleMoments.sorted(draws)
        essTail = try EffectiveSampleSize.tail(samples, sorted: sorted)
        mcseMean = try MonteCarloStandardError.mean(samples)
        mcseSD = try MonteCarloStandardError.standardDeviation(samples)
    }

    /// From one array of draws per chain, all of the same length.
    public init(chains draws: [[Double]]) throws {
        let perChain = draws.first?.count ?? 0
        guard draws.allSatisfy({ $0.count == perChain }) else {
            throw ShapeError(count: draws.reduce(0) { $0 + $1.count }, chains: draws.count, drawsPerChain: perChain)
        }
        try self.init(draws: draws.flatMap { $0 }, chains: draws.count, drawsPerChain: perChain)
    }

    /// The draws do not form chains × drawsPerChain (ragged chains, no chains, or a count
    /// that does not match).
    public struct ShapeError: Error, CustomStringConvertible, Sendable {
        public let count: Int
        public let chains: Int
        public let drawsPerChain: Int
        public var description: String {
            "convergence diagnostics need chains ≥ 1 of equal length ≥ 1: got \(count) draws for \(chains) chains × \(drawsPerChain) draws"
        }
    }

    public static func == (a: Self, b: Self) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return a.chains == b.chains && a.drawsPerChain == b.drawsPerChain && same(a.rHat, b.rHat)
            && same(a.essBulk, b.essBulk) && same(a.essTail, b.essTail) && same(a.mcseMean, b.mcseMean)
            && same(a.mcseSD, b.mcseSD)
    }
}
