/// How chains are cut into work: tiles of at most 64 chains (structure-of-arrays, cache
/// resident) inside at most 256 replicate groups (the unit of parallel work, and the
/// independent replicates that standard errors are computed from).
///
/// The layout depends on the number of chains only, never on the number of threads, so
/// every floating-point sum is formed in the same order whatever `--threads` is.
public struct ChainLayout: Sendable, Equatable {
    public let chains: Int
    /// min(chains, 256) groups of ⌊chains/groups⌋ or ⌈chains/groups⌉ consecutive chains.
    public let groups: Int
    public let tileSize: Int

    public static let maximumGroups = 256
    public static let maximumTileSize = 64

    public init(chains: Int) {
        precondition(chains > 0, "at least one chain")
        self.chains = chains
        groups = Swift.min(Self.maximumGroups, chains)
        tileSize = Swift.min(Self.maximumTileSize, (chains + groups - 1) / groups)
    }

    /// The chains of group g.
    public func chains(ofGroup g: Int) -> Range<Int> {
        (g * chains / groups)..<((g + 1) * chains / groups)
    }

    /// The tiles of group g, in the order they are processed.
    public func tiles(ofGroup g: Int) -> [Range<Int>] {
        let range = chains(ofGroup: g)
        return Swift.stride(from: range.lowerBound, to: range.upperBound, by: tileSize).map {
            $0..<Swift.min(range.upperBound, $0 + tileSize)
        }
    }
}
