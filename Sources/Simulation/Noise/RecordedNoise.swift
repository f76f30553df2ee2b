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

extension RecordedNoise {
    public static let entry: NoiseEntry = {
        let file = AnyParameter.documented("file", default: "required",
                                           valid: ".npy (float64/float32, [rows, d]) or .csv (rows of d numbers, optional header)",
                                           meaning: "the noise vectors; a relative path is relative to the config file")
        let mode = Parameter<String>.choice("mode", Mode.allCases.map(\.rawValue), .value(Mode.sequential.rawValue),
                                            "sequential: row (t − 1) mod rows at step t in every chain (exact replay); bootstrap: a row drawn uniformly per chain and step")
        return NoiseEntry("recorded", summary: "ξ from a file of recorded noise vectors, e.g. minibatch noise of a real model",
                          parameters: [file, mode.erased]) { p, context in
            let d = context.objective.dimension
            let fileNode = try p.map.required("file", expected: "the path of a .npy or .csv file of noise vectors")
            let name = try fileNode.string()
            p.record("file", .string(name))
            let chosen = Mode(rawValue: try p(mode))!
            let (values, rows) = try context.build.services.numberRows(fileNode, columns: d, directory: context.build.directory)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw fileNode.error("'\(name)' has a non-finite value in row \(bad / d)", expected: "finite numbers")
            }
            p.record("rows", .integer(rows))
            return BuiltNoise(RecordedNoise(values: values, rows: rows, dimension: d, mode: chosen),
                              note: "recorded: the covariance of the file's rows (not computed)")
        }
    }()
}
