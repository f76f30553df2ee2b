import Foundation
import XCTest

/// SPEC §2/§3: every malformed input gives exit status 2 and exactly one line
/// `optcloud: error: FILE:LINE: KEY: problem (expected …)` on standard error, never a crash,
/// and never an output directory.
final class MalformedConfigTests: XCTestCase {
    /// Where the error must point.
    enum Line {
        /// `NAME.yaml:N:` must appear.
        case exact(Int)
        /// `NAME.yaml:<some line>:` must appear.
        case some
        /// No line is required (nothing to point at, e.g. an empty file).
        case unchecked
    }

    struct BadFile {
        let name: String
        let line: Line
        /// The dotted key the error must name, right after `FILE:LINE: ` when the line is exact.
        let key: String?
        /// Further substrings the error line must contain.
        let mentions: [String]

        init(_ name: String, _ line: Line, key: String?, _ mentions: [String] = []) {
            self.name = name
            self.line = line
            self.key = key
            self.mentions = mentions
        }
    }

    /// Configs/bad/NAME.yaml → what the one-line error must say.
    static let badFiles: [BadFile] = [
        // Unknown keys, with the nearest known key suggested.
        BadFile("unknown_top_level_key", .exact(6), key: "optimisers", ["did you mean 'optimizers'"]),
        BadFile("unknown_nested_key", .exact(4), key: "objective.minimun", ["did you mean 'minimum'"]),
        BadFile("unknown_optimizer_key", .exact(7), key: "optimizers.0.momentun", ["did you mean 'momentum'"]),
        // Wrong types.
        BadFile("string_for_number", .exact(3), key: "chains", ["many"]),
        BadFile("string_for_lr", .exact(7), key: "optimizers.0.lr", ["expected"]),
        BadFile("list_for_scalar", .exact(4), key: "steps", ["expected"]),
        BadFile("mapping_for_lr", .exact(9), key: "optimizers.0.lr", ["expected"]),
        BadFile("hessian_as_string", .exact(3), key: "objective.hessian", ["expected"]),
        BadFile("chains_fractional", .exact(3), key: "chains", ["10.5"]),
        // Dimensions that disagree with the objective's.
        BadFile("minimum_wrong_dimension", .exact(4), key: "objective.minimum", ["expected 2"]),
        BadFile("init_at_wrong_dimension", .exact(3), key: "init.at", ["expected 2"]),
        BadFile("noise_std_wrong_dimension", .exact(2), key: "noise.std", ["expected 2"]),
        BadFile("noise_covariance_wrong_size", .exact(4), key: "noise.covariance", ["expected 2"]),
        BadFile("hessian_not_square", .exact(3), key: "objective.hessian", ["expected"]),
        // Matrices.
        BadFile("hessian_not_symmetric", .exact(3), key: "objective.hessian", ["symmetric"]),
        BadFile("hessian_negative_eigenvalue", .exact(3), key: "objective.hessian", ["negative eigenvalue"]),
        BadFile("noise_covariance_not_psd", .exact(4), key: "noise.covariance", ["negative eigenvalue"]),
        BadFile("noise_std_negative", .exact(2), key: "noise.std", ["expected"]),
        // Learning rates.
        BadFile("negative_lr", .exact(7), key: "optimizers.0.lr", ["-0.1", "expected"]),
        BadFile("nan_lr", .exact(7), key: "optimizers.0.lr", ["expected"]),
        BadFile("inf_lr", .exact(7), key: "optimizers.0.lr", ["expected"]),
        // Run lengths.
        BadFile("burn_in_not_below_steps", .exact(5), key: "burn_in", ["expected"]),
        BadFile("thin_too_large", .exact(6), key: "thin", ["expected"]),
        BadFile("chains_zero", .exact(3), key: "chains", ["expected"]),
        // Not a config at all.
        BadFile("empty", .unchecked, key: nil, ["empty.yaml", "is empty"]),
        BadFile("comments_only", .unchecked, key: nil, ["comments_only.yaml", "is empty"]),
        BadFile("binary_garbage", .unchecked, key: nil, ["binary_garbage.yaml"]),
        BadFile("not_yaml", .exact(1), key: nil, ["expected a mapping"]),
        BadFile("yaml_syntax_error", .exact(4), key: nil, ["YAML"]),
        BadFile("yaml_unclosed_flow", .exact(5), key: nil, ["YAML"]),
        BadFile("json_syntax_error", .some, key: nil, ["YAML"]),
        BadFile("yaml_duplicate_key", .some, key: "chains", ["duplicate"]),
        // Missing or empty required parts.
        BadFile("missing_objective", .some, key: nil, ["'objective'"]),
        BadFile("missing_optimizers", .some, key: nil, ["'optimizers'"]),
        BadFile("empty_optimizer_list", .exact(6), key: "optimizers", ["empty"]),
        BadFile("missing_lr", .exact(7), key: "optimizers.0", ["'lr'"]),
        BadFile("duplicate_labels", .exact(8), key: "optimizers.1", ["'fast'"]),
        // Catalogue names.
        BadFile("unknown_optimizer_type", .exact(7), key: "optimizers.0.type", ["did you mean 'sgd'"]),
        BadFile("adam_beta_out_of_range", .exact(8), key: "optimizers.1.betas.1", ["1.5", "[0, 1)"]),
        BadFile("adamw_foreign_hyperparameter", .exact(11), key: "optimizers.0.momentum", ["unknown key"]),
        BadFile("cosine_without_t_max", .exact(10), key: "optimizers.0.schedule", ["T_max"]),
        BadFile("unknown_objective_type", .exact(1), key: "objective.type", ["'logistic-regresion' is not known", "did you mean 'logistic-regression'"]),
        BadFile("unknown_noise_type", .exact(2), key: "noise.type", ["'hesian' is not known", "did you mean 'hessian'"]),
        BadFile("student_t_df_zero", .exact(2), key: "noise.df", ["df > 0"]),
        BadFile("alpha_stable_alpha_too_large", .exact(4), key: "noise.alpha", ["(0, 2]"]),
        BadFile("expression_unbalanced", .exact(3), key: "objective.f", ["column 18", "unbalanced parenthesis"]),
        BadFile("expression_unknown_function", .exact(1), key: "objective.f", ["column 1", "unknown function 'sinh'"]),
        BadFile("expression_index_out_of_range", .exact(1), key: "objective.f", ["column 10", "x[2] is out of range"]),
        BadFile("expression_empty", .exact(1), key: "objective.f", ["empty expression"]),
        BadFile("double_well_negative_barrier", .exact(1), key: "objective.barrier", ["barrier > 0"]),
        BadFile("mixture_covariance_not_spd", .exact(5), key: "objective.covariances", ["not positive definite"]),
        BadFile("rosenbrock_dim_one", .exact(1), key: "objective.dim", ["2...1000"]),
        BadFile("batch_larger_than_n", .exact(2), key: "noise.batch_size", ["1...100"]),
        BadFile("minibatch_without_data", .exact(2), key: "noise.type", ["needs a data objective"]),
        BadFile("condition_number_below_one", .exact(1), key: "objective.condition_number", ["≥ 1"]),
        BadFile("stream_label_noise_without_batch", .exact(2), key: "noise", ["batch_size"]),
        BadFile("logistic_positive_fraction_zero", .exact(1), key: "objective.positive_fraction", ["is '0'", "(0, 1)"]),
        BadFile("logistic_positive_fraction_one", .exact(3), key: "objective.positive_fraction", ["is '1'", "(0, 1)"]),
        BadFile("logistic_margin_zero", .exact(1), key: "objective.margin", ["margin > 0"]),
        BadFile("logistic_label_flip_half", .exact(1), key: "objective.label_flip", ["0.5", "[0, 0.5)"]),
        BadFile("logistic_class_weights_wrong_length", .exact(1), key: "objective.class_weights", ["3 entries", "two class weights"]),
        BadFile("logistic_class_weights_negative", .exact(3), key: "objective.class_weights.1", ["-2", "> 0"]),
        BadFile("logistic_class_weights_misspelt", .exact(1), key: "objective.class_weights", ["'balance'", "expected balanced"]),
        BadFile("logistic_stream", .exact(1), key: "objective.n", ["stream is not supported", "no closed form"]),
        BadFile("logistic_separable_without_decay", .exact(2), key: "objective.margin",
                ["separable", "no finite minimum", "weight_decay > 0"]),
        BadFile("label_noise_on_logistic", .exact(2), key: "noise.type", ["regression"]),
        BadFile("hessian_noise_negative_scale", .exact(2), key: "noise.scale", ["-0.5", "scale ≥ 0"]),
        BadFile("hessian_noise_dense_too_large", .exact(2), key: "noise.type", ["O(d³)", "dimension ≤ 100"]),
        BadFile("checkpoint_every_zero", .exact(6), key: "checkpoint_every", ["1...4294967295"]),
        BadFile("checkpoint_seconds_negative", .exact(6), key: "checkpoint_seconds", ["0...1e9"]),
        // Combinations that make no sense.
        BadFile("nesterov_without_momentum", .exact(7), key: "optimizers.0.nesterov", ["momentum"]),
        BadFile("clip_norm_and_value", .exact(10), key: "optimizers.0.clip", ["max_norm", "max_value"]),
        BadFile("histogram_range_inverted", .exact(11), key: "statistics.histogram.range", ["lo < hi"]),
        BadFile("pairs_out_of_range", .exact(9), key: "statistics.pairs", ["expected"]),
        BadFile("target_loss_not_a_number", .exact(9), key: "statistics.target_loss", ["a number"]),
        BadFile("target_loss_path_too_long", .exact(9), key: "statistics.target_loss", ["min(chains, 256)·steps"]),
        // Names that end up in file names.
        BadFile("name_not_file_safe", .exact(1), key: "name", ["file"]),
        BadFile("label_not_file_safe", .exact(7), key: "optimizers.0.label", ["file"]),
    ]

    /// Misspelt catalogue names written with their hyper-parameters: the error must name the
    /// type (with the nearest known one), not call its parameters unknown keys.
    static let unknownTypesWithParameters: [BadFile] = [
        BadFile("unknown_noise_type_with_parameters", .exact(2), key: "noise.type", ["'hesian' is not known", "did you mean 'hessian'"]),
        BadFile("unknown_objective_type_with_parameters", .exact(1), key: "objective.type",
                ["'logistic-regresion' is not known", "did you mean 'logistic-regression'"]),
    ]

    /// Bad `sweep:` blocks, checked through `sweep` and `validate` (`run` reads the config
    /// without its sweep block).
    static let badSweepFiles: [BadFile] = [
        BadFile("sweep_unknown_key", .unchecked, key: "optimizers.0.lrr", ["sweep point 0", "did you mean 'lr'"]),
        BadFile("sweep_empty_axis", .exact(8), key: "sweep.axes.optimizers.0.lr", ["empty list"]),
        BadFile("sweep_zip_unequal", .exact(9), key: "sweep.zip.0.noise.std", ["3 values", "optimizers.0.lr has 2"]),
        BadFile("sweep_invalid_point", .unchecked, key: "optimizers.0.lr", ["sweep point 1", "-0.5"]),
        BadFile("sweep_by_names_no_axis", .exact(10), key: "sweep.collapse.0.by", ["names no axis"]),
        BadFile("sweep_by_unknown_name", .exact(10), key: "sweep.collapse.0.by", ["'noise.std' is not an axis"]),
        BadFile("sweep_unknown_metric", .exact(10), key: "sweep.collapse.0.metric", ["did you mean 'mean_norm'"]),
        BadFile("sweep_log_range_not_positive", .exact(8), key: "sweep.axes.optimizers.0.lr.log.0", ["> 0"]),
        BadFile("sweep_unknown_block_key", .exact(7), key: "sweep.axis", ["did you mean 'axes'"]),
        BadFile("sweep_no_axes", .exact(7), key: "sweep", ["no axes"]),
    ]

    /// Command lines without a bad file: arguments (CONFIG is replaced by a valid config's
    /// path) → what the error must say.
    static let badCommandLines: [(name: String, arguments: [String], mentions: [String])] = [
        ("missing config file", ["run", "does-not-exist.yaml"], ["does-not-exist.yaml"]),
        ("directory as config", ["run", "DIRECTORY"], ["directory"]),
        ("--threads 0", ["run", "CONFIG", "--threads", "0"], ["--threads"]),
        ("--threads not a number", ["run", "CONFIG", "--threads", "many"], ["--threads"]),
        ("unknown option", ["run", "CONFIG", "--bogus-option"], ["--bogus-option"]),
        ("no config argument", ["run"], ["config"]),
        ("validate without config", ["validate"], ["config"]),
        ("theory without config", ["theory"], ["config"]),
        ("unknown subcommand", ["frobnicate", "CONFIG"], ["frobnicate"]),
        ("--set without =", ["run", "CONFIG", "--set", "chains"], ["chains", "="]),
        ("--set empty key", ["run", "CONFIG", "--set", "=3"], ["--set"]),
        ("--set index out of range", ["run", "CONFIG", "--set", "optimizers.5.lr=1"], ["optimizers.5.lr"]),
        ("--set lr not a number", ["run", "CONFIG", "--set", "optimizers.0.lr=abc"], ["optimizers.0.lr", "abc"]),
        ("--set negative lr", ["run", "CONFIG", "--set", "optimizers.0.lr=-1"], ["optimizers.0.lr"]),
        ("--set misspelt key", ["run", "CONFIG", "--set", "optimisers.0.lr=1"], ["optimisers", "did you mean 'optimizers'"]),
        ("--set invalid YAML value", ["run", "CONFIG", "--set", "chains=[1"], ["chains"]),
        ("--chains 0", ["run", "CONFIG", "--chains", "0"], ["chains"]),
        ("--burn-in = steps", ["run", "CONFIG", "--steps", "100", "--burn-in", "100"], ["burn_in"]),
        ("--thin 0", ["run", "CONFIG", "--thin", "0"], ["thin"]),
        ("validate --set out of range", ["validate", "CONFIG", "--set", "optimizers.2.lr=0.1"], ["optimizers.2.lr"]),
        ("theory --set bad value", ["theory", "CONFIG", "--set", "noise.std=-1"], ["noise.std"]),
        ("sweep without config", ["sweep"], ["config"]),
        ("sweep of a config without sweep block", ["sweep", "CONFIG"], ["sweep", "is missing"]),
        ("sweep --shard out of range", ["sweep", "CONFIG", "--shard", "3/3"], ["--shard", "3/3"]),
        ("sweep --shard not K/N", ["sweep", "CONFIG", "--shard", "half"], ["--shard", "half", "K/N"]),
        ("sweep --shard auto outside a batch system", ["sweep", "CONFIG", "--shard", "auto"], ["--shard", "auto", "no batch system"]),
        ("sweep --shards without auto", ["sweep", "CONFIG", "--shard", "0/2", "--shards", "2"], ["--shards", "auto"]),
        ("sweep --collect with --shard", ["sweep", "CONFIG", "--collect", "--shard", "0/2"], ["--collect"]),
    ]

    func testCorpusAndTableAgree() throws {
        let directory = try TestConfigs.url("bad")
        let files = Set(directoryListing(directory).filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
        let listed = Self.badFiles.map(\.name) + Self.unknownTypesWithParameters.map(\.name) + Self.badSweepFiles.map(\.name)
        XCTAssertEqual(listed.count, Set(listed).count, "a case is listed twice")
        XCTAssertEqual(files, Set(listed), "Configs/bad and the tables of MalformedConfigTests must list the same cases")
        XCTAssertGreaterThanOrEqual(Self.badFiles.count, 25)
    }

    func testMalformedConfigFilesAreRejectedByRun() throws {
        for bad in Self.badFiles { try check(bad, command: "run") }
    }

    func testMalformedConfigFilesAreRejectedByValidateAndTheory() throws {
        for bad in Self.badFiles {
            try check(bad, command: "validate")
            try check(bad, command: "theory")
        }
    }

    func testMalformedSweepBlocksAreRejectedBySweepAndValidate() throws {
        for bad in Self.badSweepFiles {
            try check(bad, command: "sweep")
            try check(bad, command: "validate")
        }
    }

    func testUnknownCatalogueNamesWithTheirParametersNameTheType() throws {
        for bad in Self.unknownTypesWithParameters { try check(bad, command: "run") }
    }

    func testMalformedCommandLines() throws {
        let config = try TestConfigs.path("small.yaml")
        let aDirectory = try makeTemporaryDirectory(self)
        for (name, template, mentions) in Self.badCommandLines {
            let workDirectory = try makeTemporaryDirectory(self)
            let arguments = template.map { $0 == "CONFIG" ? config : $0 == "DIRECTORY" ? aDirectory.path : $0 }
            let result = try Optcloud.run(arguments, in: workDirectory)
            assertUsageError(result, case: name, mentions: mentions)
            XCTAssertEqual(directoryListing(workDirectory), [], "[\(name)] left files behind in the working directory")
        }
        XCTAssertEqual(directoryListing(aDirectory), [], "a directory given as config was written into")
    }

    /// An --out that is refused must not be created either.
    func testRejectedConfigDoesNotCreateTheOutDirectory() throws {
        let workDirectory = try makeTemporaryDirectory(self)
        let out = workDirectory.appendingPathComponent("nested/out")
        let result = try Optcloud.run(["run", try TestConfigs.path("bad/negative_lr.yaml"), "--out", out.path],
                                      in: workDirectory)
        assertUsageError(result, case: "negative lr with --out", mentions: ["optimizers.0.lr"])
        XCTAssertEqual(directoryListing(workDirectory), [], "a rejected run created \(directoryListing(workDirectory))")
    }

    /// A config value in range whose memory cannot be had (2³² − 1 chains, about 64 GiB of
    /// state; the address space is limited to 4 GiB so the outcome is the same on any
    /// machine) must fail with a one-line error, not a trap, and leave nothing behind.
    func testImpossibleMemoryRequestFailsCleanly() throws {
        let work = try makeTemporaryDirectory(self)
        let result = try Optcloud.run(["run", try TestConfigs.path("small.yaml"), "--out", work.appendingPathComponent("out").path,
                                       "--chains", "4294967295", "--steps", "2", "--burn-in", "1", "--threads", "2"],
                                      in: work, shellPrefix: "ulimit -v 4000000")
        XCTAssertEqual(result.reason, .exit, "terminated by a signal: \(result.diagnostic)")
        XCTAssertTrue([1, 2].contains(result.status), "exit status 1 or 2 expected: \(result.diagnostic)")
        XCTAssertEqual(result.stderrLines.count, 1, "one error line expected: \(result.diagnostic)")
        XCTAssertTrue(result.stderr.hasPrefix("optcloud: error: "), result.diagnostic)
        for signature in crashSignatures {
            XCTAssertFalse(result.stderr.contains(signature), "crash signature '\(signature)': \(result.diagnostic)")
        }
        XCTAssertEqual(directoryListing(work), [], "a failed run left \(directoryListing(work)) behind")
    }

    // MARK: helpers

    private func check(_ bad: BadFile, command: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try TestConfigs.path("bad/\(bad.name).yaml", file: file, line: line)
        let workDirectory = try makeTemporaryDirectory(self)
        let result = try Optcloud.run([command, path], in: workDirectory, file: file, line: line)
        var mentions = bad.mentions
        if let key = bad.key { mentions.append(key) }
        let label = "\(command) bad/\(bad.name).yaml"
        assertUsageError(result, case: label, mentions: mentions, file: file, line: line)
        let message = result.stderrLines.first ?? ""
        let fileName = "\(bad.name).yaml"
        switch bad.line {
        case .exact(let n):
            let location = "\(fileName):\(n): " + (bad.key ?? "")
            XCTAssertTrue(message.contains(location), "[\(label)] expected '\(location)' in: \(message)", file: file, line: line)
        case .some:
            let pattern = "\(NSRegularExpression.escapedPattern(for: fileName)):[0-9]+: "
            XCTAssertNotNil(message.range(of: pattern, options: .regularExpression),
                            "[\(label)] expected '\(fileName):LINE: ' in: \(message)", file: file, line: line)
        case .unchecked:
            XCTAssertTrue(message.contains(fileName), "[\(label)] the error does not name the file: \(message)", file: file, line: line)
        }
        XCTAssertEqual(directoryListing(workDirectory), [],
                       "[\(label)] left files behind in the working directory (output/<name>?)", file: file, line: line)
    }
}

/// Exit status exactly 2, one `optcloud: error: ` line on stderr containing `mentions`, no
/// crash, nothing on stdout.
func assertUsageError(_ result: OptcloudResult, case label: String, mentions: [String],
                      file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(result.reason, .exit, "[\(label)] terminated by a signal: \(result.diagnostic)", file: file, line: line)
    XCTAssertEqual(result.status, 2, "[\(label)] exit status: \(result.diagnostic)", file: file, line: line)
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertEqual(lines.count, 2, "[\(label)] stderr must be exactly one line: \(result.diagnostic)", file: file, line: line)
    XCTAssertTrue(result.stderr.hasSuffix("\n"), "[\(label)] stderr must end with a newline: \(result.diagnostic)", file: file, line: line)
    let message = result.stderrLines.first ?? ""
    XCTAssertTrue(message.hasPrefix("optcloud: error: "), "[\(label)] stderr must start with 'optcloud: error: ': \(message)",
                  file: file, line: line)
    for mention in mentions {
        XCTAssertTrue(message.contains(mention), "[\(label)] error must mention '\(mention)': \(message)", file: file, line: line)
    }
    for signature in crashSignatures {
        XCTAssertFalse(result.stderr.contains(signature) || result.stdout.contains(signature),
                       "[\(label)] crash signature '\(signature)': \(result.diagnostic)", file: file, line: line)
    }
    XCTAssertEqual(result.stdout, "", "[\(label)] an error must print nothing on stdout: \(result.diagnostic)", file: file, line: line)
}
