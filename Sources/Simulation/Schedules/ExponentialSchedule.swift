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

extension ExponentialSchedule {
    public static let entry: ScheduleEntry = {
        let gamma = Parameter<Double>.number("gamma", .required, .above(0), "γ")
        return ScheduleEntry("exponential", summary: "torch ExponentialLR: lr·γ^k", parameters: [gamma.erased]) { p, _ in
            let g = try p(gamma)
            return { ExponentialSchedule(baseLR: $0, gamma: g) }
        }
    }()
}
