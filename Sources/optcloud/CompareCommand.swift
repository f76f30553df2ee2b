import ArgumentParser
import Experiments
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare clouds already computed: every optimizer of every run directory, pair by pair.",
        discussion: """
        For each pair of clouds: the Wasserstein-2 distance and both KL divergences between their Gaussian fits \
        (mean and covariance of summary.json), the angle between their principal axes, and the energy distance \
        between their samples (samples_<label>.npy) with a permutation p-value; per cloud |bias|, tr and \
        log det of the covariance, flatness (hessian_trace_at_mean) and basin occupancy (basins.csv). \
        Writes comparison.csv and comparison.svg into --out (default: the first RUN_DIR) and prints the table.
        """
    )

    @Argument(help: ArgumentHelp("Run directories written by `optcloud run`.", valueName: "run-dir"))
    var runDirectories: [String]

    @Option(name: .long, help: "Directory for comparison.csv and comparison.svg (default: the first RUN_DIR).")
    var out: String?

    @Flag(name: .long, help: "Replace existing comparison.csv and comparison.svg.")
    var force = false

    @Option(name: .customLong("max-points"), help: "Most points per cloud in the energy test: a seeded subsample, at most one draw per chain (1…5000).")
    var maxPoints = 1000

    @Option(name: .long, help: "Permutations of the energy test; the smallest p-value is 1/(1 + permutations) (1…100000).")
    var permutations = 499

    @Option(name: .long, help: "Seed of the subsampling and of the permutations.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Worker threads (default: the CPUs this process may run on, e.g. under taskset or Slurm). Results are identical for any value.")
    var threads: Int?

    @Flag(name: .long, help: "Print nothing on success.")
    var quiet = false

    func validate() throws {
        if runDirectories.isEmpty { throw ValidationError("give at least one run directory") }
        if !(1...5000).contains(maxPoints) { throw ValidationError("--max-points must be between 1 and 5000, got \(maxPoints)") }
        if !(1...100_000).contains(permutations) { throw ValidationError("--permutations must be between 1 and 100000, got \(permutations)") }
        if let threads, threads < 1 || threads > 1024 { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
    }

    func run() throws {
        let clouds = try CloudLoader.load(runDirectories)
        try CloudComparison.check(clouds, paths: runDirectories)
        let files = try ComparisonFiles(path: out ?? runDirectories[0], force: force)
        let settings = CloudComparison.Settings(maxPoints: maxPoints, permutations: permutations, seed: seed,
                                                threads: threads ?? AvailableCPUs.count)
        let comparison = CloudComparison(clouds, settings: settings)
        do {
            try files.write(csv: try comparison.table.data(), svg: Data(comparison.figure.utf8))
        } catch {
            throw RunFailure(message: "cannot write \(files.directory.path): \(error.localizedDescription)")
        }
        if !quiet {
            print(comparison.summaryText, terminator: "")
            let missing = comparison.cloudsWithoutSamples
            if !missing.isEmpty {
                note("no usable samples for \(missing.map(\.name).joined(separator: ", ")): energy_distance and energy_p_value are empty; "
                     + "set output.samples: final (or all) in the config and run again to save them")
            }
            for cloud in clouds where (cloud.samples?.droppedRows ?? 0) > 0 {
                note("\(cloud.name): \(cloud.samples?.droppedRows ?? 0) non-finite sample rows (diverged chains) left out")
            }
            print("wrote \(files.writtenPaths.joined(separator: ", "))")
        }
    }

    private func note(_ message: String) {
        FileHandle.standardError.write(Data("optcloud: note: \(message)\n".utf8))
    }
}
