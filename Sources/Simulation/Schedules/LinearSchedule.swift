/// torch.optim.lr_scheduler.LinearLR:
/// lr(k) = base·(start + (end − start)·min(k, total_iters)/total_iters).
public struct LinearSchedule: Schedule {
    public let baseLR: Double
    public let startFactor: Double
    public let endFactor: Double
    public let totalIters: Int

    /// Defaults as torch: start_factor 1/3, end_factor 1, total_iters 5.
    public init(baseLR: Double, startFactor: Double = 1.0 / 3.0, endFactor: Double = 1.0, totalIters: Int = 5) {
        self.baseLR = baseLR
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
    }

    public func learningRate(afterSchedulerSteps k: Int) -> Double {
        let progress = totalIters == 0 ? 1 : Double(Swift.min(k, totalIters)) / Double(totalIters)
        return baseLR * (startFactor + (endFactor - startFactor) * progress)
    }
}

extension LinearSchedule {
    public static let entry: ScheduleEntry = {
        let start = Parameter<Double>.number("start_factor", .value(1.0 / 3.0), .interval(0, 1, closedBelow: false), "s", defaultText: "1/3")
        let end = Parameter<Double>.number("end_factor", .value(1), .interval(0, 1), "e")
        let total = Parameter<Int>.integer("total_iters", .value(5), .atLeast(0), "n")
        return ScheduleEntry("linear", summary: "torch LinearLR: lr·(s + (e − s)·min(k, n)/n), k = t − 1",
                             parameters: [start.erased, end.erased, total.erased]) { p, _ in
            let (s, e, n) = (try p(start), try p(end), try p(total))
            return { LinearSchedule(baseLR: $0, startFactor: s, endFactor: e, totalIters: n) }
        }
    }()
}
