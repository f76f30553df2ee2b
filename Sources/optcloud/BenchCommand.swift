import ArgumentParser
import Experiments
import Foundation
import Simulation

/// The performance benchmark of SPEC §7, in nanoseconds per chain·coordinate·step.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure simulation speed on the standard workloads (build with -c release).",
        discussion: """
        W1: SGD on a d-dimensional diagonal quadratic (curvatures log-spaced in [1, 10]) with isotropic Gaussian noise \
        (σ = 1, lr = 0.05, start at 0), streaming mean and full covariance after burn-in.
        W2: the same with AdamW (lr = 0.01, weight decay 0.01).
        W3: SGD in d = 2 with moments, 1-D histograms (60 bins, quantiles) and the 2-D histogram.
        """
    )

    @Option(name: .long, help: "W1, W2, W3 or all.")
    var workload: String = "all"

    @Option(name: .long, help: "Dimension d of W1.")
    var dimension: Int = 10

    @Option(name: .long, help: "Chains.")
    var chains: Int = 100_000

    @Option(name: .long, help: "Steps per chain.")
    var steps: Int = 200

    @Option(name: .customLong("burn-in"), help: "Burn-in steps.")
    var burnIn: Int = 100

    @Option(name: .long, help: "Comma-separated thread counts to measure, e.g. 1,2 (default: 1 and every CPU this process may use).")
    var threads: String?

    @Option(name: .long, help: "Seed.")
    var seed: UInt64 = 1

    @Option(name: .customLong("c-reference"), help: "Path of the compiled C reference (benchmarks/w1.c) to run W1 and W2 with for comparison.")
    var cReference: String?

    func validate() throws {
        guard ["W1", "W2", "W3", "all"].contains(workload) else { throw ValidationError("--workload must be W1, W2, W3 or all, got '\(workload)'") }
        guard dimension >= 1, dimension <= 1000 else { throw ValidationError("--dimension must be in 1...1000") }
        guard chains >= 1, chains <= Int(UInt32.max) else { throw ValidationError("--chains must be in 1...4294967295") }
        guard steps >= 1, steps <= Int(UInt32.max), burnIn >= 0, burnIn < steps else {
            throw ValidationError("--steps and --burn-in must satisfy 0 ≤ burn-in < steps")
        }
        _ = try threadCounts()
        if let cReference, !FileManager.default.isExecutableFile(atPath: cReference) {
            throw ValidationError("--c-reference: '\(cReference)' is not an executable file (build it with `make bench`)")
        }
    }

    func threadCounts() throws -> [Int] {
        guard let threads else {
            let cores = AvailableCPUs.count
            return cores > 1 ? [1, cores] : [1]
        }
        let values = threads.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! >= 1 && $0! <= 1024 }) else {
            throw ValidationError("--threads must be a comma-separated list of counts in 1...1024, got '\(threads)'")
        }
        return values.map { $0! }
    }

    func run() throws {
        let counts = try threadCounts()
        #if DEBUG
        Terminal.warning("this is a debug build; measure with `swift build -c release`")
        #endif
        print("workload      d    chains  steps  threads   seconds  ns/chain·coord·step  speedup  peak RSS (MiB)")
        var singleThread: [String: Double] = [:]
        let selected = workload == "all" ? ["W1", "W2", "W3"] : [workload]
        for name in selected {
            var single: Double?
            let d = name == "W3" ? 2 : dimension
            for t in counts {
                let seconds = name == "W1" ? w1(threads: t) : name == "W2" ? w2(threads: t) : w3(threads: t)
                let ns = seconds * 1e9 / (Double(chains) * Double(d) * Double(steps))
                if t == 1 { single = ns }
                row(name == "W1" ? "W1 sgd" : name == "W2" ? "W2 adamw" : "W3 sgd+hist", d, t, seconds, ns, single.map { $0 / ns })
            }
            singleThread[name] = single
        }
        guard let cReference else { return }
        for name in selected where name != "W3" {
            let c = try runC(cReference, adamw: name == "W2")
            let line = String(format: "C reference %@ (benchmarks/w1.c, 1 thread): %.3f ns/chain·coord·step", name, c)
            if let ours = singleThread[name] {
                print(line + String(format: "; optcloud on 1 thread / C: %.2f×", ours / c))
            } else {
                print(line)
            }
        }
    }

    private func row(_ name: String, _ d: Int, _ threads: Int, _ seconds: Double, _ ns: Double, _ speedup: Double?) {
        print(String(format: "%@ %3d %9d %6d %8d %9.3f %20.3f %8@ %15.1f",
                     name.padding(toLength: 11, withPad: " ", startingAt: 0), d, chains, steps, threads, seconds, ns,
                     speedup.map { String(format: "%.2f×", $0) } ?? "-", Self.peakResidentMiB()))
    }

    private var curvatures: [Double] {
        (0..<dimension).map { k in dimension == 1 ? 1 : pow(10, Double(k) / Double(dimension - 1)) }
    }

    private func w2(threads: Int) -> Double {
        let simulator = Simulator(
            objective: DiagonalQuadratic(curvatures: curvatures, minimum: [Double](repeating: 0, count: dimension)),
            noise: DiagonalGaussianNoise(std: [Double](repeating: 1, count: dimension)),
            optimizer: Adam(), weightDecay: .decoupled([Double](repeating: 0.01, count: dimension)),
            schedule: ConstantSchedule(baseLR: 0.01), clip: .none,
            normals: NormalStream(generator: Philox4x32(seed: seed)),
            plan: SimulationPlan(chains: chains, recording: RecordingPlan(steps: steps, burnIn: burnIn, thin: 1),
                                 initial: .point([Double](repeating: 0, count: dimension)),
                                 histograms: .off, samples: .none, covariance: true, higherMoments: false))
        let start = Date()
        _ = simulator.run(threads: threads)
        return Date().timeIntervalSince(start)
    }

    private func w1(threads: Int) -> Double {
        let simulator = Simulator(
            objective: DiagonalQuadratic(curvatures: curvatures, minimum: [Double](repeating: 0, count: dimension)),
            noise: DiagonalGaussianNoise(std: [Double](repeating: 1, count: dimension)),
            optimizer: SGD(),
            schedule: ConstantSchedule(baseLR: 0.05), clip: .none,
            normals: NormalStream(generator: Philox4x32(seed: seed)),
            plan: SimulationPlan(chains: chains, recording: RecordingPlan(steps: steps, burnIn: burnIn, thin: 1),
                                 initial: .point([Double](repeating: 0, count: dimension)),
                                 histograms: .off, samples: .none, covariance: true, higherMoments: false))
        let start = Date()
        _ = simulator.run(threads: threads)
        return Date().timeIntervalSince(start)
    }

    private func w3(threads: Int) -> Double {
        let simulator = Simulator(
            objective: DiagonalQuadratic(curvatures: [1, 10], minimum: [0, 0]),
            noise: DiagonalGaussianNoise(std: [1, 1]),
            optimizer: SGD(),
            schedule: ConstantSchedule(baseLR: 0.05), clip: .none,
            normals: NormalStream(generator: Philox4x32(seed: seed)),
            plan: SimulationPlan(chains: chains, recording: RecordingPlan(steps: steps, burnIn: burnIn, thin: 1),
                                 initial: .point([0, 0]),
                                 histograms: HistogramPlan(bins: 60, ranges: nil, pairs: [.init(0, 1)]), samples: .none))
        let start = Date()
        _ = simulator.run(threads: threads)
        return Date().timeIntervalSince(start)
    }

    private func runC(_ path: String, adamw: Bool) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = (adamw ? ["--adamw"] : []) + [String(dimension), String(chains), String(steps), String(burnIn),
                                                          adamw ? "0.01" : "0.05", "1", String(seed)]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { throw RunFailure(message: "cannot run \(path): \(error.localizedDescription)") }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == "ns_per_chain_coord_step", let value = Double(parts[1]) { return value }
        }
        throw RunFailure(message: "\(path) printed no ns_per_chain_coord_step")
    }

    static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
