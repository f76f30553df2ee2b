import Foundation
import Experiments
import XCTest

/// SPEC §5: the output directory of `optcloud run` on Configs/small.yaml (d = 2, two SGD
/// optimizers labelled `sgd` and `momentum`, 2000 chains, 400 steps, burn-in 100).
final class OutputFilesTests: XCTestCase {
    static let labels = ["sgd", "momentum"]
    static let chains = 2000, steps = 400, burnIn = 100, d = 2, bins = 30
    static let minimum = [1.0, -0.5]
    static let expectedFiles = ["summary.json", "moments.csv", "covariance.csv", "histograms.csv", "histograms2d.csv",
                                "diagnostics.csv", "timeseries.csv", "theory.json", "samples_sgd.npy", "samples_momentum.npy",
                                "cloud.svg", "marginals.svg", "timeseries.svg"]

    /// Every file SPEC §5 allows in an output directory.
    static func isSpecFile(_ name: String) -> Bool {
        ["summary.json", "moments.csv", "covariance.csv", "histograms.csv", "histograms2d.csv", "diagnostics.csv",
         "basins.csv", "timeseries.csv", "trace.csv", "theory.json"].contains(name)
            || (name.hasPrefix("samples_") && name.hasSuffix(".npy")) || (name.hasSuffix(".svg") && !name.hasPrefix("."))
    }

    /// The output directory holds the expected files (and nothing outside SPEC §5, nothing hidden).
    private func assertOutputFiles(_ out: URL, expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        let listing = directoryListing(out)
        for name in expected {
            XCTAssertTrue(listing.contains(name), "\(name) missing from the output directory: \(listing)", file: file, line: line)
        }
        for name in listing {
            XCTAssertTrue(Self.isSpecFile(name), "\(name) in the output directory is not a SPEC §5 file", file: file, line: line)
        }
    }

    private func runSmall(threads: Int = 2, file: StaticString = #filePath, line: UInt = #line) throws -> (work: URL, out: URL) {
        let work = try makeTemporaryDirectory(self)
        let out = try RunOutput.run(try TestConfigs.path("small.yaml"), in: work, extra: ["--threads", String(threads)],
                                    file: file, line: line)
        return (work, out)
    }

    func testEveryFileIsWrittenAndNothingIsLeftBehind() throws {
        let (work, out) = try runSmall()
        assertOutputFiles(out, expected: Self.expectedFiles)
        for name in Self.expectedFiles {
            let attributes = try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
            XCTAssertGreaterThan(size, 0, "\(name) is empty or missing")
        }
        XCTAssertEqual(directoryListing(work), ["out"], "staging (.partial) or other entries left beside the output")
    }

    func testDefaultOutputDirectoryIsOutputSlashName() throws {
        let work = try makeTemporaryDirectory(self)
        let result = try Optcloud.run(["run", try TestConfigs.path("small.yaml"), "--chains", "200", "--steps", "60",
                                       "--burn-in", "20", "--threads", "2"], in: work)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        XCTAssertEqual(directoryListing(work), ["output"])
        XCTAssertEqual(directoryListing(work.appendingPathComponent("output")), ["small"], "output/<name> with name: small")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("output/small/summary.json").path))
    }

    func testCSVHeadersAreExactlyTheSpecHeaders() throws {
        let (_, out) = try runSmall()
        for (name, header) in RunOutput.csvHeaders {
            let text = try RunOutput.text(out.appendingPathComponent(name))
            let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            XCTAssertEqual(first, header, "\(name) header line")
            XCTAssertFalse(text.contains("\r"), "\(name) has carriage returns")
            XCTAssertTrue(text.hasSuffix("\n"), "\(name) does not end with a newline")
        }
    }

    func testCSVsParseWithNumericColumns() throws {
        let (_, out) = try runSmall()
        for (name, headerLine) in RunOutput.csvHeaders {
            let (header, rows) = try RunOutput.csv(out.appendingPathComponent(name))
            XCTAssertEqual(header, headerLine.split(separator: ",").map(String.init), "\(name) header")
            XCTAssertFalse(rows.isEmpty, "\(name) has no rows")
            for (r, row) in rows.enumerated() {
                guard row.count == header.count else { continue }  // reported by RunOutput.csv
                XCTAssertTrue(Self.labels.contains(row[0]), "\(name) row \(r + 1): optimizer '\(row[0])'")
                for (column, field) in zip(header, row).dropFirst() {
                    let value = Double(field)
                    XCTAssertNotNil(value, "\(name) row \(r + 1) column \(column): '\(field)' is not a number")
                    XCTAssertTrue(value?.isFinite ?? false, "\(name) row \(r + 1) column \(column): '\(field)' is not finite")
                }
            }
            XCTAssertEqual(Set(rows.map { $0[0] }), Set(Self.labels), "\(name): optimizers present")
        }
    }

    /// E[x_t] of each optimizer of small.yaml (`ExpectedIterates`), from summary.json's
    /// resolved config: its Hessian, x*, start, lr and momentum.
    static func expectedIterates(_ summary: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws -> [String: ExpectedIterates] {
        let config = try XCTUnwrap(summary["config"] as? [String: Any], file: file, line: line)
        let objective = try XCTUnwrap(config["objective"] as? [String: Any], file: file, line: line)
        let hessian = try XCTUnwrap(RunOutput.matrix(objective["hessian"]), file: file, line: line)
        let minimum = try XCTUnwrap(RunOutput.numbers(objective["minimum"]), file: file, line: line)
        let start = try XCTUnwrap(RunOutput.numbers((config["init"] as? [String: Any])?["at"]), file: file, line: line)
        var byLabel: [String: ExpectedIterates] = [:]
        for spec in config["optimizers"] as? [[String: Any]] ?? [] {
            let label = try XCTUnwrap(spec["label"] as? String, file: file, line: line)
            byLabel[label] = ExpectedIterates(hessian: hessian, minimum: minimum, start: start,
                                              lr: try XCTUnwrap(RunOutput.number(spec["lr"]), file: file, line: line),
                                              momentum: try XCTUnwrap(RunOutput.number(spec["momentum"]), file: file, line: line),
                                              steps: Self.steps)
        }
        return byLabel
    }

    func testMoments() throws {
        let (_, out) = try runSmall()
        let records = try RunOutput.records(out.appendingPathComponent("moments.csv"))
        XCTAssertEqual(records.count, Self.labels.count * Self.d, "one row per optimizer and coordinate")
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        let optimizers = summary["optimizers"] as? [[String: Any]] ?? []
        let expected = try Self.expectedIterates(summary)
        for label in Self.labels {
            let rows = records.filter { $0["optimizer"] == label }
            XCTAssertEqual(rows.compactMap { $0["coordinate"].flatMap(Int.init) }, [0, 1], "\(label): coordinates")
            let entry = optimizers.first { $0["label"] as? String == label }
            let mean = RunOutput.numbers(entry?["mean"]) ?? []
            // The expected recorded mean: x* plus what is left of the start after burn-in
            // (heavy ball keeps |root|^100 = 0.9^50 ≈ 0.5 % of the start's offset).
            let truth = try XCTUnwrap(expected[label], label).recordedMean(burnIn: Self.burnIn)
            for row in rows {
                guard let k = row["coordinate"].flatMap(Int.init), k < Self.d,
                      let m = row["mean"].flatMap(Double.init), let bias = row["bias"].flatMap(Double.init),
                      let minimum = row["minimum"].flatMap(Double.init), let std = row["std"].flatMap(Double.init),
                      let q05 = row["q05"].flatMap(Double.init), let q50 = row["q50"].flatMap(Double.init),
                      let q95 = row["q95"].flatMap(Double.init), let stderr = row["stderr"].flatMap(Double.init) else {
                    XCTFail("\(label): unreadable moments row \(row)"); continue
                }
                XCTAssertEqual(minimum, Self.minimum[k], "\(label) x[\(k)] minimum")
                XCTAssertEqual(bias, m - minimum, accuracy: 1e-12, "\(label) x[\(k)]: bias = mean − minimum")
                // Tolerance: 5 of the cluster-robust standard errors moments.csv reports.
                XCTAssertLessThan(abs(m - truth[k]) / stderr, 5, "\(label) x[\(k)]: mean \(m), expected \(truth[k]) ± \(stderr)")
                XCTAssertGreaterThan(std, 0, "\(label) x[\(k)] std")
                XCTAssertGreaterThan(stderr, 0, "\(label) x[\(k)] stderr")
                XCTAssertLessThan(stderr, std, "\(label) x[\(k)] stderr < std")
                XCTAssertTrue(q05 < q50 && q50 < q95, "\(label) x[\(k)] quantiles ordered: \(q05), \(q50), \(q95)")
                if k < mean.count { XCTAssertEqual(m, mean[k], accuracy: 1e-12 * max(1, abs(m)), "\(label) x[\(k)]: summary.json mean") }
            }
        }
    }

    func testHistogramDensitiesIntegrateToOne() throws {
        let (_, out) = try runSmall()
        let records = try RunOutput.records(out.appendingPathComponent("histograms.csv"))
        for label in Self.labels {
            for k in 0..<Self.d {
                let rows = records.filter { $0["optimizer"] == label && $0["coordinate"] == String(k) }
                XCTAssertEqual(rows.count, Self.bins, "\(label) x[\(k)]: bins (statistics.histogram.bins = \(Self.bins))")
                var integral = 0.0, total = 0, previousUpper: Double?
                for row in rows {
                    guard let lo = row["bin_lower"].flatMap(Double.init), let hi = row["bin_upper"].flatMap(Double.init),
                          let count = row["count"].flatMap(Int.init), let density = row["density"].flatMap(Double.init) else {
                        XCTFail("\(label) x[\(k)]: unreadable histogram row \(row)"); continue
                    }
                    XCTAssertLessThan(lo, hi, "\(label) x[\(k)]: bin [\(lo), \(hi)]")
                    if let previousUpper { XCTAssertEqual(lo, previousUpper, "\(label) x[\(k)]: bins are contiguous") }
                    previousUpper = hi
                    XCTAssertGreaterThanOrEqual(count, 0)
                    XCTAssertGreaterThanOrEqual(density, 0)
                    XCTAssertEqual(count == 0, density == 0, "\(label) x[\(k)]: count \(count) vs density \(density)")
                    integral += density * (hi - lo)
                    total += count
                }
                XCTAssertEqual(integral, 1, accuracy: 1e-9, "\(label) x[\(k)]: Σ density·width")
                XCTAssertGreaterThan(total, 0, "\(label) x[\(k)]: empty histogram")
                XCTAssertLessThanOrEqual(total, Self.chains * (Self.steps - Self.burnIn), "\(label) x[\(k)]: counts exceed the samples")
            }
        }
    }

    func testTwoDimensionalHistogramDensitiesIntegrateToOne() throws {
        let (_, out) = try runSmall()
        let records = try RunOutput.records(out.appendingPathComponent("histograms2d.csv"))
        for label in Self.labels {
            let rows = records.filter { $0["optimizer"] == label }
            XCTAssertFalse(rows.isEmpty, "\(label): no 2-D histogram (default pairs: [[0, 1]])")
            XCTAssertTrue(rows.allSatisfy { $0["coordinate_x"] == "0" && $0["coordinate_y"] == "1" }, "\(label): the pair is (0, 1)")
            var integral = 0.0
            for row in rows {
                guard let x0 = row["x_lower"].flatMap(Double.init), let x1 = row["x_upper"].flatMap(Double.init),
                      let y0 = row["y_lower"].flatMap(Double.init), let y1 = row["y_upper"].flatMap(Double.init),
                      let density = row["density"].flatMap(Double.init), row["count"].flatMap(Int.init) != nil else {
                    XCTFail("\(label): unreadable 2-D histogram row \(row)"); continue
                }
                XCTAssertTrue(x0 < x1 && y0 < y1, "\(label): cell [\(x0), \(x1)]×[\(y0), \(y1)]")
                XCTAssertGreaterThanOrEqual(density, 0)
                integral += density * (x1 - x0) * (y1 - y0)
            }
            XCTAssertEqual(integral, 1, accuracy: 1e-9, "\(label): Σ density·area of the 2-D histogram")
        }
    }

    func testCovarianceIsSymmetricAndMatchesSummary() throws {
        let (_, out) = try runSmall()
        let records = try RunOutput.records(out.appendingPathComponent("covariance.csv"))
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        let optimizers = summary["optimizers"] as? [[String: Any]] ?? []
        for label in Self.labels {
            let rows = records.filter { $0["optimizer"] == label }
            XCTAssertEqual(rows.count, Self.d * Self.d, "\(label): d² rows")
            var c: [[Double?]] = Array(repeating: Array(repeating: nil, count: Self.d), count: Self.d)
            for row in rows {
                guard let i = row["row"].flatMap(Int.init), let j = row["column"].flatMap(Int.init),
                      let value = row["value"].flatMap(Double.init), (0..<Self.d).contains(i), (0..<Self.d).contains(j) else {
                    XCTFail("\(label): bad covariance row \(row)"); continue
                }
                XCTAssertNil(c[i][j], "\(label): entry (\(i), \(j)) given twice")
                c[i][j] = value
            }
            let summaryCovariance = RunOutput.matrix(optimizers.first { $0["label"] as? String == label }?["covariance"])
            XCTAssertNotNil(summaryCovariance, "\(label): summary.json covariance")
            for i in 0..<Self.d {
                XCTAssertGreaterThan(c[i][i] ?? 0, 0, "\(label): variance of x[\(i)]")
                for j in 0..<Self.d {
                    guard let a = c[i][j], let b = c[j][i] else { XCTFail("\(label): entry (\(i), \(j)) missing"); continue }
                    XCTAssertEqual(a, b, "\(label): covariance (\(i), \(j)) vs (\(j), \(i))")
                    if let s = summaryCovariance, s.count == Self.d, s[i].count == Self.d {
                        XCTAssertEqual(a, s[i][j], accuracy: 1e-12 * max(1e-300, abs(a)), "\(label): covariance.csv vs summary.json (\(i), \(j))")
                    }
                }
            }
        }
    }

    func testSummaryJSONHasTheSpecKeys() throws {
        let (_, out) = try runSmall(threads: 2)
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        XCTAssertEqual(summary["optcloud_version"] as? String, RunResult.version)
        let config = summary["config"] as? [String: Any]
        XCTAssertNotNil(config, "config is an object")
        XCTAssertEqual(config?["name"] as? String, "small")
        XCTAssertNotNil(config?["optimizers"] as? [Any], "config.optimizers (the resolved config)")
        XCTAssertEqual(RunOutput.number(summary["seed"]), 7)
        XCTAssertEqual(RunOutput.number(summary["threads"]), 2)
        let wall = RunOutput.number(summary["wall_seconds"])
        XCTAssertNotNil(wall, "wall_seconds")
        XCTAssertGreaterThanOrEqual(wall ?? -1, 0)
        XCTAssertEqual(summary["common_random_numbers"] as? Bool, true)
        let optimizers = summary["optimizers"] as? [[String: Any]] ?? []
        XCTAssertEqual(optimizers.compactMap { $0["label"] as? String }, Self.labels, "optimizers[].label in config order")
        for entry in optimizers {
            let label = entry["label"] as? String ?? "?"
            XCTAssertEqual(RunOutput.number(entry["chains"]), Double(Self.chains), "\(label).chains")
            XCTAssertEqual(RunOutput.number(entry["diverged_chains"]), 0, "\(label).diverged_chains")
            XCTAssertEqual(RunOutput.number(entry["samples"]), Double(Self.chains * (Self.steps - Self.burnIn)),
                           "\(label).samples = chains · (steps − burn_in) / thin")
            XCTAssertEqual(RunOutput.numbers(entry["minimum"]), Self.minimum, "\(label).minimum")
            let mean = RunOutput.numbers(entry["mean"]), bias = RunOutput.numbers(entry["bias"])
            let stderr = RunOutput.numbers(entry["stderr_mean"])
            XCTAssertEqual(mean?.count, Self.d, "\(label).mean")
            XCTAssertEqual(bias?.count, Self.d, "\(label).bias")
            XCTAssertEqual(stderr?.count, Self.d, "\(label).stderr_mean")
            if let mean, let bias, mean.count == Self.d, bias.count == Self.d {
                for k in 0..<Self.d { XCTAssertEqual(bias[k], mean[k] - Self.minimum[k], accuracy: 1e-12, "\(label).bias[\(k)]") }
            }
            XCTAssertTrue(stderr?.allSatisfy { $0 > 0 } ?? false, "\(label).stderr_mean > 0")
            let covariance = RunOutput.matrix(entry["covariance"])
            XCTAssertEqual(covariance?.map(\.count), [Self.d, Self.d], "\(label).covariance is d×d")
            let eigenvalues = RunOutput.numbers(entry["covariance_eigenvalues"])
            XCTAssertEqual(eigenvalues?.count, Self.d, "\(label).covariance_eigenvalues")
            if let covariance, let eigenvalues, covariance.map(\.count) == [Self.d, Self.d], eigenvalues.count == Self.d {
                let trace = covariance[0][0] + covariance[1][1]
                let determinant = covariance[0][0] * covariance[1][1] - covariance[0][1] * covariance[1][0]
                XCTAssertEqual(eigenvalues.reduce(0, +), trace, accuracy: 1e-9 * trace, "\(label): Σ eigenvalues = trace")
                XCTAssertEqual(eigenvalues.reduce(1, *), determinant, accuracy: 1e-9 * trace * trace, "\(label): Π eigenvalues = det")
                XCTAssertTrue(eigenvalues.allSatisfy { $0 > 0 }, "\(label): eigenvalues of a non-degenerate cloud are positive")
            }
        }
        XCTAssertNoThrow(try RunOutput.json(out.appendingPathComponent("theory.json")), "theory.json is a JSON object")
    }

    func testSampleFilesAreNumPyFloat64OfShapeChainsByD() throws {
        let (_, out) = try runSmall()
        let expected = try Self.expectedIterates(try RunOutput.json(out.appendingPathComponent("summary.json")))
        for label in Self.labels {
            let bytes = try Data(contentsOf: out.appendingPathComponent("samples_\(label).npy"))
            XCTAssertEqual(Array(bytes.prefix(6)), [0x93] + Array("NUMPY".utf8), "samples_\(label).npy magic")
            let npy: RunOutput.NPY
            do { npy = try RunOutput.NPY(bytes) } catch { XCTFail("samples_\(label).npy: \(error)"); continue }
            XCTAssertTrue([1, 2, 3].contains(npy.version.0), "samples_\(label).npy version \(npy.version)")
            XCTAssertTrue(npy.headerText.contains("'descr': '<f8'"), "samples_\(label).npy descr: \(npy.headerText)")
            XCTAssertTrue(npy.headerText.contains("'fortran_order': False"), "samples_\(label).npy order: \(npy.headerText)")
            XCTAssertTrue(npy.headerText.contains("'shape': (\(Self.chains), \(Self.d))"), "samples_\(label).npy shape: \(npy.headerText)")
            XCTAssertTrue(npy.headerText.hasSuffix("\n"), "samples_\(label).npy header ends with a newline")
            XCTAssertEqual(npy.dataOffset % 64, 0, "samples_\(label).npy: magic + header length is a multiple of 64")
            XCTAssertEqual(npy.data.count, Self.chains * Self.d * 8, "samples_\(label).npy: chains·d·8 data bytes")
            let values = npy.doubles
            XCTAssertTrue(values.allSatisfy(\.isFinite), "samples_\(label).npy: no chain diverged, so no NaN")
            // The final iterates of independent chains are an iid sample of the law at the last
            // step, whose mean is E[x_400] (x* to 10⁻⁹): within 5 standard errors s/√n.
            let truth = try XCTUnwrap(expected[label], label).iterates[Self.steps - 1]
            for k in 0..<Self.d {
                let column = stride(from: k, to: values.count, by: Self.d).map { values[$0] }
                let n = Double(max(2, column.count))
                let mean = column.reduce(0, +) / n
                let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
                XCTAssertLessThan(abs(mean - truth[k]) / (sd / n.squareRoot()), 5,
                                  "samples_\(label).npy: final iterates of x[\(k)]: mean \(mean), expected \(truth[k])")
            }
        }
    }

    func testFiguresAreSVG() throws {
        let (_, out) = try runSmall()
        for name in ["cloud.svg", "marginals.svg"] {
            let text = try RunOutput.text(out.appendingPathComponent(name))
            XCTAssertTrue(text.hasPrefix("<svg") || text.hasPrefix("<?xml"), "\(name) starts with \(text.prefix(40))")
            XCTAssertTrue(text.contains("</svg>"), "\(name) is not closed")
        }
    }

    func testExistingOutputDirectoryIsNeverClobberedWithoutForce() throws {
        let work = try makeTemporaryDirectory(self)
        let out = work.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        let marker = out.appendingPathComponent("precious.txt")
        try Data("keep me\n".utf8).write(to: marker)
        let result = try Optcloud.run(["run", try TestConfigs.path("small.yaml"), "--out", out.path, "--chains", "100",
                                       "--steps", "50", "--burn-in", "10"], in: work)
        assertUsageError(result, case: "existing --out without --force", mentions: ["--out", "exists"])
        XCTAssertEqual(directoryListing(out), ["precious.txt"], "the existing directory was modified")
        XCTAssertEqual(try RunOutput.text(marker), "keep me\n")
        XCTAssertEqual(directoryListing(work), ["out"], "staging (.partial) or other entries left beside the output")
    }

    /// --force replaces an earlier run's output directory (one with summary.json), stale
    /// files and all; a directory optcloud did not write is refused (CheckpointResumeTests).
    func testForceReplacesAnExistingOutputDirectory() throws {
        let work = try makeTemporaryDirectory(self)
        let out = work.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        try Data("{}\n".utf8).write(to: out.appendingPathComponent("summary.json"))
        try Data("old\n".utf8).write(to: out.appendingPathComponent("stale.txt"))
        let result = try Optcloud.run(["run", try TestConfigs.path("small.yaml"), "--out", out.path, "--force", "--quiet",
                                       "--chains", "100", "--steps", "50", "--burn-in", "10"], in: work)
        XCTAssertEqual(result.reason, .exit, result.diagnostic)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        assertOutputFiles(out, expected: Self.expectedFiles)
        XCTAssertFalse(directoryListing(out).contains("stale.txt"), "--force replaces the directory: stale files go")
        XCTAssertEqual(directoryListing(work), ["out"], "staging (.partial / .old) entries left beside the output")
        // And a second --force over a run's own output works too.
        let again = try Optcloud.run(["run", try TestConfigs.path("small.yaml"), "--out", out.path, "--force", "--quiet",
                                      "--chains", "100", "--steps", "50", "--burn-in", "10"], in: work)
        XCTAssertEqual(again.status, 0, again.diagnostic)
        XCTAssertEqual(directoryListing(work), ["out"])
    }

    func testSamplesAllHaveShapeChainsByDrawsByD() throws {
        let work = try makeTemporaryDirectory(self)
        // draws = (steps − burn_in) / thin = (40 − 10) / 3 = 10.
        let out = try RunOutput.run(try TestConfigs.path("small.yaml"), in: work,
                                    extra: ["--set", "output.samples=all", "--chains", "50", "--steps", "40", "--burn-in", "10",
                                            "--thin", "3", "--threads", "2"])
        for label in Self.labels {
            let npy = try RunOutput.NPY(try Data(contentsOf: out.appendingPathComponent("samples_\(label).npy")))
            XCTAssertTrue(npy.headerText.contains("'shape': (50, 10, 2)"), "samples: all has shape [chains, draws, d]: \(npy.headerText)")
            XCTAssertEqual(npy.dataOffset % 64, 0)
            XCTAssertEqual(npy.data.count, 50 * 10 * 2 * 8)
            XCTAssertTrue(npy.doubles.allSatisfy(\.isFinite))
        }
        let summary = try RunOutput.json(out.appendingPathComponent("summary.json"))
        for entry in summary["optimizers"] as? [[String: Any]] ?? [] {
            XCTAssertEqual(RunOutput.number(entry["samples"]), 500, "samples = chains · draws")
        }
    }

    func testSamplesNoneWritesNoSampleFiles() throws {
        let work = try makeTemporaryDirectory(self)
        let out = try RunOutput.run(try TestConfigs.path("small.yaml"), in: work,
                                    extra: ["--set", "output.samples=none", "--chains", "50", "--steps", "40", "--burn-in", "10"])
        assertOutputFiles(out, expected: Self.expectedFiles.filter { !$0.hasSuffix(".npy") })
        XCTAssertEqual(directoryListing(out).filter { $0.hasSuffix(".npy") }, [], "samples: none writes no .npy")
    }
}
