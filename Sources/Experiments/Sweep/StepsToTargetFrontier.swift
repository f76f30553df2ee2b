import Foundation

/// Steps to target against a sweep's first axis for one optimizer: at each value of the
/// first axis the fewest steps over the other axes (e.g. the learning rate tuned per batch
/// size; ties to the earlier point), and the critical value of the first axis.
///
/// Critical value (the critical batch size of Zhang et al. 2019 when the first axis is the
/// batch size B): with perfect scaling steps ∝ 1/B (log–log slope −1), past it doubling B
/// no longer helps (slope 0). The rule: the log–log slope s_i of steps against x between
/// consecutive values, at the segment's midpoint in log x; the critical value is where s
/// first rises above −½, interpolated linearly in log x between the midpoints of the last
/// segment below and the first above. None when the first segment is already above −½
/// (below the grid) or no segment is (above it).
///
/// The minimum over noisy simulated values is biased low (by at most a few standard errors
/// where several learning rates are close to the best); the theory's frontier has no noise.
public struct StepsToTargetFrontier: Sendable {
    public static let criticalSlope = -0.5

    public struct Point: Sendable {
        public let x: Double
        public let steps: Double
        public let stderr: Double?
        /// The sweep point the best value comes from.
        public let point: Int
    }

    public let optimizer: String
    /// Ascending in x; values of x at which no point reached the target are left out.
    public let points: [Point]
    /// The exact theory's fewest steps per x (where it applies).
    public let theory: [(x: Double, steps: Double)]

    /// - Parameter rows: (first-axis value, point, steps, stderr, theory steps) of one optimizer.
    init(optimizer: String, rows: [(x: Double, point: Int, steps: Double?, stderr: Double?, theory: Double?)]) {
        self.optimizer = optimizer
        var best: [Double: Point] = [:], bestTheory: [Double: Double] = [:]
        for row in rows.sorted(by: { $0.point < $1.point }) {
            if let steps = row.steps, best[row.x].map({ steps < $0.steps }) ?? true {
                best[row.x] = Point(x: row.x, steps: steps, stderr: row.stderr, point: row.point)
            }
            if let theory = row.theory, bestTheory[row.x].map({ theory < $0 }) ?? true { bestTheory[row.x] = theory }
        }
        points = best.values.sorted { $0.x < $1.x }
        theory = bestTheory.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The log–log slopes between consecutive (x, steps), x and steps > 0.
    public static func slopes(_ curve: [(x: Double, steps: Double)]) -> [Double] {
        zip(curve, curve.dropFirst()).map { a, b in (log(b.steps) - log(a.steps)) / (log(b.x) - log(a.x)) }
    }

    /// The critical value of x by the rule above, or nil with the reason.
    public static func critical(_ curve: [(x: Double, steps: Double)]) -> (value: Double?, note: String) {
        guard curve.count >= 2 else { return (nil, "fewer than two values reach the target") }
        guard curve.allSatisfy({ $0.x > 0 && $0.steps > 0 }) else { return (nil, "needs positive values of the first axis") }
        let s = slopes(curve)
        let mid = zip(curve, curve.dropFirst()).map { 0.5 * (log($0.x) + log($1.x)) }
        guard let i = s.firstIndex(where: { $0 > criticalSlope }) else {
            return (nil, "above the grid: the slope stays ≤ −½ up to \(curve.last!.x)")
        }
        guard i > 0 else { return (nil, "below the grid: the slope is already \(s[0]) between the first two values") }
        let f = (criticalSlope - s[i - 1]) / (s[i] - s[i - 1])
        return (exp(mid[i - 1] + f * (mid[i] - mid[i - 1])), "slope crosses −½ between \(curve[i - 1].x) and \(curve[i + 1].x)")
    }

    public var simulatedCritical: (value: Double?, note: String) { Self.critical(points.map { ($0.x, $0.steps) }) }
    public var theoryCritical: (value: Double?, note: String) { Self.critical(theory) }
}
