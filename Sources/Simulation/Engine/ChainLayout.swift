/// How chains are cut into work: tiles of at most 64 chains (structure-of-arrays, cache
/// resident) inside at most 256 replicate groups (the unit of parallel work, and the
/// independent replicates that standard errors are computed from).
///
/// The layout depends on the number of chains only, never on the number of threads, so
/// every floating-point sum is formed in the same order whatever `--threads` is.
public struct ChainLayout: Sendable, Equatable {
    public let chains: Int
    public let chainsPerGroup: Int
    public let groups: Int
    public let tileSize: Int

    public static let maximumGroups = 256
    public static let maximumTileSize = 64

    public init(chains: Int) {
        precondition(chains > 0, "at least one chain")
        self.chains = chains
        let target = Swift.min(Self.maximumGroups, chains)
        chainsPerGroup = (chains + target - 1) / target
        groups = (chains + chainsPerGroup - 1) / chainsPerGroup
        tileSize = Swift.min(Self.maximumTileSize, chainsPerGroup)
    }

    /// The chains of group g.
    public func chains(ofGroup g: Int) -> Range<Int> {
        let start = g * chainsPerGroup
        return start..<Swift.min(chains, start + chainsPerGroup)
    }

    /// The tiles of group g, in the order they are processed.
    public func tiles(ofGroup g: Int) -> [Range<Int>] {
        let range = chains(ofGroup: g)
        return Swift.stride(from: range.lowerBound, to: range.upperBound, by: tileSize).map {
            $0..<Swift.min(range.upperBound, $0 + tileSize)
        }
    }
}
