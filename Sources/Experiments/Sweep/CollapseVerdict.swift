import Foundation

/// Whether a metric collapses onto `by` (SPEC §8.1): the points are grouped by equal values
/// of `by` (to 12 significant digits), and every pair (i, j) inside a group is compared by
///
///     z = (m_i − m_j) / √(se_i² + se_j² + δ²),   δ = 10⁻¹²·max(|m_i|, |m_j|),
///
/// the metric collapsing iff max |z| < 5 and there is at least one pair. δ is a rounding
/// floor: noiseless points have standard errors of 0 (or of rounding size), and are then
/// compared to 12 significant digits, the precision `by` is grouped with; z is 0 when both
/// values are equal. Points whose metric, standard error or `by` is missing or not finite
/// are left out.
public struct CollapseVerdict: Sendable, Equatable {
    public static let zLimit = 5.0
    public static let relativeFloor = 1e-12

    /// Groups of equal `by` among the points used, and the pairs inside them.
    public let groups: Int
    public let pairs: Int
    /// max |z| over the pairs (nil without pairs).
    public let maxAbsZ: Double?
    /// The largest range (max − min) of the metric inside one group (nil without pairs), and
    /// its range over all points used (nil without points): how much of the variation is
    /// left once `by` is fixed.
    public let withinSpread: Double?
    public let totalSpread: Double?

    public var collapses: Bool { pairs >= 1 && (maxAbsZ ?? .infinity) < Self.zLimit }

    public struct Point: Sendable {
        public let by: Double
        public let value: Double
        public let stderr: Double
        public init(by: Double, value: Double, stderr: Double) {
            self.by = by
            self.value = value
            self.stderr = stderr
        }
    }

    public init(_ points: [Point]) {
        let usable = points.filter { $0.by.isFinite && $0.value.isFinite && $0.stderr.isFinite && $0.stderr >= 0 }
        var grouped: [String: [Point]] = [:]
        for point in usable { grouped[Self.key(point.by), default: []].append(point) }
        groups = grouped.count
        var pairs = 0
        var maxZ: Double?
        var within: Double?
        for members in grouped.values where members.count >= 2 {
            let values = members.map(\.value)
            within = Swift.max(within ?? 0, values.max()! - values.min()!)
            for i in members.indices {
                for j in members.indices where j > i {
                    pairs += 1
                    let z = Swift.abs(Self.z(members[i], members[j]))
                    maxZ = Swift.max(maxZ ?? 0, z)
                }
            }
        }
        self.pairs = pairs
        maxAbsZ = maxZ
        withinSpread = within
        let all = usable.map(\.value)
        totalSpread = all.isEmpty ? nil : all.max()! - all.min()!
    }

    /// z of a pair, with the rounding floor δ.
    static func z(_ a: Point, _ b: Point) -> Double {
        let difference = a.value - b.value
        guard difference != 0 else { return 0 }
        let floor = relativeFloor * Swift.max(Swift.abs(a.value), Swift.abs(b.value))
        return difference / (a.stderr * a.stderr + b.stderr * b.stderr + floor * floor).squareRoot()
    }

    /// `by` to 12 significant digits (±0 alike).
    static func key(_ by: Double) -> String { by == 0 ? "0" : String(format: "%.11e", by) }
}
