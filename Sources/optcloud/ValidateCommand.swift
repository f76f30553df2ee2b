import ArgumentParser
import Experiments
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a config without running it; print the resolved config and the estimated memory and time.",
        discussion: """
        For a sweep config every point is checked; the resolved config of point 0, the grid and the estimate for the \
        whole sweep are printed. Warns (standard error) where the linear theory already says an optimizer is unstable.
        """
    )

    @OptionGroup var options: ConfigOptions

    func validate() throws { try options.requireConfig() }

    func run() throws {
        let cores = AvailableCPUs.count
        if let path = options.config, ConfigLoader.isSweep(path: path) {
            try validateSweep(path, cores: cores)
            return
        }
        let config = try options.load()
        print(config.resolved.rendered(), terminator: "")
        let estimate = ResourceEstimate(config)
        print("estimated memory: \(estimate.memoryDescription)")
        print("estimated time: \(estimate.timeDescription) on \(cores) cores (release build)")
        for spec in config.optimizers {
            if let reason = TheoryComparison(config: config, optimizer: spec).instability {
                Terminal.warning("'\(spec.label)' is unstable by the linear theory: \(reason); its chains will diverge")
            }
        }
    }

    private func validateSweep(_ path: String, cores: Int) throws {
        let sweep = try SweepConfig.load(path: path, overrides: options.overrides)
        print(try sweep.config(point: 0).resolved.rendered(), terminator: "")
        let runs = sweep.estimates.count
        print("sweep: \(sweep.pointCount) point\(sweep.pointCount == 1 ? "" : "s"), each with the config's seed")
        for axis in sweep.axes {
            let spacing = axis.spacing == .list ? "" : ", \(axis.spacing == .log ? "log" : "linearly") spaced"
            for (j, key) in axis.keys.enumerated() {
                let values = axis.values.map { $0[j].text }
                let shown = values.count > 8 ? values.prefix(4).joined(separator: ", ") + ", …, " + values.suffix(2).joined(separator: ", ")
                                             : values.joined(separator: ", ")
                print("  \(key): \(shown) (\(values.count) values\(spacing)\(axis.keys.count > 1 ? ", zipped with \(axis.keys.filter { $0 != key }.joined(separator: ", "))" : ""))")
            }
        }
        for hypothesis in sweep.collapse { print("  collapse: \(hypothesis.metric) by \(hypothesis.by)") }
        let bytes = sweep.estimates.map(\.bytes).max() ?? 0
        let seconds = sweep.estimates.reduce(0) { $0 + $1.seconds }
        print("estimated memory: \(ResourceEstimate.format(bytes)) (the largest point; points run one after another)")
        print("estimated time: \(seconds < 1 ? "under a second" : String(format: "about %.2g s", seconds)) for \(runs) points "
              + "on \(cores) cores (release build)")
        var labels: [String] = []
        for instability in sweep.instabilities where !labels.contains(instability.label) { labels.append(instability.label) }
        for label in labels {
            let points = sweep.instabilities.filter { $0.label == label }
            let list = points.prefix(10).map { String($0.point) }.joined(separator: ", ") + (points.count > 10 ? ", …" : "")
            Terminal.warning("'\(label)' is unstable by the linear theory at \(points.count) of \(sweep.pointCount) points "
                             + "(\(list); at point \(points[0].point): \(points[0].reason)); they will diverge, which the sweep records")
        }
    }
}
