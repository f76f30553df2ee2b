import Dispatch
import Simulation

/// The mean of f over the cloud and its standard error, from the stored draws of the
/// diagnostic chains (`DiagnosticDraws`: an evenly spread subset of the chains, every
/// stride-th recorded draw, all NaN for a chain that diverged).
///
/// f is evaluated after the simulation, never in the engine's step: at most
/// `maximumDrawsPerChain` evenly spaced stored draws per chain (the last one included), of
/// the chains whose draws are all finite (the cloud's chains), within a budget of about
/// `workBudget` floating-point operations (`valueCost` per evaluation; fewer chains, evenly
/// spread, when it is exceeded). Every evaluated draw weighs the same:
///
///     mean_loss = Σ_g a_g / Σ_g n_g,   a_g = Σ f over group g's evaluated draws,
///
/// with the ratio estimator's cluster-robust standard error over the replicate groups
/// (`RatioEstimate`), valid whatever the autocorrelation along a chain. The values are
/// computed on `threads` threads, each chain into its own slot, and summed in chain order:
/// the result does not depend on the thread count.
public struct LossEstimate: Sendable {
    public static let maximumDrawsPerChain = 64
    public static let workBudget = 5e8

    public let mean: Double
    public let stderr: Double
    /// Chains and draws per chain f was evaluated at (0 when no chain was usable).
    public let chains: Int
    public let drawsPerChain: Int

    /// - Parameters:
    ///   - draws: the diagnostic draws; nil when none were kept (every value NaN).
    ///   - layout: the run's chains and replicate groups.
    ///   - valueCost: floating-point operations of one f, default d².
    ///   - value: f at a point; must be thread-safe.
    public init(_ draws: DiagnosticDraws?, layout: ChainLayout, dimension d: Int, valueCost: Double? = nil, threads: Int,
                value: @Sendable ([Double]) -> Double) {
        guard let draws, d > 0, draws.drawsPerChain > 0 else {
            (mean, stderr, chains, drawsPerChain) = (.nan, .nan, 0, 0)
            return
        }
        let perChain = draws.drawsPerChain
        let finite = draws.chains.indices.filter { slot in
            let base = slot * perChain * d
            return base + perChain * d <= draws.values.count && draws.values[base..<(base + perChain * d)].allSatisfy(\.isFinite)
        }
        let k = Swift.min(Self.maximumDrawsPerChain, perChain)
        let cost = Swift.max(1, valueCost ?? Double(d * d))
        let affordable = Swift.max(2, Int(Self.workBudget / (cost * Double(k))))
        let m = Swift.min(finite.count, affordable)
        guard m > 0 else {
            (mean, stderr, chains, drawsPerChain) = (.nan, .nan, 0, k)
            return
        }
        let slots = (0..<m).map { finite[$0 * finite.count / m] }
        let picks = (0..<k).map { ($0 + 1) * perChain / k - 1 }
        var sums = [Double](repeating: 0, count: m)
        sums.withUnsafeMutableBufferPointer { out in
            let out = LossSlots(base: out)
            let workers = Swift.max(1, Swift.min(threads, m))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var point = [Double](repeating: 0, count: d)
                for i in Swift.stride(from: worker, to: m, by: workers) {
                    let base = slots[i] * perChain * d
                    var sum = 0.0
                    for j in picks {
                        for c in 0..<d { point[c] = draws.values[base + j * d + c] }
                        sum += value(point)
                    }
                    out.base[i] = sum
                }
            }
        }
        // Group sums in chain order; the diagnostic chains ascend, so the groups do too.
        var groups: [(numerator: Double, denominator: Double)] = []
        var group = -1
        for (i, slot) in slots.enumerated() {
            let g = Self.group(of: draws.chains[slot], in: layout)
            if g != group {
                groups.append((0, 0))
                group = g
            }
            groups[groups.count - 1].numerator += sums[i]
            groups[groups.count - 1].denominator += Double(k)
        }
        let total = groups.reduce(0) { $0 + $1.numerator }
        mean = total / (Double(m) * Double(k))
        stderr = RatioEstimate.standardError(groups, ratio: mean)
        chains = m
        drawsPerChain = k
    }

    /// The replicate group holding `chain` (`ChainLayout.chains(ofGroup:)` inverted).
    static func group(of chain: Int, in layout: ChainLayout) -> Int {
        var g = Swift.min(layout.groups - 1, chain * layout.groups / Swift.max(1, layout.chains))
        while g > 0 && layout.chains(ofGroup: g).lowerBound > chain { g -= 1 }
        while g < layout.groups - 1 && layout.chains(ofGroup: g).upperBound <= chain { g += 1 }
        return g
    }
}

/// One slot per evaluated chain, written by exactly one iteration of the parallel loop.
private struct LossSlots: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Double>
}
