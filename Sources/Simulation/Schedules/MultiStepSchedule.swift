/// torch.optim.lr_scheduler.MultiStepLR: lr(k) = base·gamma^(number of milestones ≤ k).
public struct MultiStepSchedule: Schedule {
    public let baseLR: Double
    /// Ascending.
    public let milestones: [Int]
    public let gamma: Double

    /// Default gamma 0.1, as torch.
    public init(baseLR: Double, milestones: [Int], gamma: Double = 0.1) {
        self.baseLR = baseLR
        self.milestones = milestones.sorted()
        self.gamma = gamma
    }

    public func learningRate(afterSchedulerSteps k: Int) -> Double {
        var passed = 0
        for m in milestones where m <= k { passed += 1 }
        return baseLR * _pow(gamma, Double(passed))
    }
}
