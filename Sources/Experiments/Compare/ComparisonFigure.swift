import Foundation

extension CloudComparison {
    /// comparison.svg: the clouds overlaid on their first two coordinates (x[0] against itself
    /// in one dimension, as run's cloud.svg): each cloud's subsample as a scatter and the
    /// 1σ/2σ ellipses of its Gaussian fit, in one colour per cloud; the minimum as a cross
    /// when every cloud has the same one.
    public var figure: String {
        let d = clouds.first?.dimension ?? 1
        let (i, j) = (0, d > 1 ? 1 : 0)
        let series: [CloudSeries] = clouds.enumerated().map { index, cloud in
            var points: [(x: Double, y: Double)] = []
            if let rows = subsamples[index] {
                let count = rows.count / Swift.max(d, 1)
                points.reserveCapacity(count)
                for r in 0..<count { points.append((rows[r * d + i], rows[r * d + j])) }
            }
            let c = cloud.fit.covariance, m = cloud.fit.mean
            return CloudSeries(label: cloud.name, points: points, mean: (m[i], m[j]),
                               covariance: [[c[i * d + i], c[i * d + j]], [c[j * d + i], c[j * d + j]]])
        }
        var minimum: (x: Double, y: Double)? = nil
        if let first = clouds.first?.minimum, clouds.allSatisfy({ $0.minimum == first }) { minimum = (first[i], first[j]) }
        let title = "comparison of \(clouds.count) clouds: x[\(i)], x[\(j)]"
        return Figures.cloud(series, xIndex: i, yIndex: j, minimum: minimum, title: title)
    }
}
