import Foundation
import Statistics

/// One cloud to compare: one optimizer of one run directory, as `optcloud run` left it.
public struct CloudRecord: Sendable {
    /// `<directory basename>/<label>` (the directory as given when basenames collide).
    public internal(set) var name: String
    public let directory: URL
    public let label: String
    /// The Gaussian fit: the mean and covariance of summary.json (every recorded sample).
    public let fit: GaussianFit
    /// mean − minimum (summary.json's `bias`).
    public let bias: [Double]
    public let minimum: [Double]?
    /// `hessian_trace_at_mean` of summary.json; NaN when absent or null.
    public let flatness: Double
    /// This optimizer's rows of basins.csv, when the directory has one.
    public let occupancy: [BasinOccupancy]?
    /// The finite rows of samples_<label>.npy, when the file exists.
    public let samples: CloudSamples?

    public var dimension: Int { fit.dimension }

    /// |bias|, the Euclidean norm.
    public var biasNorm: Double { bias.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// Occupancy as `basin:fraction;…` (empty without basins.csv).
    public var occupancyText: String {
        (occupancy ?? []).map { "\($0.basin):\(CSVField.number($0.fraction).text)" }.joined(separator: ";")
    }

    /// At most `maxPoints` sample rows, at most one per chain so that the points are
    /// independent: min(maxPoints, chains) chains drawn uniformly without replacement, then
    /// one of each chosen chain's recorded draws uniformly (its only one with `samples:
    /// final`). The same for a given (seed, name) whatever else is compared: stream
    /// FNV-1a(name) of `CounterStream(seed:)`. Nil without samples.
    public func subsample(maxPoints: Int, seed: UInt64) -> [Double]? {
        guard let samples, !samples.chainRows.isEmpty else { return nil }
        let d = dimension
        var random = CounterStream(seed: seed, stream: CounterStream.streamNumber(name))
        let chosen = random.sample(maxPoints, of: samples.chainRows.count)
        var out: [Double] = []
        out.reserveCapacity(chosen.count * d)
        for c in chosen {
            let rows = samples.chainRows[c]
            let r = rows.count == 1 ? rows.lowerBound : rows.lowerBound + random.next(below: rows.count)
            out.append(contentsOf: samples.values[(r * d)..<((r + 1) * d)])
        }
        return out
    }
}

/// The finite rows of a samples file, row-major.
public struct CloudSamples: Sendable {
    public let file: String
    /// rows × d values.
    public let values: [Double]
    public let rows: Int
    /// The rows of each chain that kept at least one (consecutive; one row per chain for
    /// [chains, d] files).
    public let chainRows: [Range<Int>]
    /// Rows dropped for a non-finite value (diverged chains).
    public let droppedRows: Int
}

/// One row of basins.csv.
public struct BasinOccupancy: Sendable, Equatable {
    public let basin: String
    public let fraction: Double
}
