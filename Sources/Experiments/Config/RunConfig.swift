import Simulation

/// A validated config: every value checked, every default filled in (SPEC §3).
public struct RunConfig: Sendable {
    public var name: String
    public var seed: UInt64
    public var objective: ObjectiveSpec
    public var noise: NoiseSpec
    public var initial: InitialDistribution
    public var chains: Int
    public var steps: Int
    public var burnIn: Int
    public var thin: Int
    public var divergenceBound: Double
    public var commonRandomNumbers: Bool
    public var optimizers: [OptimizerSpec]
    public var histogram: HistogramPlan
    public var samples: SampleStorage

    public var dimension: Int { objective.dimension }
    public var recording: RecordingPlan { RecordingPlan(steps: steps, burnIn: burnIn, thin: thin) }
}

/// The objective of a run.
public enum ObjectiveSpec: Sendable {
    /// ½(x − x*)ᵀH(x − x*); `form` records how H was given (hessian, diagonal, eigenvalues).
    case quadratic(hessian: [Double], minimum: [Double], form: QuadraticForm)

    public enum QuadraticForm: Sendable, Equatable {
        case hessian
        case diagonal
        case eigenvalues([Double], rotationSeed: UInt64)
    }

    public var dimension: Int {
        switch self {
        case .quadratic(_, let minimum, _): return minimum.count
        }
    }

    public var minimum: [Double] {
        switch self {
        case .quadratic(_, let minimum, _): return minimum
        }
    }

    /// The Hessian where it is constant (row-major d×d).
    public var constantHessian: [Double]? {
        switch self {
        case .quadratic(let h, _, _): return h
        }
    }
}

/// The gradient-noise model of a run.
public enum NoiseSpec: Sendable {
    case none
    /// Additive N(0, covariance); `factor` is a square root (covariance = factor·factorᵀ).
    case gaussian(covariance: [Double], factor: [Double], diagonal: Bool)

    /// The covariance where it is constant.
    public func covariance(dimension d: Int) -> [Double] {
        switch self {
        case .none: return [Double](repeating: 0, count: d * d)
        case .gaussian(let c, _, _): return c
        }
    }
}

/// One optimizer of a run, with its label, rule, learning rate, schedule and clipping.
public struct OptimizerSpec: Sendable {
    public var label: String
    public var rule: Rule
    public var lr: Double
    public var schedule: ScheduleSpec
    public var clip: GradientClip

    public enum Rule: Sendable {
        case sgd(SGD)
    }

    public var type: String {
        switch rule {
        case .sgd: return "sgd"
        }
    }
}

/// A learning-rate schedule of the catalogue.
public enum ScheduleSpec: Sendable, Equatable {
    case constant

    public func make(baseLR: Double) -> any Schedule {
        switch self {
        case .constant: return ConstantSchedule(baseLR: baseLR)
        }
    }

    public var type: String {
        switch self {
        case .constant: return "constant"
        }
    }
}
