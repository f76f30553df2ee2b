import Dispatch
import Simulation

/// `ConvergenceDiagnostics` (ArviZ's rank-normalised split R̂, bulk and tail ESS, MCSE of
/// the mean and of the standard deviation) of every coordinate of a cloud, computed on the
/// recorded draws of its diagnostic chains (`DiagnosticDraws`: a budgeted, evenly spread
/// subset of the chains, every stride-th recorded draw).
///
/// Only chains whose draws are all finite take part: a chain that diverged has NaN draws,
/// and ArviZ would make every diagnostic NaN. Every value is NaN when fewer than two chains
/// or fewer than 4 draws per chain remain (R̂ needs two chains; ArviZ needs 4 draws), and a
/// coordinate's values are NaN when its draws span at most 64 ulps (zero variance up to
/// rounding, e.g. noiseless chains stuck next to x*: there is nothing to mix, and the ratios
/// behind R̂ and ESS are 0/0 or rounding noise — ArviZ reports ESS = draws there).
///
/// Coordinates are independent, so they are computed on `threads` threads (each about a
/// second for 10⁶ draws); each result goes to its own slot, so the values do not depend on
/// the number of threads.
public struct CloudDiagnostics: Sendable {
    /// Chains that took part (finite draws only) and the draws of each.
    public let chains: Int
    public let drawsPerChain: Int
    /// Every `stride`-th recorded draw was kept.
    public let stride: Int
    /// Per coordinate.
    public let rHat: [Double]
    public let essBulk: [Double]
    public let essTail: [Double]
    public let mcseMean: [Double]
    public let mcseSD: [Double]

    /// - Parameters:
    ///   - draws: values[(slot·drawsPerChain + draw)·d + k]; nil when no chain was kept
    ///     (every value NaN).
    ///   - dimension: d.
    ///   - threads: ≥ 1.
    public init(_ draws: DiagnosticDraws?, dimension d: Int, threads: Int) {
        let perChain = draws?.drawsPerChain ?? 0
        let slots = (draws?.chains ?? []).indices.filter { slot in
            guard let draws else { return false }
            let base = slot * perChain * d
            return base + perChain * d <= draws.values.count
                && draws.values[base..<(base + perChain * d)].allSatisfy(\.isFinite)
        }
        chains = slots.count
        drawsPerChain = perChain
        stride = draws?.stride ?? 1
        var results = [ConvergenceDiagnostics?](repeating: nil, count: d)
        if let draws, slots.count >= 2 && perChain >= 4 && d > 0 {
            let scores = NormalScores(count: 2 * slots.count * (perChain / 2))
            results.withUnsafeMutableBufferPointer { out in
                let out = DiagnosticSlots(base: out)
                let workers = Swift.max(1, Swift.min(threads, d))
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for k in Swift.stride(from: worker, to: d, by: workers) {
                        var values = [Double]()
                        values.reserveCapacity(slots.count * perChain)
                        for slot in slots {
                            let base = slot * perChain * d
                            for j in 0..<perChain { values.append(draws.values[base + j * d + k]) }
                        }
                        // Zero variance up to rounding: nothing to mix (see the type's doc).
                        guard let lo = values.min(), let hi = values.max(),
                              hi - lo > 64 * Swift.max(Swift.abs(lo), Swift.abs(hi)).ulp else { continue }
                        out.base[k] = try? ConvergenceDiagnostics(draws: values, chains: slots.count, drawsPerChain: perChain,
                                                                  scores: scores)
                    }
                }
            }
        }
        rHat = results.map { $0?.rHat ?? .nan }
        essBulk = results.map { $0?.essBulk ?? .nan }
        essTail = results.map { $0?.essTail ?? .nan }
        mcseMean = results.map { $0?.mcseMean ?? .nan }
        mcseSD = results.map { $0?.mcseSD ?? .nan }
    }
}

/// One slot per coordinate, written by exactly one iteration of the parallel loop.
private struct DiagnosticSlots: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<ConvergenceDiagnostics?>
}
