import CGSL

/// Rank normalisation (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization,
/// folding, and localization: an improved R̂", §4), as ArviZ's `_z_scale`:
///
///     z = Φ⁻¹((r − 3/8) / (S − 2·3/8 + 1))
///
/// where r is the rank of a draw among all S draws of all chains (ties get the average of
/// their ranks, scipy.stats.rankdata(method = "average")), 3/8 is Blom's offset and Φ⁻¹ is
/// gsl_cdf_ugaussian_Pinv.
///
/// Ranking is a stable LSD radix sort of the draws' bit patterns (O(S), several times faster
/// than a comparison sort on the 10⁵–10⁶ draws of a cloud, where ranking dominated the cost of
/// the diagnostics), and the scores of integer ranks come from a `NormalScores` table that
/// all coordinates of a cloud share.
enum RankNormalization {
    /// Rank-normalised values (same layout as the input) and, as a by-product, the values
    /// in ascending order.
    static func zScale(_ draws: ChainDraws, scores: NormalScores? = nil) -> (z: ChainDraws, sorted: [Double]) {
        _ = GSL.setUp
        let (ranks, sorted) = averageRanks(draws.values)
        let table = scores.flatMap { $0.count == ranks.count ? $0 : nil } ?? NormalScores(count: ranks.count)
        let z = ranks.map { table.score(rank: $0) }
        return (ChainDraws(values: z, chains: draws.chains, draws: draws.draws), sorted)
    }

    /// Average ranks, 1-based: a tie group occupying sorted positions i + 1 … j gets
    /// (i + 1 + j)/2; and the sorted values.
    static func averageRanks(_ x: [Double]) -> (ranks: [Double], sorted: [Double]) {
        let order = sortedOrder(x)
        let n = x.count
        let sorted = order.map { x[Int($0)] }
        var ranks = [Double](repeating: 0, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && sorted[end] == sorted[start] { end += 1 }
            let rank = 0.5 * (Double(end) + Double(start) + 1)
            for i in start..<end { ranks[Int(order[i])] = rank }
            start = end
        }
        return (ranks, sorted)
    }

    /// The indices of `x` in ascending order of value, equal values in index order: a least
    /// significant digit radix sort, 11 bits a pass, of keys that order like the doubles
    /// (the sign bit flipped for positive values, every bit for negative ones; −0 sorts just
    /// before +0, which is equal to it). Passes whose digit is the same for every key are
    /// skipped. NaN is not expected (the diagnostics reject non-finite draws).
    static func sortedOrder(_ x: [Double]) -> [UInt32] {
        let n = x.count
        precondition(n <= Int(UInt32.max), "too many draws to rank")
        var order = [UInt32](repeating: 0, count: n)
        guard n > 1 else { return order }
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * n)
        let indices = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * n)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 2048)
        defer {
            keys.deallocate()
            indices.deallocate()
            counts.deallocate()
        }
        var (key, nextKey) = (keys, keys + n)
        var (index, nextIndex) = (indices, indices + n)
        for i in 0..<n {
            let bits = x[i].bitPattern
            key[i] = bits & (1 << 63) == 0 ? bits | (1 << 63) : ~bits
            index[i] = UInt32(truncatingIfNeeded: i)
        }
        for shift in Swift.stride(from: UInt64(0), to: 64, by: 11) {
            counts.update(repeating: 0, count: 2048)
            for i in 0..<n { counts[Int((key[i] &>> shift) & 2047)] &+= 1 }
            if (0..<2048).contains(where: { counts[$0] == n }) { continue }
            var total = 0
            for i in 0..<2048 {
                let c = counts[i]
                counts[i] = total
                total &+= c
            }
            for i in 0..<n {
                let digit = Int((key[i] &>> shift) & 2047)
                let slot = counts[digit]
                counts[digit] = slot &+ 1
                nextKey[slot] = key[i]
                nextIndex[slot] = index[i]
            }
            swap(&key, &nextKey)
            swap(&index, &nextIndex)
        }
        order.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: index, count: n) }
        return order
    }
}

/// The normal scores Φ⁻¹((r − 3/8)/(S + 1/4)) of the integer ranks r = 1…S of S draws: one
/// Φ⁻¹ a rank for every coordinate of a cloud (and both rankings, bulk and folded), instead
/// of one a draw for each. A half-integer rank (a tie group of even size) is scored directly.
struct NormalScores: Sendable {
    let count: Int
    private let scores: [Double]

    init(count: Int) {
        _ = GSL.setUp
        self.count = count
        let denominator = Double(count) - 2 * 3.0 / 8.0 + 1
        scores = (0..<count).map { gsl_cdf_ugaussian_Pinv((Double($0 + 1) - 3.0 / 8.0) / denominator) }
    }

    @inline(__always)
    func score(rank: Double) -> Double {
        let index = Int(rank) - 1
        if Double(index + 1) == rank && index >= 0 && index < count { return scores[index] }
        return gsl_cdf_ugaussian_Pinv((rank - 3.0 / 8.0) / (Double(count) - 2 * 3.0 / 8.0 + 1))
    }
}
