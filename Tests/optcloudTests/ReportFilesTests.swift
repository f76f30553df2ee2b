import Foundation
import Statistics
import XCTest

/// diagnostics.csv, timeseries.csv and basins.csv end to end: `optcloud run` on small
/// configs, the files read back and checked against what the samples files (`samples: all`)
/// and moments.csv of the same run say.
final class ReportFilesTests: XCTestCase {
    static let basinsHeader = "optimizer,basin,location,occupancy,first_passage_mean,first_passage_median,censored"

    /// Writes `yaml` as NAME.yaml in `work`, runs it into work/NAME and returns that directory.
    private func run(_ yaml: String, _ name: String, in work: URL, extra: [String] = [],
                     file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let config = work.appendingPathComponent("\(name).yaml")
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        return try RunOutput.run(config.path, in: work, outName: name, extra: extra, file: file, line: line)
    }

    private func headerLine(_ url: URL) throws -> String {
        String(try RunOutput.text(url).split(separator: "\n", maxSplits: 1).first ?? "")
    }

    /// samples_<label>.npy of `samples: all` as [chain][draw][k].
    private func allSamples(_ out: URL, _ label: String, chains: Int, draws: Int, d: Int) throws -> [Double] {
        let npy = try RunOutput.NPY(try Data(contentsOf: out.appendingPathComponent("samples_\(label).npy")))
        XCTAssertTrue(npy.headerText.contains("'shape': (\(chains), \(draws), \(d))"), npy.headerText)
        return npy.doubles
    }

    /// With 200 chains × 200 draws every chain and draw fits the diagnostic budget, so
    /// diagnostics.csv and summary.json must hold exactly what ConvergenceDiagnostics (ArviZ's
    /// definitions) gives on the draws of samples_<label>.npy.
    func testDiagnosticsAreArviZDiagnosticsOfEveryDraw() throws {
        let work = try makeTemporaryDirectory(self)
        let chains = 200, steps = 300, burnIn = 100, d = 2, draws = steps - burnIn
        let out = try RunOutput.run(try TestConfigs.path("small.yaml"), in: work,
                                    extra: ["--set", "output.samples=all", "--chains", "\(chains)", "--steps", "\(steps)",
                                            "--burn-in", "\(burnIn)", "--threads", "2"])
        let diagnostics = out.appendingPathComponent("diagnostics.csv")
        XCTAssertEqual(try headerLine(diagnostics), "optimizer,coordinate,r_hat,ess_bulk,ess_tail,mcse_mean,mcse_sd,tail_index")
        let records = try RunOutput.records(diagnostics)
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        let entries = summary["optimizers"] as? [[String: Any]] ?? []
        for label in OutputFilesTests.labels {
            let values = try allSamples(out, label, chains: chains, draws: draws, d: d)
            let entry = entries.first { $0["label"] as? String == label } ?? [:]
            let subset = entry["diagnostics_subset"] as? [String: Any] ?? [:]
            XCTAssertEqual(RunOutput.number(subset["chains"]), Double(chains), "\(label): every chain")
            XCTAssertEqual(RunOutput.number(subset["of_chains"]), Double(chains))
            XCTAssertEqual(RunOutput.number(subset["draws_per_chain"]), Double(draws), "\(label): every draw")
            XCTAssertEqual(RunOutput.number(subset["draw_stride"]), 1)
            let rows = records.filter { $0["optimizer"] == label }
            XCTAssertEqual(rows.map { $0["coordinate"] }, ["0", "1"])
            for k in 0..<d {
                let coordinate = (0..<chains).flatMap { c in (0..<draws).map { values[(c * draws + $0) * d + k] } }
                let expected = try ConvergenceDiagnostics(draws: coordinate, chains: chains, drawsPerChain: draws)
                let row = rows.first { $0["coordinate"] == String(k) } ?? [:]
                let pairs: [(String, Double)] = [("r_hat", expected.rHat), ("ess_bulk", expected.essBulk),
                                                 ("ess_tail", expected.essTail), ("mcse_mean", expected.mcseMean),
                                                 ("mcse_sd", expected.mcseSD)]
                for (column, value) in pairs {
                    XCTAssertTrue(value.isFinite, "\(label) x[\(k)] \(column)")
                    // Shortest round-trip decimals: the same computation gives the same double.
                    XCTAssertEqual(row[column].flatMap(Double.init), value, "\(label) x[\(k)] diagnostics.csv \(column)")
                    // summary.json holds the same digits; JSONSerialization may round the last ulp.
                    XCTAssertEqual(RunOutput.numbers(entry[column])?[k] ?? .nan, value, accuracy: 4 * value.ulp,
                                   "\(label) x[\(k)] summary.json \(column)")
                }
                let tail = row["tail_index"].flatMap(Double.init) ?? .nan
                XCTAssertTrue(tail > 0 && tail.isFinite, "\(label) x[\(k)] tail_index \(tail)")
            }
        }
    }

    /// One row per optimizer and timeseries step (log-spaced from 1 to steps, with the
    /// burn-in boundary); with a single recorded step (burn_in = steps − 1) the cloud is the
    /// last step's ensemble, so the last row's mean and variance are moments.csv's mean and
    /// std² up to rounding (the two sums are centred at different points).
    func testTimeseriesEndsAtTheCloudsMoments() throws {
        let work = try makeTemporaryDirectory(self)
        let chains = 500, steps = 300, burnIn = 299
        let out = try RunOutput.run(try TestConfigs.path("small.yaml"), in: work,
                                    extra: ["--chains", "\(chains)", "--steps", "\(steps)", "--burn-in", "\(burnIn)",
                                            "--threads", "2"])
        let url = out.appendingPathComponent("timeseries.csv")
        XCTAssertEqual(try headerLine(url), RunOutput.csvHeaders["timeseries.csv"])
        let records = try RunOutput.records(url)
        let moments = try RunOutput.records(out.appendingPathComponent("moments.csv"))
        var stepsSeen: [[Int]] = []
        for (label, lr) in zip(OutputFilesTests.labels, [0.1, 0.02]) {
            let rows = records.filter { $0["optimizer"] == label }
            let stepList = rows.compactMap { $0["step"].flatMap(Int.init) }
            stepsSeen.append(stepList)
            XCTAssertEqual(stepList.first, 1)
            XCTAssertEqual(stepList.last, steps)
            XCTAssertEqual(stepList, stepList.sorted(), "\(label): ascending steps")
            XCTAssertEqual(Set(stepList).count, stepList.count, "\(label): one row per step")
            XCTAssertTrue(stepList.contains(burnIn) && stepList.contains(burnIn + 1))
            XCTAssertGreaterThanOrEqual(stepList.count, 20)
            for row in rows {
                let number = { (key: String) -> Double in row[key].flatMap(Double.init) ?? .nan }
                XCTAssertEqual(number("lr"), lr, "\(label): constant lr")
                XCTAssertEqual(number("alive_chains"), Double(chains))
                XCTAssertEqual(number("covariance_trace"), number("variance_0") + number("variance_1"),
                               accuracy: 1e-12 * number("covariance_trace"))
                XCTAssertGreaterThanOrEqual(number("loss_mean"), 0)
                XCTAssertGreaterThanOrEqual(number("distance_mean"), 0)
            }
            let last = rows.last ?? [:]
            for k in 0..<2 {
                let m = moments.first { $0["optimizer"] == label && $0["coordinate"] == String(k) } ?? [:]
                let mean = m["mean"].flatMap(Double.init) ?? .nan, std = m["std"].flatMap(Double.init) ?? .nan
                XCTAssertEqual(last["mean_\(k)"].flatMap(Double.init) ?? .nan, mean, accuracy: 1e-12 * Swift.max(1, Swift.abs(mean)),
                               "\(label) x[\(k)]: the last step's mean is the cloud's")
                XCTAssertEqual(last["variance_\(k)"].flatMap(Double.init) ?? .nan, std * std, accuracy: 1e-9 * std * std,
                               "\(label) x[\(k)]: the last step's variance is the cloud's std²")
            }
        }
        XCTAssertEqual(stepsSeen[0], stepsSeen[1], "the same steps for every optimizer")
    }

    /// A tilted double well (barrier top x_s = root of x³ − x + 0.075 in (−1/√3, 1/√3)).
    static func doubleWell(temperature: Double, steps: Int, burnIn: Int, samples: String) -> String {
        """
        name: basins
        seed: 3
        objective: {type: double-well, barrier: 1.0, tilt: 0.3, curvature: [1.0]}
        noise: {type: none}
        init: {type: point, at: [1.0, 0.0]}
        chains: 400
        steps: \(steps)
        burn_in: \(burnIn)
        thin: 5
        optimizers:
          - {label: hot, type: sgld, lr: 0.02, temperature: \(temperature)}
          - {label: cold, type: sgld, lr: 0.02, temperature: 0.02}
        statistics:
          histogram: {bins: 40, range: [[-2.5, 2.5], [-2.5, 2.5]]}
        output: {samples: \(samples)}
        """
    }

    static var barrierTop: Double {
        var lo = -1 / Double(3).squareRoot(), hi = 1 / Double(3).squareRoot()
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            // x³ − x + q decreases on (−1/√3, 1/√3).
            if mid * mid * mid - mid + 0.075 > 0 { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// Occupancy is the fraction of the recorded samples on each side of the barrier top
    /// (recomputed from samples_<label>.npy), the two sum to 1, and first passages and
    /// censoring agree with the chains: the hot chains (ΔF/T ≈ 1.8, mean escape ≈ 250 steps) cross, the cold ones (barrier
    /// ΔF/T ≈ 36) never do, so all of them are censored.
    func testBasinsAreTheSamplesOnEachSideOfTheBarrier() throws {
        let work = try makeTemporaryDirectory(self)
        let chains = 400, steps = 3000, burnIn = 1000, draws = (steps - burnIn) / 5
        let out = try run(Self.doubleWell(temperature: 0.4, steps: steps, burnIn: burnIn, samples: "all"), "basins", in: work)
        let url = out.appendingPathComponent("basins.csv")
        XCTAssertEqual(try headerLine(url), Self.basinsHeader)
        let records = try RunOutput.records(url)
        let top = Self.barrierTop
        for label in ["hot", "cold"] {
            let rows = records.filter { $0["optimizer"] == label }
            XCTAssertEqual(rows.map { $0["basin"] }, ["0", "1"], label)
            let occupancy = rows.map { $0["occupancy"].flatMap(Double.init) ?? .nan }
            XCTAssertEqual(occupancy.reduce(0, +), 1, accuracy: 1e-12, "\(label): occupancies sum to 1")
            let values = try allSamples(out, label, chains: chains, draws: draws, d: 2)
            let left = Swift.stride(from: 0, to: values.count, by: 2).filter { values[$0] < top }.count
            XCTAssertEqual(occupancy[0], Double(left) / Double(chains * draws), accuracy: 1e-12,
                           "\(label): occupancy of the left well = fraction of samples with x₀ < x_s")
            let location = rows.first?["location"]?.split(separator: ";").compactMap { Double($0) } ?? []
            XCTAssertEqual(location.count, 2, "\(label): location is x₀;x₁ of the left well")
            XCTAssertLessThan(location.first ?? 0, -1)
            // Every chain started in the right well: basin 1 has no candidates, basin 0 all 400.
            XCTAssertEqual(rows[1]["censored"], "0")
            XCTAssertEqual(rows[1]["first_passage_mean"], "nan")
        }
        let hot = records.first { $0["optimizer"] == "hot" && $0["basin"] == "0" } ?? [:]
        let cold = records.first { $0["optimizer"] == "cold" && $0["basin"] == "0" } ?? [:]
        XCTAssertEqual(hot["censored"], "0", "at T = 0.4 every chain crosses within 3000 steps (12 mean escape times: P(censored) ≈ e^{−12} per chain)")
        XCTAssertGreaterThan(hot["first_passage_mean"].flatMap(Double.init) ?? 0, 0)
        XCTAssertLessThanOrEqual(hot["first_passage_median"].flatMap(Double.init) ?? .infinity, Double(steps))
        XCTAssertEqual(cold["censored"], String(chains), "at T = 0.02 no chain crosses")
        XCTAssertEqual(cold["first_passage_mean"], "nan")
        XCTAssertEqual(cold["first_passage_median"], "nan", "all censored: the median is +∞, reported as nan")

        // The timeseries' basin fractions are fractions of the alive chains.
        let series = try RunOutput.records(out.appendingPathComponent("timeseries.csv"))
        XCTAssertFalse(series.isEmpty)
        for row in series {
            let f0 = row["basin_0_fraction"].flatMap(Double.init) ?? .nan, f1 = row["basin_1_fraction"].flatMap(Double.init) ?? .nan
            XCTAssertTrue((0...1).contains(f0) && (0...1).contains(f1), "\(row)")
            XCTAssertEqual(f0 + f1, 1, accuracy: 1e-12)
        }
        // summary.json: the same basins with standard errors and the rule.
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        let entry = (summary["optimizers"] as? [[String: Any]])?.first { $0["label"] as? String == "hot" }
        let basins = entry?["basins"] as? [String: Any]
        XCTAssertTrue((basins?["rule"] as? String)?.contains("x_s") ?? false)
        let first = (basins?["basins"] as? [[String: Any]])?.first
        XCTAssertEqual(RunOutput.number(first?["occupancy"]), hot["occupancy"].flatMap(Double.init))
        XCTAssertGreaterThan(RunOutput.number(first?["occupancy_stderr"]) ?? 0, 0)
    }

    /// Basin occupancy through the binary against the Gibbs probability theory.json reports:
    /// SGLD at T = 1, lr = 0.005 on the tilted double well, burnt in for 3000 steps (the chain's
    /// slowest mode decays in 258 steps, so e^{−11.6} of the start is left). Tolerance: 5 of
    /// summary.json's occupancy_stderr (cluster-robust over 256 groups of chains). Gibbs is the
    /// continuous-time law: the discrete chain's exact stationary occupancy (its transition
    /// kernel solved on a grid, as StandardErrorCalibrationTests does) is 0.63470 against
    /// Gibbs's 0.63504, a bias of 3.4·10⁻⁴ ≈ 0.07 standard errors here.
    func testOccupancyAgreesWithGibbs() throws {
        let work = try makeTemporaryDirectory(self)
        let out = try run("""
            name: gibbs
            seed: 4
            objective: {type: double-well, dim: 1, barrier: 1.0, tilt: 0.3}
            noise: {type: none}
            init: {type: point, at: [0.9601495555191055]}
            chains: 1000
            steps: 8000
            burn_in: 3000
            thin: 10
            optimizers:
              - {label: sgld, type: sgld, lr: 0.005, temperature: 1.0}
            statistics:
              histogram: {bins: 40, range: [[-2.5, 2.5]]}
            output: {samples: none}
            """, "gibbs", in: work)
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        let entry = try XCTUnwrap((summary["optimizers"] as? [[String: Any]])?.first)
        let basins = try XCTUnwrap((entry["basins"] as? [String: Any])?["basins"] as? [[String: Any]])
        let theory = try RunOutput.json(out.appendingPathComponent("theory.json"))
        let langevin = try XCTUnwrap(((theory["optimizers"] as? [[String: Any]])?.first)?["langevin"] as? [String: Any])
        let gibbs = try XCTUnwrap(RunOutput.numbers(langevin["gibbs_basin_probabilities"]))
        XCTAssertEqual(gibbs.count, 2)
        XCTAssertEqual(basins.count, 2)
        for (b, basin) in basins.enumerated() where b < gibbs.count {
            let occupancy = try XCTUnwrap(RunOutput.number(basin["occupancy"]))
            let stderr = try XCTUnwrap(RunOutput.number(basin["occupancy_stderr"]))
            XCTAssertLessThan(abs(occupancy - gibbs[b]) / stderr, 5, "basin \(b): \(occupancy) ± \(stderr), Gibbs \(gibbs[b])")
            XCTAssertLessThan(stderr, 0.01, "basin \(b): the standard error is small enough to mean something")
            print("basin \(b): occupancy \(occupancy) ± \(stderr), Gibbs \(gibbs[b]), z = \((occupancy - gibbs[b]) / stderr)")
        }
    }

    /// A run too short to escape: every candidate chain is censored.
    func testShortRunCensorsEveryChain() throws {
        let work = try makeTemporaryDirectory(self)
        let out = try run(Self.doubleWell(temperature: 0.05, steps: 60, burnIn: 30, samples: "none"), "short", in: work)
        let records = try RunOutput.records(out.appendingPathComponent("basins.csv"))
        for label in ["hot", "cold"] {
            let left = records.first { $0["optimizer"] == label && $0["basin"] == "0" } ?? [:]
            XCTAssertEqual(left["censored"], "400", label)
            XCTAssertEqual(left["occupancy"].flatMap(Double.init), 0, label)
            XCTAssertEqual(left["first_passage_median"], "nan", label)
        }
    }
}
