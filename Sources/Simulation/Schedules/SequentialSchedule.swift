/// torch.optim.lr_scheduler.SequentialLR: schedule i applies from milestone i − 1 on, with
/// its own step count restarted at 0 there: lr(k) = s_i(k − m_{i−1}).
public struct SequentialSchedule: Schedule {
    public let schedules: [any Schedule]
    /// Ascending, one fewer than the schedules.
    public let milestones: [Int]

    public init(schedules: [any Schedule], milestones: [Int]) {
        precondition(schedules.count == milestones.count + 1, "one milestone between consecutive schedules")
        self.schedules = schedules
        self.milestones = milestones
    }

    public func learningRate(afterSchedulerSteps k: Int) -> Double {
        var index = 0, start = 0
        while index < milestones.count, k >= milestones[index] {
            start = milestones[index]
            index += 1
        }
        return schedules[index].learningRate(afterSchedulerSteps: k - start)
    }
}

extension SequentialSchedule {
    public static let entry: ScheduleEntry = {
        let milestones = Parameter<[Int]>.milestones("milestones", minimum: 1, valid: "increasing integers ≥ 1, one fewer than schedules",
                                                     "where each next piece starts")
        let schedules = AnyParameter.documented("schedules", default: "required", valid: "≥ 2 schedules (not sequential)",
                                                meaning: "the pieces, each sharing the optimizer's lr")
        return ScheduleEntry("sequential", summary: "torch SequentialLR: schedule i from milestone i − 1 on, its step count restarted there",
                             parameters: [schedules, milestones.deferred]) { p, context in
            if context.isNested {
                throw p.error(at: "type", "sequential schedules cannot be nested", expected: "a non-sequential schedule")
            }
            let list = try p.map.required("schedules", expected: "a list of at least two schedules")
            let pieces = try list.sequence().map { try context.nested($0) }
            guard pieces.count >= 2 else { throw list.error("has \(pieces.count) schedule(s)", expected: "at least two schedules") }
            p.record("schedules", .array(pieces.map(\.resolved)))
            let points = try p(milestones)
            guard points.count == pieces.count - 1 else {
                throw p.error(at: "milestones", "has \(points.count) milestones for \(pieces.count) schedules",
                              expected: "\(pieces.count - 1) milestones")
            }
            return { lr in SequentialSchedule(schedules: pieces.map { $0.make(baseLR: lr) }, milestones: points) }
        }
    }()
}
