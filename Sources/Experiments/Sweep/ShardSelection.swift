/// Which points of a sweep this process runs: those with p mod count = index (`--shard K/N`).
/// `parse` reads the option; `auto` (K and N from a batch system's environment, SPEC §8.2)
/// is the one form it does not resolve yet.
public struct ShardSelection: Sendable, Equatable {
    public let index: Int
    public let count: Int

    /// Every point.
    public static let all = ShardSelection(index: 0, count: 1)

    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 0 && index < count, "0 ≤ K < N")
        self.index = index
        self.count = count
    }

    public func contains(_ point: Int) -> Bool { point % count == index }

    /// `K/N` with 0 ≤ K < N; errors name `option`.
    public static func parse(_ text: String, option: String = "--shard") throws -> ShardSelection {
        if text == "auto" {
            throw ConfigError(file: option, line: nil, key: "auto", problem: "is not supported yet",
                              expected: "K/N with 0 ≤ K < N, e.g. 0/4")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 1_000_000, k >= 0, k < n else {
            throw ConfigError(file: option, line: nil, key: String(text.prefix(40)), problem: "is not a shard",
                              expected: "K/N with 0 ≤ K < N ≤ 1000000, e.g. 0/4")
        }
        return ShardSelection(index: k, count: n)
    }
}
