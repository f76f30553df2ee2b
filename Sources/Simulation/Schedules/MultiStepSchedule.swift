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

extension MultiStepSchedule {
    public static let entry: ScheduleEntry = {
        let milestones = Parameter<[Int]>.milestones("milestones", minimum: 0, valid: "increasing integers ≥ 0",
                                                     "scheduler steps at which lr decays")
        let gamma = Parameter<Double>.number("gamma", .value(0.1), .above(0), "γ")
        return ScheduleEntry("multistep", summary: "torch MultiStepLR: lr·γ^(number of milestones ≤ k)",
                             parameters: [milestones.erased, gamma.erased]) { p, _ in
            let (points, g) = (try p(milestones), try p(gamma))
            return { MultiStepSchedule(baseLR: $0, milestones: points, gamma: g) }
        }
    }()
}

extension Parameter where Value == [Int] {
    /// A non-empty list of strictly increasing integers ≥ `minimum` (required).
    public static func milestones(_ name: String, minimum: Int, valid: String, _ meaning: String) -> Parameter {
        Parameter(name, fallback: .required, valid: valid, default: "required", meaning: meaning,
                  read: { value, _ in
                      let values = try value.sequence().map { try $0.integer("an integer ≥ \(minimum)") { $0 >= minimum } }
                      guard !values.isEmpty, zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
                          throw value.error("is \(values)", expected: "a non-empty list of strictly increasing integers")
                      }
                      return values
                  },
                  resolve: { .array($0.map { .integer($0) }) })
    }
}
