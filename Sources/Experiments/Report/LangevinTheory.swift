import Simulation
import Statistics

/// The 1-D Langevin picture of x₀ for SGLD, or plain SGD with Gaussian (or no) gradient
/// noise, on a landscape where x₀ moves on its own: the double well (separable, so x₀ sees
/// only f₀(x₀) = barrier·(x₀² − 1)² + tilt·x₀) and an `expression` in d = 1.
///
/// One step of x₀ is x₀ ← x₀ − lr·(f₀′(x₀) + λ₀·x₀ + ξ₀) + √(2·lr·T)·z: the Euler–Maruyama
/// step of length lr of dX = −U′(X)dt + √(2·T_eff)dW with U = f₀ + ½λ₀x₀² (λ₀ the coupled
/// weight decay of x₀) and
///
///     T_eff = T + lr·σ₀²/2,
///
/// T the SGLD temperature (0 for SGD) and σ₀² = Var ξ₀ the Gaussian gradient noise of x₀
/// (only ξ₀ enters x₀'s update, whatever its correlation with the other coordinates). So, to
/// first order in lr:
///
/// - the stationary marginal of x₀ is the Gibbs law exp(−U/T_eff)/Z (`GibbsDensity`);
/// - from a point x₀(0) inside a well, the mean number of steps until the first iterate in
///   the other basin (x₀ beyond the barrier top x_s, `DoubleWell`'s basin boundary) is
///   τ(x₀(0) → x_s)/lr, τ the exact mean first-passage time of the SDE with a reflecting
///   wall far out on the start's side (`MeanFirstPassage`). The iterates are seen only at
///   the steps, so they cross late: the corrected prediction moves the level outward by
///   β·√(2·T_eff·lr), β ≈ 0.5826 (`ContinuityCorrection`).
public struct LangevinTheory: Sendable {
    /// Why there is no prediction, when there is none.
    public let unavailableReason: String?
    public let model: Model?

    public struct Model: Sendable {
        /// U(x₀) in words.
        public let potential: String
        public let temperature: Double
        /// How T_eff was formed.
        public let temperatureNote: String
        public let lr: Double
        let u: @Sendable (Double) -> Double
        /// The double well's basin boundary x_s (nil for other landscapes or a single well).
        public let barrierTop: Double?
        /// Gibbs probabilities of the basins x₀ < x_s and x₀ ≥ x_s.
        public let basinProbabilities: [Double]?
        public let escape: EscapeTime?
        /// Why there is no escape-time prediction, when there is none.
        public let escapeUnavailableReason: String?
    }

    /// The predicted mean first passage from the start to the other basin, in steps.
    public struct EscapeTime: Sendable {
        public let start: Double
        public let startBasin: Int
        public let targetBasin: Int
        /// x_s, and the reflecting wall on the start's side.
        public let level: Double
        public let reflectingAt: Double
        public let exactSteps: Double
        /// The level moved outward by β·√(2·T_eff·lr), and the passage time to it.
        public let correctedLevel: Double
        public let correctedSteps: Double
    }

    struct Unavailable: Error { let reason: String }

    /// A point is "far" where U exceeds the lowest value seen by this many T_eff: e^{−50}
    /// of mass lies beyond it.
    static let farBarrier = 50.0

    public init(config: RunConfig, optimizer spec: OptimizerSpec) {
        do {
            model = try Self.model(config, spec)
            unavailableReason = nil
        } catch {
            model = nil
            unavailableReason = (error as? Unavailable)?.reason ?? "\(error)"
        }
    }

    static let summary = "1-D overdamped Langevin dX = −U′(X)dt + √(2·T_eff)dW of x₀, stepped by Euler–Maruyama with dt = lr"

    static func model(_ config: RunConfig, _ spec: OptimizerSpec) throws -> Model {
        guard spec.schedule.isConstant else { throw Unavailable(reason: "needs a constant learning rate") }
        guard spec.clip == .none else { throw Unavailable(reason: "clipping changes the dynamics of x₀") }
        let temperature: Double, decay: Double, rule: String
        if let o = spec.optimizer as? SGLD {
            (temperature, decay, rule) = (o.temperature, spec.decay?.values[0] ?? 0, "SGLD")
        } else if let o = spec.optimizer as? SGD, o.momentum == 0 {
            (temperature, decay, rule) = (0, spec.decay?.values[0] ?? 0, "SGD")
        } else {
            throw Unavailable(reason: "only SGLD and plain SGD (no momentum) step x₀ like overdamped Langevin dynamics")
        }
        let noiseVariance: Double
        switch config.noise.type {
        case NoNoise.entry.name: noiseVariance = 0
        case GaussianNoise.entry.name: noiseVariance = config.noise.covariance?[0] ?? 0
        default: throw Unavailable(reason: "needs Gaussian or no gradient noise")
        }
        let lr = spec.lr
        let effective = temperature + lr * noiseVariance / 2
        guard effective > 0, effective.isFinite, lr > 0 else {
            throw Unavailable(reason: "no noise reaches x₀ (T_eff = T + lr·σ₀²/2 = 0): no Gibbs law")
        }
        let note = "T_eff = T + lr·σ₀²/2 = \(temperature) (\(rule) temperature) + \(lr)·\(noiseVariance)/2 (gradient noise of x₀)"
        let decayText = decay == 0 ? "" : " + ½·\(decay)·x₀² (coupled weight decay)"

        let u: @Sendable (Double) -> Double
        let potential: String
        var well: DoubleWell?
        switch config.objective.objective {
        case let o as DoubleWell:
            u = { x in o.barrier * (x * x - 1) * (x * x - 1) + o.tilt * x + 0.5 * decay * x * x }
            potential = "\(o.barrier)·(x₀² − 1)² + \(o.tilt)·x₀" + decayText
            well = o
        case let o as ExpressionObjective where o.dimension == 1:
            u = { x in o.value(at: [x]) + 0.5 * decay * x * x }
            potential = o.formula + decayText
        default:
            throw Unavailable(reason: "needs a landscape whose x₀ moves on its own: double-well, or expression with dim 1")
        }

        var barrierTop: Double?, basinProbabilities: [Double]?, escape: EscapeTime?, escapeReason: String?
        if let well, well.localMinima.count == 2, well.barrierTop.isFinite {
            let top = well.barrierTop
            barrierTop = top
            let wells = well.localMinima.map { $0[0] }
            let low = wells.map(u).min()!
            if let left = farPoint(from: wells[0], direction: -1, above: low + farBarrier * effective, u),
               let right = farPoint(from: wells[1], direction: 1, above: low + farBarrier * effective, u),
               let p = try? GibbsDensity.binProbabilities(edges: [left, top, right], temperature: effective, potential: u) {
                basinProbabilities = [p.below + p.probabilities[0], p.probabilities[1] + p.above]
            }
            do {
                escape = try escapeTime(config, top: top, temperature: effective, lr: lr, u)
            } catch {
                escapeReason = (error as? Unavailable)?.reason ?? "\(error)"
            }
        } else {
            escapeReason = "escape times need a double well with two wells"
        }
        return Model(potential: potential, temperature: effective, temperatureNote: note, lr: lr, u: u,
                     barrierTop: barrierTop, basinProbabilities: basinProbabilities, escape: escape,
                     escapeUnavailableReason: escapeReason)
    }

    static func escapeTime(_ config: RunConfig, top: Double, temperature t: Double, lr: Double,
                           _ u: @escaping @Sendable (Double) -> Double) throws -> EscapeTime {
        guard case .point(let at) = config.initial else {
            throw Unavailable(reason: "needs a point initial condition (init: {type: point})")
        }
        let start = at[0]
        guard start != top else { throw Unavailable(reason: "the start x₀ = \(start) is the barrier top itself") }
        let side = start < top ? -1.0 : 1.0
        guard let wall = farPoint(from: start, direction: side, above: Swift.min(u(start), u(top)) + farBarrier * t, u) else {
            throw Unavailable(reason: "U does not rise far from the start, so no reflecting wall can stand in for infinity")
        }
        let exact = try MeanFirstPassage.meanFirstPassageTime(from: start, to: top, reflectingAt: wall, temperature: t, potential: u)
        let shifted = ContinuityCorrection.shiftedLevel(top, start: start, stepStandardDeviation: (2 * t * lr).squareRoot())
        let corrected = try MeanFirstPassage.meanFirstPassageTime(from: start, to: shifted, reflectingAt: wall, temperature: t,
                                                                  potential: u)
        // At extreme barrier/T ratios the quadrature underflows (0) instead of overflowing.
        guard exact > 0, corrected > 0, !exact.isNaN, !corrected.isNaN else {
            throw Unavailable(reason: "the passage-time integrals are not representable at T_eff = \(t) (barrier/T_eff too large)")
        }
        let startBasin = start < top ? 0 : 1
        return EscapeTime(start: start, startBasin: startBasin, targetBasin: 1 - startBasin, level: top, reflectingAt: wall,
                          exactSteps: exact / lr, correctedLevel: shifted, correctedSteps: corrected / lr)
    }

    /// The nearest of x ± 1, 2, 4, … (on the given side) where U exceeds `level`.
    static func farPoint(from x: Double, direction: Double, above level: Double, _ u: (Double) -> Double) -> Double? {
        var width = 1.0
        for _ in 0..<64 {
            let point = x + direction * width
            guard point.isFinite else { return nil }
            let value = u(point)
            if value.isFinite && value > level { return point }
            width *= 2
        }
        return nil
    }

    /// What `optcloud theory` prints: the prediction alone.
    public var predictionEntries: [(String, JSONValue)] { entries(escape: [], gibbs: nil) }

    /// The prediction, with simulated fields appended to `escape_time` and a `gibbs_marginal`
    /// test when given (theory.json).
    func entries(escape simulated: [(String, JSONValue)], gibbs: JSONValue?) -> [(String, JSONValue)] {
        guard let model else { return [("available", .bool(false)), ("reason", .string(unavailableReason ?? ""))] }
        var entries: [(String, JSONValue)] = [
            ("available", .bool(true)), ("model", .string(Self.summary)), ("coordinate", .integer(0)),
            ("potential", .string(model.potential)), ("temperature", .number(model.temperature)),
            ("temperature_note", .string(model.temperatureNote)), ("lr", .number(model.lr)),
        ]
        if let top = model.barrierTop { entries.append(("barrier_top", .number(top))) }
        if let p = model.basinProbabilities { entries.append(("gibbs_basin_probabilities", .numbers(p))) }
        if let gibbs { entries.append(("gibbs_marginal", gibbs)) }
        if let e = model.escape {
            entries.append(("escape_time", .object([
                ("start", .number(e.start)), ("start_basin", .integer(e.startBasin)), ("target_basin", .integer(e.targetBasin)),
                ("level", .number(e.level)), ("reflecting_at", .number(e.reflectingAt)),
                ("exact_steps", .number(e.exactSteps)),
                ("corrected_level", .number(e.correctedLevel)), ("corrected_steps", .number(e.correctedSteps)),
                ("correction", .string("level moved outward by β·√(2·T_eff·lr), β = −ζ(1/2)/√(2π) = \(ContinuityCorrection.beta) (Siegmund)")),
            ] + simulated)))
        } else if let reason = model.escapeUnavailableReason {
            entries.append(("escape_time", .object([("available", .bool(false)), ("reason", .string(reason))])))
        }
        return entries
    }
}
