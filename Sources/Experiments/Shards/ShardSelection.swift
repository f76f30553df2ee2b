import Foundation

/// Which part of the work this process does: shard K of N (`--shard K/N`, 0 ≤ K < N). A sweep's
/// shard K runs the points with p mod N = K.
///
/// `--shard auto` takes K and N from the batch system (SPEC §8.2):
/// - a Slurm job array: K = (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP
///   (step 1 unless set), N = SLURM_ARRAY_TASK_COUNT — so `--array=0-3`, `--array=1-4` and
///   `--array=0-6:2` each make 4 shards;
/// - a Kubernetes Indexed Job: K = JOB_COMPLETION_INDEX, N = `--shards N` or OPTCLOUD_SHARDS (a
///   pod does not see the job's completion count).
/// `--shards N` with a Slurm array must equal its task count.
public struct ShardSelection: Sendable, Equatable {
    public let index: Int
    public let count: Int

    /// Every point.
    public static let all = ShardSelection(index: 0, count: 1)

    /// The largest N accepted.
    public static let maximumCount = 1_000_000

    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 0 && index < count, "0 ≤ K < N")
        self.index = index
        self.count = count
    }

    public func contains(_ point: Int) -> Bool { point % count == index }

    /// `K/N` or `auto` (resolved from `environment`); errors name `option` (or the variable).
    /// `shards` is `--shards N`, which only goes with `auto`.
    public static func parse(_ text: String, shards: Int? = nil, environment: [String: String] = [:],
                             option: String = "--shard") throws -> ShardSelection {
        if text == "auto" { return try automatic(shards: shards, environment: environment, option: option) }
        if shards != nil {
            throw ConfigError(file: "--shards", line: nil, key: String(text.prefix(40)), problem: "goes with --shard auto only",
                              expected: "--shard auto --shards N, or --shard K/N alone")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= maximumCount, k >= 0, k < n else {
            throw ConfigError(file: option, line: nil, key: String(text.prefix(40)), problem: "is not a shard",
                              expected: "K/N with 0 ≤ K < N ≤ \(maximumCount), e.g. 0/4, or auto")
        }
        return ShardSelection(index: k, count: n)
    }

    private static func automatic(shards: Int?, environment: [String: String], option: String) throws -> ShardSelection {
        if let shards, !(1...maximumCount).contains(shards) {
            throw ConfigError(file: "--shards", line: nil, key: String(shards), problem: "is out of range",
                              expected: "1 ≤ N ≤ \(maximumCount)")
        }
        if environment["SLURM_ARRAY_TASK_ID"] != nil {
            let id = try integer("SLURM_ARRAY_TASK_ID", environment)
            let minimum = try integer("SLURM_ARRAY_TASK_MIN", environment)
            let count = try integer("SLURM_ARRAY_TASK_COUNT", environment)
            let step = environment["SLURM_ARRAY_TASK_STEP"] == nil ? 1 : try integer("SLURM_ARRAY_TASK_STEP", environment)
            let offset = id - minimum
            guard step >= 1, count >= 1, count <= maximumCount, offset >= 0, offset % step == 0, offset / step < count else {
                throw ConfigError(file: option, line: nil, key: "auto",
                                  problem: "SLURM_ARRAY_TASK_ID=\(id) is not task (ID − MIN)/STEP < COUNT of the array "
                                      + "(MIN \(minimum), STEP \(step), COUNT \(count))",
                                  expected: "an evenly spaced array such as --array=0-\(Swift.max(count, 1) - 1)")
            }
            if let shards, shards != count {
                throw ConfigError(file: "--shards", line: nil, key: String(shards), problem: "differs from the Slurm array's task count \(count)",
                                  expected: "--shards \(count), or leave it out")
            }
            return ShardSelection(index: offset / step, count: count)
        }
        if environment["JOB_COMPLETION_INDEX"] != nil {
            let index = try integer("JOB_COMPLETION_INDEX", environment)
            let count: Int
            if let shards {
                count = shards
            } else if environment["OPTCLOUD_SHARDS"] != nil {
                count = try integer("OPTCLOUD_SHARDS", environment)
            } else {
                throw ConfigError(file: option, line: nil, key: "auto", problem: "JOB_COMPLETION_INDEX=\(index) says which shard, not how many",
                                  expected: "--shards N or OPTCLOUD_SHARDS=N (the Indexed Job's completions)")
            }
            guard (1...maximumCount).contains(count), (0..<count).contains(index) else {
                throw ConfigError(file: option, line: nil, key: "auto", problem: "JOB_COMPLETION_INDEX=\(index) is not below the shard count \(count)",
                                  expected: "0 ≤ JOB_COMPLETION_INDEX < N ≤ \(maximumCount)")
            }
            return ShardSelection(index: index, count: count)
        }
        throw ConfigError(file: option, line: nil, key: "auto", problem: "finds no batch system in the environment",
                          expected: "a Slurm job array (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX), or --shard K/N")
    }

    private static func integer(_ name: String, _ environment: [String: String]) throws -> Int {
        guard let text = environment[name], let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigError(file: name, line: nil, key: environment[name].map { String($0.prefix(40)) } ?? "(unset)",
                              problem: "is not an integer", expected: "the integer the batch system sets")
        }
        return value
    }
}
