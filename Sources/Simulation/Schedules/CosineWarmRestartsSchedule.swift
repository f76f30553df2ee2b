/// torch.optim.lr_scheduler.CosineAnnealingWarmRestarts: periods T_i = T_0·T_mult^i;
/// lr = eta_min + (base − eta_min)·(1 + cos(π·T_cur/T_i))/2, back to base at k = T_0,
/// T_0(1 + T_mult), …
public struct CosineWarmRestartsSchedule: Schedule {
    public let baseLR: Double
    public let t0: Int
    public let tMult: Int
    public let etaMin: Double

    /// Defaults as torch: T_mult 1, eta_min 0.
    public init(baseLR: Double, t0: Int, tMult: Int = 1, etaMin: Double = 0) {
        self.baseLR = baseLR
        self.t0 = t0
        self.tMult = tMult
        self.etaMin = etaMin
    }

    public func learningRate(afterSchedulerSteps k: Int) -> Double {
        // Whole periods are skipped one at a time: their number grows like log k when T_mult > 1.
        var current = k, period = t0
        if tMult == 1 {
            current = k % t0
        } else {
            while current >= period {
                current -= period
                period *= tMult
            }
        }
        return etaMin + (baseLR - etaMin) * (1 + _cos(Double.pi * Double(current) / Double(period))) / 2
    }
}

extension CosineWarmRestartsSchedule {
    public static let entry: ScheduleEntry = {
        let t0 = Parameter<Int>.integer("T_0", .required, .atLeast(1), "first period")
        let tMult = Parameter<Int>.integer("T_mult", .value(1), .atLeast(1), "period growth")
        let etaMin = Parameter<Double>.number("eta_min", .value(0), .atLeast(0), "η_min")
        return ScheduleEntry("cosine-warm-restarts",
                             summary: "torch CosineAnnealingWarmRestarts: cosine over periods T_0·T_mult^i, restarting at lr",
                             parameters: [t0.erased, tMult.erased, etaMin.erased]) { p, _ in
            let (first, growth, eta) = (try p(t0), try p(tMult), try p(etaMin))
            return { CosineWarmRestartsSchedule(baseLR: $0, t0: first, tMult: growth, etaMin: eta) }
        }
    }()
}
