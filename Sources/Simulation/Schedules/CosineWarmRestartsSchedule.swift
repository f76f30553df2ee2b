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
