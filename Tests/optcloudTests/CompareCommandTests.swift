import Foundation
import XCTest

/// `optcloud compare RUN_DIR…` end to end: runs small configs, compares their clouds and
/// reads comparison.csv.
final class CompareCommandTests: XCTestCase {
    static let header = "cloud_a,cloud_b,w2_gaussian,energy_distance,energy_p_value,kl_ab,kl_ba,principal_angle_deg,"
        + "bias_norm_a,bias_norm_b,trace_a,trace_b,logdet_a,logdet_b,flatness_a,flatness_b,occupancy_a,occupancy_b"

    /// SGD on f = ½(x₀² + 4x₁²) with N(0, I) gradient noise, started at the minimum:
    /// stationary variances lr/(h(2 − lr·h)) = 0.053, 0.016 (relaxation in ≤ 10 steps).
    static let quadratic = """
        objective: {type: quadratic, diagonal: [1.0, 4.0]}
        noise: {type: gaussian, std: 1.0}
        chains: 1000
        steps: 300
        burn_in: 200
        optimizers:
          - {label: sgd, type: sgd, lr: 0.1}
        output: {samples: final}
        """

    /// SGD and Adam on the ill-conditioned f = ½(x₀² + 100x₁²): SGD at lr = 0.01 has variances
    /// 0.005, 1e-4; Adam at lr = 0.05 normalises the gradient and spreads about 5 times wider.
    static let illConditioned = """
        objective: {type: quadratic, diagonal: [1.0, 100.0]}
        noise: {type: gaussian, std: 1.0}
        chains: 1000
        steps: 1000
        burn_in: 600
        optimizers:
          - {label: sgd, type: sgd, lr: 0.01}
          - {label: adam, type: adam, lr: 0.05}
        output: {samples: final}
        """

    /// Writes `yaml` as NAME.yaml in `work`, runs it into work/NAME and returns that directory.
    private func run(_ yaml: String, _ name: String, in work: URL, extra: [String] = [],
                     file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let config = work.appendingPathComponent("\(name).yaml")
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        return try RunOutput.run(config.path, in: work, outName: name, extra: extra, file: file, line: line)
    }

    /// Runs `optcloud compare` + arguments, expecting exit 0 and no crash.
    @discardableResult
    private func compare(_ arguments: [String], in work: URL, file: StaticString = #filePath, line: UInt = #line) throws -> OptcloudResult {
        let result = try Optcloud.run(["compare"] + arguments, in: work, file: file, line: line)
        XCTAssertEqual(result.reason, .exit, result.diagnostic, file: file, line: line)
        XCTAssertEqual(result.status, 0, result.diagnostic, file: file, line: line)
        return result
    }

    /// Runs `optcloud compare`, expecting exit 2 with one `optcloud: error:` line holding `fragment`.
    private func assertUsageError(_ arguments: [String], in work: URL, mentions fragment: String,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try Optcloud.run(["compare"] + arguments, in: work, file: file, line: line)
        XCTAssertEqual(result.reason, .exit, result.diagnostic, file: file, line: line)
        XCTAssertEqual(result.status, 2, result.diagnostic, file: file, line: line)
        XCTAssertEqual(result.stderrLines.count, 1, "one line: \(result.diagnostic)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("optcloud: error: "), result.diagnostic, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(fragment), "error should mention '\(fragment)': \(result.diagnostic)", file: file, line: line)
        for signature in crashSignatures { XCTAssertFalse(result.stderr.contains(signature), result.diagnostic, file: file, line: line) }
    }

    /// comparison.csv in `directory`: its exact header checked, rows keyed by the header.
    private func comparisonRows(_ directory: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: String]] {
        let url = directory.appendingPathComponent("comparison.csv")
        let text = try RunOutput.text(url)
        XCTAssertEqual(text.split(separator: "\n").first.map(String.init), Self.header, file: file, line: line)
        return try RunOutput.records(url, file: file, line: line)
    }

    /// The first optimizer's entry of DIR/summary.json.
    private func firstOptimizer(_ directory: URL) throws -> [String: Any] {
        let summary = try RunOutput.json(directory.appendingPathComponent("summary.json"))
        return try XCTUnwrap((summary["optimizers"] as? [[String: Any]])?.first)
    }

    private func number(_ row: [String: String], _ key: String) -> Double {
        row[key].flatMap { Double($0) } ?? .nan
    }

    func testTheSameConfigWithTwoSeedsGivesIndistinguishableClouds() throws {
        let work = try makeTemporaryDirectory(self)
        _ = try run(Self.quadratic, "seed1", in: work, extra: ["--seed", "1"])
        _ = try run(Self.quadratic, "seed2", in: work, extra: ["--seed", "2"])
        // 1999 permutations, so that p ≤ 0.001 is reachable (the smallest p is 1/2000).
        let result = try compare(["seed1", "seed2", "--out", "cmp", "--permutations", "1999", "--max-points", "500"], in: work)
        XCTAssertTrue(result.stdout.contains("cloud_a"), "the table is printed: \(result.stdout)")
        let rows = try comparisonRows(work.appendingPathComponent("cmp"))
        XCTAssertEqual(rows.count, 1, "one pair")
        guard let row = rows.first else { return }
        XCTAssertEqual(row["cloud_a"], "seed1/sgd")
        XCTAssertEqual(row["cloud_b"], "seed2/sgd")
        // The final iterates of independent chains of the same dynamics: the null hypothesis
        // holds exactly, p is super-uniform, and p ≤ 0.001 has probability ≤ 0.001.
        let p = number(row, "energy_p_value")
        XCTAssertGreaterThan(p, 0.001, "same distribution, yet p = \(p)")
        // Sampling error alone: the two runs agree entry by entry within 5 combined standard
        // errors, and W₂, both KL and the principal angle stay inside what that agreement
        // allows (`SameLawBounds`, from the standard errors in summary.json).
        let a = try XCTUnwrap(SameLawBounds.Fit(try firstOptimizer(work.appendingPathComponent("seed1"))))
        let b = try XCTUnwrap(SameLawBounds.Fit(try firstOptimizer(work.appendingPathComponent("seed2"))))
        let bounds = try SameLawBounds(a, b)
        XCTAssertTrue(bounds.entriesAgree, "the two seeds' means and covariances differ by \(bounds.maxZ) standard errors")
        let w2 = number(row, "w2_gaussian"), trace = number(row, "trace_a")
        XCTAssertLessThan(w2, bounds.w2, "W2 = \(w2)")
        XCTAssertLessThan(number(row, "kl_ab"), bounds.klAB)
        XCTAssertLessThan(number(row, "kl_ba"), bounds.klBA)
        XCTAssertLessThan(number(row, "principal_angle_deg"), bounds.principalAngleDegrees)
        print("same config, seeds 1 and 2: max z \(bounds.maxZ); W2 \(w2) < \(bounds.w2); KL \(number(row, "kl_ab")) < \(bounds.klAB), "
              + "\(number(row, "kl_ba")) < \(bounds.klBA); angle \(number(row, "principal_angle_deg"))° < \(bounds.principalAngleDegrees)°")
        XCTAssertEqual(number(row, "flatness_a"), 5, accuracy: 1e-12, "tr H = 1 + 4")
        XCTAssertEqual(row["occupancy_a"], "", "no basins.csv")
        print("same config, seeds 1 and 2: p = \(p), W2 = \(w2), √tr = \(trace.squareRoot())")

        // The files exist now: without --force they are kept and the command refuses.
        let before = try RunOutput.text(work.appendingPathComponent("cmp/comparison.csv"))
        try assertUsageError(["seed1", "seed2", "--out", "cmp"], in: work, mentions: "--force")
        XCTAssertEqual(try RunOutput.text(work.appendingPathComponent("cmp/comparison.csv")), before)
        try compare(["seed1", "seed2", "--out", "cmp", "--permutations", "1999", "--max-points", "500", "--force", "--quiet"], in: work)
        XCTAssertEqual(try RunOutput.text(work.appendingPathComponent("cmp/comparison.csv")), before, "deterministic")
        XCTAssertEqual(directoryListing(work.appendingPathComponent("cmp")), ["comparison.csv", "comparison.svg"], "no temporary files left")
    }

    func testSGDAndAdamOnAnIllConditionedQuadraticDiffer() throws {
        let work = try makeTemporaryDirectory(self)
        let out = try run(Self.illConditioned, "run", in: work)
        let result = try compare(["run"], in: work)
        XCTAssertTrue(result.stdout.contains("run/adam"), result.stdout)
        let rows = try comparisonRows(out)
        XCTAssertEqual(rows.count, 1)
        guard let row = rows.first else { return }
        XCTAssertEqual(row["cloud_a"], "run/sgd")
        XCTAssertEqual(row["cloud_b"], "run/adam")
        XCTAssertEqual(number(row, "energy_p_value"), 1.0 / 500, "no permutation reaches the observed energy distance")
        // Adam's cloud is ~5 times wider in variance: W₂ is beyond what sampling error allows
        // between clouds of one law (`SameLawBounds`), and the traces differ by more than 5
        // combined standard errors (se(tr Σ) ≤ Σ_k se(Σ_kk)). Common random numbers correlate
        // the two clouds positively, so √(se_a² + se_b²) overstates the error of a difference:
        // both checks are conservative.
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))["optimizers"] as? [[String: Any]] ?? []
        XCTAssertEqual(summary.count, 2)
        let sgd = try XCTUnwrap(SameLawBounds.Fit(summary.first ?? [:])), adam = try XCTUnwrap(SameLawBounds.Fit(summary.last ?? [:]))
        let bounds = try SameLawBounds(sgd, adam)
        let w2 = number(row, "w2_gaussian")
        XCTAssertFalse(bounds.entriesAgree)
        XCTAssertGreaterThan(w2, bounds.w2, "W2 = \(w2)")
        let traceSE = [sgd, adam].map { fit in (0..<2).reduce(0) { $0 + fit.covarianceStderr[$1 * 2 + $1] } }
        XCTAssertGreaterThan(number(row, "trace_b") - number(row, "trace_a"),
                             5 * (traceSE[0] * traceSE[0] + traceSE[1] * traceSE[1]).squareRoot())
        let svg = try RunOutput.text(out.appendingPathComponent("comparison.svg"))
        XCTAssertTrue(svg.hasPrefix("<?xml") && svg.contains("run/adam") && svg.hasSuffix("</svg>\n"))
        print("SGD vs Adam: p = \(number(row, "energy_p_value")), W2 = \(w2), √tr = \(number(row, "trace_a").squareRoot()), \(number(row, "trace_b").squareRoot())")
    }

    func testWithoutSamplesTheEnergyColumnsAreEmptyAndANoteNamesTheKey() throws {
        let work = try makeTemporaryDirectory(self)
        _ = try run(Self.quadratic, "with", in: work)
        _ = try run(Self.quadratic, "without", in: work, extra: ["--set", "output.samples=none"])
        let result = try compare(["with", "without", "--out", "cmp"], in: work)
        XCTAssertTrue(result.stderr.contains("optcloud: note:") && result.stderr.contains("output.samples: final"), result.diagnostic)
        XCTAssertEqual(result.stderrLines.count, 1, result.diagnostic)
        guard let row = try comparisonRows(work.appendingPathComponent("cmp")).first else { return XCTFail("no row") }
        XCTAssertEqual(row["energy_distance"], "")
        XCTAssertEqual(row["energy_p_value"], "")
        XCTAssertFalse(number(row, "w2_gaussian").isNaN, "the Gaussian columns need only summary.json")
    }

    func testBasinOccupancyIsReadFromBasinsCSV() throws {
        let work = try makeTemporaryDirectory(self)
        let out = try run(Self.illConditioned, "run", in: work, extra: ["--chains", "200", "--set", "output.samples=none"])
        try "optimizer,basin,location,occupancy,first_passage_mean,first_passage_median,censored\n"
            .appending("sgd,0,\"[0, 0]\",0.25,1,1,0\nsgd,1,\"[1, 0]\",0.75,2,2,0\nadam,0,\"[0, 0]\",1,3,3,0\n")
            .write(to: out.appendingPathComponent("basins.csv"), atomically: true, encoding: .utf8)
        try compare(["run", "--quiet"], in: work)
        guard let row = try comparisonRows(out).first else { return XCTFail("no row") }
        XCTAssertEqual(row["occupancy_a"], "0:0.25;1:0.75")
        XCTAssertEqual(row["occupancy_b"], "0:1.0")
    }

    func testInputErrorsExitWithStatusTwoOnOneLine() throws {
        let work = try makeTemporaryDirectory(self)
        let two = try run(Self.quadratic, "two", in: work, extra: ["--chains", "100"])
        let three = Self.quadratic.replacingOccurrences(of: "diagonal: [1.0, 4.0]", with: "diagonal: [1.0, 4.0, 9.0]")
        _ = try run(three, "three", in: work, extra: ["--chains", "100"])
        try assertUsageError(["two", "missing"], in: work, mentions: "missing: no such run directory")
        try assertUsageError(["two", "three", "--out", "cmp"], in: work, mentions: "dimension")
        try assertUsageError(["two"], in: work, mentions: "at least two clouds")
        try assertUsageError(["two", "two/"], in: work, mentions: "given twice")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("cmp").path), "nothing written")

        // A malformed samples file, a truncated one, and a summary.json that is not JSON.
        let copy = work.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: two, to: copy)
        try Data("not an npy file".utf8).write(to: copy.appendingPathComponent("samples_sgd.npy"))
        try assertUsageError(["two", "copy"], in: work, mentions: "samples_sgd.npy")
        let npy = try Data(contentsOf: two.appendingPathComponent("samples_sgd.npy"))
        try npy.prefix(npy.count / 2).write(to: copy.appendingPathComponent("samples_sgd.npy"))
        try assertUsageError(["two", "copy"], in: work, mentions: "samples_sgd.npy")
        // A shape whose element count overflows Int must be an error, not a trap.
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"
        header += String(repeating: " ", count: (64 - (11 + header.utf8.count) % 64) % 64) + "\n"
        var huge = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0])
        huge.append(contentsOf: Array(header.utf8) + [UInt8](repeating: 0, count: 64))
        try huge.write(to: copy.appendingPathComponent("samples_sgd.npy"))
        try assertUsageError(["two", "copy"], in: work, mentions: "samples_sgd.npy")
        try Data("{\"optimizers\": [{\"label\": \"sgd\", \"mean\": [0, 0], \"covariance\": [[1, 0]]}]}".utf8)
            .write(to: copy.appendingPathComponent("summary.json"))
        try assertUsageError(["two", "copy"], in: work, mentions: "optimizers.0.covariance")
        try Data("{ truncated".utf8).write(to: copy.appendingPathComponent("summary.json"))
        try assertUsageError(["two", "copy"], in: work, mentions: "summary.json")
        try FileManager.default.removeItem(at: copy.appendingPathComponent("summary.json"))
        try assertUsageError(["two", "copy"], in: work, mentions: "summary.json")
    }
}
