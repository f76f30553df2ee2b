/// A learning-rate schedule: lr_t for update t = k + 1, where k is the number of scheduler
/// steps taken, exactly as a torch.optim.lr_scheduler stepped once after every
/// optimizer.step() (lr_1 is the value before any scheduler step).
public protocol Schedule: Sendable {
    func learningRate(afterSchedulerSteps k: Int) -> Double
}

extension Schedule {
    /// The learning rate of update t (1-based).
    public func learningRate(update t: Int) -> Double { learningRate(afterSchedulerSteps: t - 1) }
}
