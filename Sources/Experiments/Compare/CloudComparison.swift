import Foundation
import Statistics

/// Every pair of clouds compared: distances between their Gaussian fits (from summary.json)
/// and the energy distance with its permutation test between their samples.
public struct CloudComparison: Sendable {
    public struct Settings: Sendable {
        /// Most sample rows per cloud used by the energy test (a seeded uniform subsample).
        public var maxPoints: Int
        public var permutations: Int
        public var seed: UInt64
        public var threads: Int

        public init(maxPoints: Int = 1000, permutations: Int = 499, seed: UInt64 = 0, threads: Int = 1) {
            self.maxPoints = maxPoints
            self.permutations = permutations
            self.seed = seed
            self.threads = threads
        }
    }

    /// One pair (a before b in the order the clouds were given).
    public struct Pair: Sendable {
        public let a: Int
        public let b: Int
        public let wasserstein2: Double
        /// Nil when either cloud has no samples.
        public let energy: EnergyTest?
        public let klAB: Double
        public let klBA: Double
        public let principalAngle: Double
    }

    public let clouds: [CloudRecord]
    public let settings: Settings
    /// The rows each cloud's energy tests used (nil without samples).
    public let subsamples: [[Double]?]
    public let pairs: [Pair]

    /// Checks that the clouds can be compared: at least two, all of one dimension.
    public static func check(_ clouds: [CloudRecord], paths: [String]) throws {
        guard clouds.count >= 2 else {
            throw ConfigError(file: paths.joined(separator: " "), line: nil, key: "",
                              problem: "holds \(clouds.count) cloud\(clouds.count == 1 ? "" : "s") (\(clouds.map(\.name).joined(separator: ", ")))",
                              expected: "at least two clouds to compare: a run with several optimizers, or several run directories")
        }
        let first = clouds[0]
        if let other = clouds.first(where: { $0.dimension != first.dimension }) {
            throw ConfigError(file: other.directory.path, line: nil, key: "",
                              problem: "\(other.name) has dimension d = \(other.dimension) but \(first.name) has d = \(first.dimension)",
                              expected: "clouds of one dimension")
        }
    }

    /// Compares every pair; `check` must have passed.
    public init(_ clouds: [CloudRecord], settings: Settings) {
        self.clouds = clouds
        self.settings = settings
        let d = clouds.first?.dimension ?? 0
        subsamples = clouds.map { $0.subsample(maxPoints: settings.maxPoints, seed: settings.seed) }
        var pairs: [Pair] = []
        for a in clouds.indices {
            for b in clouds.indices where b > a {
                let fa = clouds[a].fit, fb = clouds[b].fit
                var energy: EnergyTest? = nil
                if let x = subsamples[a], let y = subsamples[b] {
                    let stream = CounterStream.streamNumber(clouds[a].name + "\u{1F}" + clouds[b].name)
                    energy = EnergyDistance.permutationTest(x, y, dimension: d, permutations: settings.permutations,
                                                            seed: settings.seed, stream: stream, threads: settings.threads)
                }
                pairs.append(Pair(a: a, b: b, wasserstein2: GaussianDistances.wasserstein2(fa, fb), energy: energy,
                                  klAB: GaussianDistances.kullbackLeibler(fa, fb), klBA: GaussianDistances.kullbackLeibler(fb, fa),
                                  principalAngle: GaussianDistances.principalAngleDegrees(fa.covariance, fb.covariance, dimension: d)))
            }
        }
        self.pairs = pairs
    }

    /// The clouds without samples, whose energy columns stay empty.
    public var cloudsWithoutSamples: [CloudRecord] {
        clouds.indices.filter { subsamples[$0] == nil }.map { clouds[$0] }
    }
}
