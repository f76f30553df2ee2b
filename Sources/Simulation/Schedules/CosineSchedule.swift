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
