/// Inverse square-root decay with linear warm-up, as transformers'
/// get_inverse_sqrt_schedule (torch has none): lr(k) = base·k/warmup_steps for
/// k < warmup_steps, then base/√((k + timescale − warmup_steps)/timescale).
public struct InverseSqrtSchedule: Schedule {
    public let baseLR: Double
    public let warmupSteps: Int
    public let timescale: Int

    /// Defaults as transformers: timescale = warmup_steps, or 10 000 without warm-up.
    public init(baseLR: Double, warmupSteps: Int = 0, timescale: Int? = nil) {
        self.baseLR = baseLR
        self.warmupSteps = warmupSteps
        self.timescale = timescale ?? (warmupSteps > 0 ? warmupSteps : 10_000)
    }

    public func learningRate(afterSchedulerSteps k: Int) -> Double {
        if k < warmupSteps { return baseLR * Double(k) / Double(Swift.max(1, warmupSteps)) }
        let shift = timescale - warmupSteps
        return baseLR / (Double(k + shift) / Double(timescale)).squareRoot()
    }
}

extension InverseSqrtSchedule {
    public static let entry: ScheduleEntry = {
        let warmup = Parameter<Int>.integer("warmup_steps", .value(0), .atLeast(0), "w")
        let timescale = Parameter<Int>.integer("timescale", .derived, .atLeast(1), "τ",
                                               defaultText: "warmup_steps, or 10000 without warm-up")
        return ScheduleEntry("inverse-sqrt",
                             summary: "transformers' inverse square root: lr·k/w for k < w, then lr/√((k + τ − w)/τ)",
                             parameters: [warmup.erased, timescale.erased]) { p, _ in
            let w = try p(warmup)
            let tau = try p.optional(timescale) ?? (w > 0 ? w : 10_000)
            p.record("timescale", .integer(tau))
            return { InverseSqrtSchedule(baseLR: $0, warmupSteps: w, timescale: tau) }
        }
    }()
}
