/// ξ from recorded noise vectors, e.g. the minibatch noise g_batch − g_full of a real model.
///
/// `sequential` adds row (t − 1) mod rows at step t in every chain — an exact replay;
/// `bootstrap` adds a row drawn uniformly at random for each chain and step — resampling
/// the recorded noise distribution.
public struct RecordedNoise: GradientNoise {
    public enum Mode: String, Sendable, CaseIterable {
        case sequential, bootstrap
    }

    public let dimension: Int
    public let rows: Int
    /// [rows × d], row-major.
    public let values: [Double]
    public let mode: Mode

    public init(values: [Double], rows: Int, dimension: Int, mode: Mode) {
        precondition(rows > 0 && values.count == rows * dimension, "values must be rows × d")
        self.values = values
        self.rows = rows
        self.dimension = dimension
        self.mode = mode
    }

    public var covariance: [Double]? { nil }

    public func perturb(
        _ g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, normals: NormalSource, scratch: UnsafeMutablePointer<Double>
    ) {
        let d = dimension
        values.withUnsafeBufferPointer { v in
            switch mode {
            case .sequential:
                let row = (Int(step) - 1) % rows * d
                for k in 0..<d {
                    let gk = g + k * stride, value = v[row + k]
                    for c in 0..<count { gk[c] += value }
                }
            case .bootstrap:
                for c in 0..<count {
                    let row = normals.index(below: rows, chain: UInt32(truncatingIfNeeded: firstChain + c), step: step,
                                            purpose: .resampling) * d
                    for k in 0..<d { g[k * stride + c] += v[row + k] }
                }
            }
        }
    }
}
