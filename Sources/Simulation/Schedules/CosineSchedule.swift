/// torch.optim.lr_scheduler.CosineAnnealingLR:
/// lr(k) = eta_min + (base − eta_min)·(1 + cos(π·k/T_max))/2 — periodic beyond T_max, as
/// torch's recursion is (it does not clamp like optax.cosine_decay_schedule).
public struct CosineSchedule: Schedule {
    public let baseLR: Double
    public let tMax: Int
    public let etaMin: Double

    public init(baseLR: Double, tMax: Int, etaMin: Double = 0) {
        self.baseLR = baseLR
        self.tMax = tMax
        self.etaMin = etaMin
    }

    public func learningRate(afterSchedulerSteps k: Int) -> Double {
        etaMin + (baseLR - etaMin) * (1 + _cos(Double.pi * Double(k) / Double(tMax))) / 2
    }
}

extension CosineSchedule {
    public static let entry: ScheduleEntry = {
        let tMax = Parameter<Int>.integer("T_max", .required, .atLeast(1), "half period")
        let etaMin = Parameter<Double>.number("eta_min", .value(0), .atLeast(0), "η_min")
        return ScheduleEntry("cosine", summary: "torch CosineAnnealingLR: η_min + (lr − η_min)·(1 + cos(πk/T_max))/2",
                             parameters: [tMax.erased, etaMin.erased]) { p, _ in
            let (t, eta) = (try p(tMax), try p(etaMin))
            return { CosineSchedule(baseLR: $0, tMax: t, etaMin: eta) }
        }
    }()
}
