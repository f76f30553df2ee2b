import Foundation
import XCTest
@testable import Experiments
@testable import Simulation

final class CatalogueTests: XCTestCase {
    /// The README's catalogue is `optcloud list --markdown`, kept in sync.
    func testReadmeCatalogueIsGeneratedFromTheCatalogue() throws {
        let text = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try XCTUnwrap(text.range(of: "<!-- catalogue:begin -->\n")), end = try XCTUnwrap(text.range(of: "<!-- catalogue:end -->"))
        let generated = Catalogue.Section.allCases.map { CatalogueText.render($0, markdown: true) }.joined(separator: "\n")
        XCTAssertEqual(String(text[begin.upperBound..<end.lowerBound]), generated,
                       "regenerate with: optcloud list --markdown, between the catalogue markers of README.md")
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every optimizer parses with every schedule (with the schedule's required parameters).
    func testEveryOptimizerAndScheduleInTheCatalogueParses() throws {
        let required: [String: String] = ["cosine": ", T_max: 10", "cosine-warm-restarts": ", T_0: 5", "step": ", step_size: 3",
                                          "multistep": ", milestones: [2, 4]", "exponential": ", gamma: 0.9",
                                          "sequential": ", schedules: [{type: constant}, {type: exponential, gamma: 0.5}], milestones: [3]"]
        for optimizer in Catalogue.standard.names(.optimizers) {
            for schedule in Catalogue.standard.names(.schedules) {
                let text = """
                    objective: {type: quadratic, diagonal: [1.0, 2.0]}
                    optimizers: [{type: \(optimizer), lr: 0.01, schedule: {type: \(schedule)\(required[schedule] ?? "")}}]
                    """
                let config = try ConfigLoader.parse(text: text, file: "c.yaml")
                XCTAssertEqual(config.optimizers[0].type, optimizer)
                XCTAssertEqual(config.optimizers[0].schedule.type, schedule)
            }
        }
    }

    // MARK: every name of `optcloud list`, through the parser and the runner

    /// One config per name of the catalogue: the entry with what it requires, and what its
    /// build must be — the Swift type (and, where two names build one type, the property that
    /// tells them apart), written here independently of the entries.
    struct Case {
        let section: Catalogue.Section
        let name: String
        /// The config's objective, noise and first optimizer (with its schedule).
        let objective: String, noise: String, optimizer: String
        let built: Any.Type
        /// What else tells this entry's build from another's of the same type.
        var check: (RunConfig) -> Bool = { _ in true }
    }

    static func cases(recordedFile: String) -> [Case] {
        let quadratic = "{type: quadratic, hessian: [[2, 0.5], [0.5, 1]]}", gaussian = "{type: gaussian, std: 0.3}"
        let sgd = "{type: sgd, lr: 0.01}"
        func objective(_ name: String, _ yaml: String, _ built: Any.Type) -> Case {
            Case(section: .objectives, name: name, objective: yaml, noise: gaussian, optimizer: sgd, built: built)
        }
        func noise(_ name: String, _ yaml: String, _ built: Any.Type, on objective: String = quadratic,
                   check: @escaping (RunConfig) -> Bool = { _ in true }) -> Case {
            Case(section: .noise, name: name, objective: objective, noise: yaml, optimizer: sgd, built: built, check: check)
        }
        func optimizer(_ name: String, _ extra: String, _ built: Any.Type, decay: WeightDecay.Coupling?) -> Case {
            Case(section: .optimizers, name: name, objective: quadratic, noise: gaussian, optimizer: "{type: \(name), lr: 0.01\(extra)}",
                 built: built, check: { $0.optimizers[0].decay?.coupling == decay })
        }
        func schedule(_ name: String, _ extra: String, _ built: Any.Type) -> Case {
            Case(section: .schedules, name: name, objective: quadratic, noise: gaussian,
                 optimizer: "{type: sgd, lr: 0.01, schedule: {type: \(name)\(extra)}}", built: built)
        }
        let regression = "{type: linear-regression, dim: 2, n: 40}"
        return [
            objective("quadratic", quadratic, Quadratic.self),
            objective("rosenbrock", "{type: rosenbrock}", Rosenbrock.self),
            objective("rastrigin", "{type: rastrigin}", Rastrigin.self),
            objective("styblinski-tang", "{type: styblinski-tang}", StyblinskiTang.self),
            objective("double-well", "{type: double-well}", DoubleWell.self),
            objective("gaussian-mixture", "{type: gaussian-mixture, weights: [1, 2], means: [[-1, 0], [1, 0]], covariances: [0.5, 0.5]}",
                      GaussianMixture.self),
            objective("linear-network", "{type: linear-network}", LinearNetwork.self),
            objective("linear-regression", regression, LinearRegression.self),
            objective("logistic-regression", "{type: logistic-regression, dim: 2, n: 40}", LogisticRegression.self),
            objective("expression", "{type: expression, dim: 2, f: \"x[0]^2 + 2*x[1]^2\"}", ExpressionObjective.self),

            noise("none", "{type: none}", NoNoise.self),
            noise("gaussian", "{type: gaussian, covariance: [[1, 0.2], [0.2, 1]]}", GaussianNoise.self),
            noise("hessian", "{type: hessian, scale: 0.5}", HessianNoise.self, on: "{type: rosenbrock}"),
            noise("student-t", "{type: student-t, df: 3}", StudentTNoise.self),
            noise("alpha-stable", "{type: alpha-stable, alpha: 1.5}", AlphaStableNoise.self),
            noise("minibatch", "{type: minibatch, batch_size: 5}", MinibatchNoise.self, on: regression,
                  check: { ($0.noise.noise as? MinibatchNoise)?.labelNoiseStd == 0 }),
            noise("label-noise", "{type: label-noise, std: 0.25}", MinibatchNoise.self, on: regression,
                  check: { ($0.noise.noise as? MinibatchNoise)?.labelNoiseStd == 0.25 }),
            noise("recorded", "{type: recorded, file: \"\(recordedFile)\"}", RecordedNoise.self),

            optimizer("sgd", ", momentum: 0.5", SGD.self, decay: .coupled),
            optimizer("adam", "", Adam.self, decay: .coupled),
            optimizer("adamw", "", Adam.self, decay: .decoupled),
            optimizer("rmsprop", "", RMSprop.self, decay: .coupled),
            optimizer("adagrad", "", Adagrad.self, decay: .coupled),
            optimizer("adamax", "", Adamax.self, decay: .coupled),
            optimizer("nadam", "", NAdam.self, decay: .coupled),
            optimizer("radam", "", RAdam.self, decay: .coupled),
            optimizer("lion", "", Lion.self, decay: .decoupled),
            optimizer("signsgd", "", SignSGD.self, decay: nil),
            optimizer("signum", "", Signum.self, decay: nil),
            optimizer("sgld", ", temperature: 0.5", SGLD.self, decay: .coupled),

            schedule("constant", "", ConstantSchedule.self),
            schedule("linear", "", LinearSchedule.self),
            schedule("cosine", ", T_max: 10", CosineSchedule.self),
            schedule("cosine-warm-restarts", ", T_0: 5", CosineWarmRestartsSchedule.self),
            schedule("step", ", step_size: 3", StepSchedule.self),
            schedule("multistep", ", milestones: [2, 4]", MultiStepSchedule.self),
            schedule("exponential", ", gamma: 0.9", ExponentialSchedule.self),
            schedule("inverse-sqrt", "", InverseSqrtSchedule.self),
            schedule("sequential", ", schedules: [{type: constant}, {type: exponential, gamma: 0.5}], milestones: [3]",
                     SequentialSchedule.self),
        ]
    }

    /// The names `optcloud list` prints, per section: the lines "  name: summary".
    static func listedNames(_ section: Catalogue.Section) -> [String] {
        CatalogueText.render(section, markdown: false).split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line.dropFirst(2)[..<colon])
            return name == "every optimizer" ? nil : name
        }
    }

    /// Every name `optcloud list` prints goes through the parser and the runner and builds the
    /// entry it names — its own type, not a neighbour's or a default's (a `default:` in a
    /// parser or a misregistered entry fails here) — and the runner simulates exactly what
    /// the config holds.
    func testEveryListedNameBuildsTheNamedEntryThroughTheParserAndTheRunner() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optcloud-catalogue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let recorded = directory.appendingPathComponent("noise.csv")
        try "x0,x1\n0.5,-0.2\n-0.3,0.1\n0.1,0.4\n".write(to: recorded, atomically: true, encoding: .utf8)
        let cases = Self.cases(recordedFile: recorded.path)
        for section in Catalogue.Section.allCases {
            let listed = Self.listedNames(section)
            XCTAssertEqual(listed, Catalogue.standard.names(section), "optcloud list prints the registry (\(section))")
            XCTAssertEqual(Set(cases.filter { $0.section == section }.map(\.name)), Set(listed),
                           "every listed \(section.singular) has a case here, and nothing else")
        }
        for c in cases {
            let text = """
                seed: 7
                objective: \(c.objective)
                noise: \(c.noise)
                chains: 40
                steps: 12
                burn_in: 4
                optimizers: [\(c.optimizer)]
                output: {samples: final}
                """
            let config = try ConfigLoader.parse(text: text, file: directory.appendingPathComponent("c.yaml").path)
            let spec = config.optimizers[0]
            let built: Any, resolvedType: String
            switch c.section {
            case .objectives: (built, resolvedType) = (config.objective.objective, config.objective.type)
            case .noise: (built, resolvedType) = (config.noise.noise, config.noise.type)
            case .optimizers: (built, resolvedType) = (spec.optimizer, spec.type)
            case .schedules: (built, resolvedType) = (spec.schedule.make(baseLR: spec.lr), spec.schedule.type)
            }
            XCTAssertEqual(resolvedType, c.name, "\(c.name): the config records the name it was given")
            XCTAssertTrue(type(of: built) == c.built, "\(c.name) built a \(type(of: built)), expected \(c.built)")
            XCTAssertTrue(c.check(config), "\(c.name): built the wrong variant")
            if c.section == .optimizers {
                let entry = try XCTUnwrap(Catalogue.standard.optimizer(c.name))
                XCTAssertTrue(entry.rule == c.built, "\(c.name): the entry declares the rule \(entry.rule)")
            }

            let simulator = CloudRunner.simulator(config, optimizer: 0)
            XCTAssertTrue(type(of: simulator.objective) == type(of: config.objective.objective), c.name)
            XCTAssertTrue(type(of: simulator.noise) == type(of: config.noise.noise), c.name)
            XCTAssertTrue(type(of: simulator.optimizer) == type(of: spec.optimizer), c.name)
            XCTAssertEqual(simulator.weightDecay, spec.decay, c.name)
            if c.section == .schedules { XCTAssertTrue(type(of: simulator.schedule) == c.built, c.name) }
            let cloud = try XCTUnwrap(simulator.run(threads: 1), c.name)
            XCTAssertEqual(cloud.chains, 40, c.name)
            XCTAssertEqual(cloud.finalIterates.count, 40 * config.dimension, c.name)
        }
    }

    /// A name the catalogue does not list is an error naming the section's entries, never a
    /// silent default.
    func testAnUnknownNameIsAnError() {
        let documents = [
            ("objective: {type: quadratc, diagonal: [1]}\noptimizers: [{type: sgd, lr: 0.1}]", "objective"),
            ("objective: {type: quadratic, diagonal: [1]}\nnoise: {type: gausian, std: 1}\noptimizers: [{type: sgd, lr: 0.1}]", "noise"),
            ("objective: {type: quadratic, diagonal: [1]}\noptimizers: [{type: sgdd, lr: 0.1}]", "optimizers.0"),
            ("objective: {type: quadratic, diagonal: [1]}\noptimizers: [{type: sgd, lr: 0.1, schedule: {type: cosin}}]", "schedule"),
        ]
        for (text, key) in documents {
            XCTAssertThrowsError(try ConfigLoader.parse(text: text, file: "c.yaml")) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains(key) && message.contains("type"), message)
            }
        }
    }
}
