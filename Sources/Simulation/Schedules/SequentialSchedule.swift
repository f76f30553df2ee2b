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
