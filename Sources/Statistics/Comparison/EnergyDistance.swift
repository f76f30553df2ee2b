import Dispatch
import Foundation

/// The result of an energy-distance two-sample test.
public struct EnergyTest: Sendable {
    /// The energy distance of the two samples (V-statistic, see `EnergyDistance`).
    public let statistic: Double
    /// (1 + #{permutations with statistic ≥ observed}) / (1 + permutations): never 0, at
    /// least 1/(1 + permutations).
    public let pValue: Double
    public let permutations: Int
}

/// The energy distance of Székely & Rizzo between two samples X (n points) and Y (m points)
/// in R^d, as the V-statistic (every ordered pair, i = j included):
///     E = 2/(nm) Σᵢⱼ |xᵢ − yⱼ| − 1/n² Σᵢⱼ |xᵢ − xⱼ| − 1/m² Σᵢⱼ |yᵢ − yⱼ|,
/// with |·| the Euclidean norm. E ≥ 0, and E = 0 only for identical empirical distributions;
/// it estimates the population energy distance 2E|X−Y| − E|X−X'| − E|Y−Y'| with a positive
/// bias of order 1/n + 1/m (this is the squared "energy distance"; scipy's 1-D
/// `energy_distance` is √E).
public enum EnergyDistance {
    /// E of two row-major samples (n×d and m×d), directly from the pair sums.
    public static func statistic(_ x: [Double], _ y: [Double], dimension d: Int) -> Double {
        let n = d > 0 ? x.count / d : 0, m = d > 0 ? y.count / d : 0
        guard n > 0, m > 0 else { return .nan }
        func sum(_ a: [Double], _ na: Int, _ b: [Double], _ nb: Int) -> Double {
            var s = 0.0
            for i in 0..<na { for j in 0..<nb { s += distance(a, i, b, j, d) } }
            return s
        }
        let nn = Double(n), mm = Double(m)
        return 2 * sum(x, n, y, m) / (nn * mm) - sum(x, n, x, n) / (nn * nn) - sum(y, m, y, m) / (mm * mm)
    }

    /// E and its permutation p-value: the pooled n + m points are split at random into groups
    /// of sizes n and m `permutations` times (draws from `CounterStream(seed:stream:substream:)`,
    /// permutation k using substream k + 1, so the result does not depend on the thread count),
    /// and p = (1 + #{E_perm ≥ E_observed}) / (1 + permutations) — exact-size under the null
    /// hypothesis that X and Y come from one distribution, and the observed split counted as
    /// one of the permutations (so p ≥ 1/(1 + permutations)). A statistic within 1e-12
    /// (relative) of the observed one counts as ≥, so round-off never makes p smaller.
    ///
    /// Memory: the (n + m)² distance matrix in doubles; time: (n + m)² d once plus
    /// min(n, m)²/2 additions per permutation, spread over `threads` threads.
    public static func permutationTest(_ x: [Double], _ y: [Double], dimension d: Int, permutations: Int,
                                       seed: UInt64, stream: UInt64, threads: Int = 1) -> EnergyTest {
        let n = d > 0 ? x.count / d : 0, m = d > 0 ? y.count / d : 0
        guard n > 0, m > 0, permutations >= 0 else { return EnergyTest(statistic: .nan, pValue: .nan, permutations: permutations) }
        let pooled = PooledDistances(x + y, count: n + m, dimension: d, threads: threads)
        // The statistic only needs the within-group sum of the smaller group (see PooledDistances).
        let tracked = Swift.min(n, m)
        let observedIndices = n <= m ? Array(0..<n) : Array(n..<(n + m))
        let observed = pooled.energy(trackedGroup: observedIndices, otherSize: n + m - tracked)
        var exceed = [Bool](repeating: false, count: permutations)
        let workers = Swift.max(1, Swift.min(threads, permutations))
        exceed.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var k = worker
                while k < permutations {
                    var random = CounterStream(seed: seed, stream: stream, substream: UInt32(truncatingIfNeeded: k + 1))
                    let group = random.sample(tracked, of: n + m)
                    let value = pooled.energy(trackedGroup: group, otherSize: n + m - tracked)
                    out[k] = value >= observed - 1e-12 * Swift.abs(observed)
                    k += workers
                }
            }
        }
        let count = exceed.reduce(0) { $0 + ($1 ? 1 : 0) }
        return EnergyTest(statistic: observed, pValue: Double(1 + count) / Double(1 + permutations), permutations: permutations)
    }

    @inline(__always)
    static func distance(_ a: [Double], _ i: Int, _ b: [Double], _ j: Int, _ d: Int) -> Double {
        var s = 0.0
        for k in 0..<d {
            let t = a[i * d + k] - b[j * d + k]
            s += t * t
        }
        return s.squareRoot()
    }
}

/// The pairwise distances of a pooled sample, with the sums that make E of any split into
/// groups G (size g) and H (size h) cost g²/2 additions: with S_GG the sum over ordered pairs
/// within G, R_G the sum of G's full row sums and T the sum of all distances,
///     S_GH = R_G − S_GG,  S_HH = T − S_GG − 2 S_GH,  E = 2 S_GH/(gh) − S_GG/g² − S_HH/h².
struct PooledDistances {
    let count: Int
    /// count × count, row-major, symmetric, zero diagonal.
    let matrix: [Double]
    let rowSums: [Double]
    let total: Double

    init(_ points: [Double], count: Int, dimension d: Int, threads: Int) {
        self.count = count
        var matrix = [Double](repeating: 0, count: count * count)
        matrix.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            let workers = Swift.max(1, Swift.min(threads, count))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var i = worker
                while i < count {
                    for j in 0..<count where j != i { out[i * count + j] = EnergyDistance.distance(points, i, points, j, d) }
                    i += workers
                }
            }
        }
        rowSums = (0..<count).map { i in matrix[(i * count)..<((i + 1) * count)].reduce(0, +) }
        total = rowSums.reduce(0, +)
        self.matrix = matrix
    }

    /// E for the split whose smaller-or-equal group holds `trackedGroup` (ascending indices).
    func energy(trackedGroup group: [Int], otherSize h: Int) -> Double {
        let g = group.count
        var within = 0.0, rows = 0.0
        matrix.withUnsafeBufferPointer { d in
            for a in 0..<g {
                let row = group[a] * count
                var s = 0.0
                for b in (a + 1)..<Swift.max(a + 1, g) { s += d[row + group[b]] }
                within += s
                rows += rowSums[group[a]]
            }
        }
        let sGG = 2 * within, sGH = rows - sGG, sHH = total - sGG - 2 * sGH
        let gg = Double(g), hh = Double(h)
        return 2 * sGH / (gg * hh) - sGG / (gg * gg) - sHH / (hh * hh)
    }
}
