/// torch.optim.lr_scheduler.ExponentialLR: lr(k) = base·gamma^k.
public struct ExponentialSchedule: Schedule {
    public let baseLR: Double
    public let gamma: Double

    public init(baseLR: Double, gamma: Double) {
        self.baseLR = baseLR
        self.gamma = gamma
    }

    public func learningRate(afterSchedulerSteps k: Int) -> Double {
        baseLR * _pow(gamma, Double(k))
    }
}
