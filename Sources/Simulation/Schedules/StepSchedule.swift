/// torch.optim.lr_scheduler.StepLR: lr(k) = base·gamma^⌊k/step_size⌋.
public struct StepSchedule: Schedule {
    public let baseLR: Double
    public let stepSize: Int
    public let gamma: Double

    /// Default gamma 0.1, as torch.
    public init(baseLR: Double, stepSize: Int, gamma: Double = 0.1) {
        self.baseLR = baseLR
        self.stepSize = stepSize
        self.gamma = gamma
    }

    public func learningRate(afterSchedulerSteps k: Int) -> Double {
        baseLR * _pow(gamma, Double(k / stepSize))
    }
}
