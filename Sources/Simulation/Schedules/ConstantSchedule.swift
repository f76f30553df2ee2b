/// lr_t = base_lr for every t.
public struct ConstantSchedule: Schedule {
    public let baseLR: Double
    public init(baseLR: Double) { self.baseLR = baseLR }
    public func learningRate(afterSchedulerSteps k: Int) -> Double { baseLR }
}

extension ConstantSchedule {
    public static let entry = ScheduleEntry("constant", summary: "lr_t = lr") { _, _ in { ConstantSchedule(baseLR: $0) } }
}
