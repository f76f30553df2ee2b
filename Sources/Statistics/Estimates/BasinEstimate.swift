import Simulation

/// Basin occupancy and first-passage times of a cloud on a multi-basin objective
/// (`BasinRecord`, with the basin of every recorded sample counted per replicate group).
///
/// - occupancy: the fraction of the cloud's samples (recorded steps, non-diverged chains)
///   whose iterate lies in the basin, with the cluster-robust standard error over replicate
///   groups of a ratio (`RatioEstimate`: c_g the group's samples in the basin over n_g its
///   samples).
/// - first passage, in steps from the start (step 0) to the first step whose iterate lies in
///   the basin, over the candidate chains: those that did not diverge and did not start in
///   the basin. `firstPassageMean` and its standard error s/√arrived are over the chains
///   that arrived (conditional on arriving, so biased low when many are censored);
///   `firstPassageMedian` is over all candidates with the censored ones — never arrived by
///   the last step — counted as +∞: NaN when no candidate or when at least half are censored.
public struct BasinEstimate: Sendable {
    public struct Basin: Sendable {
        /// The minimum the basin drains to.
        public let location: [Double]
        public let occupancy: Double
        public let occupancyStderr: Double
        /// Non-diverged chains that started elsewhere.
        public let candidates: Int
        public let arrived: Int
        public let censored: Int
        public let firstPassageMean: Double
        public let firstPassageStderr: Double
        public let firstPassageMedian: Double
    }

    public let basins: [Basin]

    /// nil when the cloud tracked no basins.
    public init?(_ cloud: CloudAccumulation) {
        guard let record = cloud.basins, record.count >= 2 else { return nil }
        let count = record.count
        let groups = cloud.groups.filter { $0.count > 0 && $0.basinCounts.count == count }
        let total = groups.reduce(0) { $0 + $1.count }
        var basins: [Basin] = []
        for b in 0..<count {
            let inside = groups.reduce(0) { $0 + $1.basinCounts[b] }
            let p = total > 0 ? inside / total : .nan
            let stderr = total > 0 ? RatioEstimate.standardError(groups.map { ($0.basinCounts[b], $0.count) }, ratio: p) : .nan

            var times: [Int] = []
            var candidates = 0
            for chain in 0..<cloud.chains where record.start[chain] != b {
                guard chain >= cloud.divergenceSteps.count || cloud.divergenceSteps[chain] == 0 else { continue }
                candidates += 1
                let t = record.firstPassage[chain * count + b]
                if t >= 0 { times.append(t) }
            }
            let arrived = times.count, censored = candidates - arrived
            var mean = Double.nan, meanStderr = Double.nan, median = Double.nan
            if arrived > 0 {
                let n = Double(arrived)
                mean = times.reduce(0.0) { $0 + Double($1) } / n
                if arrived > 1 {
                    let ss = times.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
                    meanStderr = (ss / (n - 1) / n).squareRoot()
                }
            }
            // The censored candidates sort last (+∞): the median is finite only while the
            // middle order statistics are arrivals, i.e. fewer than half are censored.
            if candidates > 0, 2 * censored < candidates {
                times.sort()
                median = candidates % 2 == 1
                    ? Double(times[candidates / 2])
                    : (Double(times[candidates / 2 - 1]) + Double(times[candidates / 2])) / 2
            }
            basins.append(Basin(location: record.minima[b], occupancy: p, occupancyStderr: stderr, candidates: candidates,
                                arrived: arrived, censored: censored, firstPassageMean: mean,
                                firstPassageStderr: meanStderr, firstPassageMedian: median))
        }
        self.basins = basins
    }
}
