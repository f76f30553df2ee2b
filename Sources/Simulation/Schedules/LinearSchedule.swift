/// torch.optim.lr_scheduler.LinearLR:
/// lr(k) = base·(start + (end − start)·min(k, total_iters)/total_iters).
public struct LinearSchedule: Schedule {
    public let baseLR: Double
    public let startFactor: Double
    public let endFactor: Double
    public let totalIters: Int

    /// Defaults as torch: start_factor 1/3, end_factor 1, total_iters 5.
    public init(baseLR: Double, startFactor: Double = 1.0 / 3.0, endFactor: Double = 1.0, totalIters: Int = 5) {
        self.baseLR = baseLR
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
    }

    public func learningRate(afterSchedulerSteps k: Int) -> Double {
        let progress = totalIters == 0 ? 1 : Double(Swift.min(k, totalIters)) / Double(totalIters)
        return baseLR * (startFactor + (endFactor - startFactor) * progress)
    }
}
