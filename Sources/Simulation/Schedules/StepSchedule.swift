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

extension StepSchedule {
    public static let entry: ScheduleEntry = {
        let stepSize = Parameter<Int>.integer("step_size", .required, .atLeast(1), "steps between decays")
        let gamma = Parameter<Double>.number("gamma", .value(0.1), .above(0), "γ")
        return ScheduleEntry("step", summary: "torch StepLR: lr·γ^⌊k/step_size⌋", parameters: [stepSize.erased, gamma.erased]) { p, _ in
            let (size, g) = (try p(stepSize), try p(gamma))
            return { StepSchedule(baseLR: $0, stepSize: size, gamma: g) }
        }
    }()
}
