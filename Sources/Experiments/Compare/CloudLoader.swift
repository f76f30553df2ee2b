import Foundation
import Statistics

/// Reads the clouds of run directories: summary.json (required), samples_<label>.npy and
/// basins.csv (each when present). Every problem with the files is a `ConfigError` naming
/// the file and key (exit status 2); nothing read from a file is trusted unchecked.
public enum CloudLoader {
    /// Every optimizer of every directory, in order, named `<basename>/<label>`; when two
    /// directories share a basename, their names use the path as given instead.
    public static func load(_ paths: [String]) throws -> [CloudRecord] {
        var seen: Set<String> = []
        for path in paths {
            let key = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            if !seen.insert(key).inserted {
                throw ConfigError(file: path, line: nil, key: "", problem: "is given twice", expected: "each run directory once")
            }
        }
        var clouds: [CloudRecord] = []
        for path in paths { clouds += try loadDirectory(path) }
        let basenames = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }
        let collide = Set(basenames.filter { b in basenames.filter { $0 == b }.count > 1 })
        for i in clouds.indices {
            let base = clouds[i].directory.lastPathComponent
            if collide.contains(base), let given = paths.first(where: { URL(fileURLWithPath: $0).standardizedFileURL == clouds[i].directory }) {
                clouds[i].name = printable(given) + "/" + clouds[i].label
            } else {
                clouds[i].name = printable(base) + "/" + clouds[i].label
            }
        }
        return clouds
    }

    /// A directory name with control characters shown escaped (`\u{1b}`), as cloud names are
    /// printed to the terminal and written to comparison.csv.
    static func printable(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The clouds of one run directory.
    static func loadDirectory(_ path: String) throws -> [CloudRecord] {
        let directory = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError(file: path, line: nil, key: "", problem: "no such run directory",
                              expected: "a directory written by optcloud run")
        }
        let summaryURL = directory.appendingPathComponent("summary.json")
        let summaryPath = (path as NSString).appendingPathComponent("summary.json")
        let data: Data
        do { data = try Data(contentsOf: summaryURL) } catch {
            throw ConfigError(file: summaryPath, line: nil, key: "", problem: "cannot be read",
                              expected: "the summary.json of an optcloud run")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ConfigError(file: summaryPath, line: nil, key: "", problem: "is not a JSON object",
                              expected: "the summary.json of an optcloud run")
        }
        let summary = SummaryReader(file: summaryPath, object: object)
        let optimizers = try summary.optimizers()
        let basins = try BasinTable.load(directory: directory, path: path)
        var clouds: [CloudRecord] = []
        for (index, entry) in optimizers.enumerated() {
            let fields = try summary.optimizer(entry, index: index)
            let samplesFile = "samples_\(fields.label).npy"
            let samples = try SampleFile.load(directory.appendingPathComponent(samplesFile),
                                              shownAs: (path as NSString).appendingPathComponent(samplesFile),
                                              dimension: fields.fit.dimension)
            clouds.append(CloudRecord(name: fields.label, directory: directory, label: fields.label, fit: fields.fit,
                                      bias: fields.bias, minimum: fields.minimum, flatness: fields.flatness,
                                      occupancy: basins?[fields.label] ?? (basins == nil ? nil : []), samples: samples))
        }
        return clouds
    }
}

/// The keys of summary.json that a comparison reads, checked one by one.
struct SummaryReader {
    let file: String
    let object: [String: Any]

    struct Fields {
        let label: String
        let fit: GaussianFit
        let bias: [Double]
        let minimum: [Double]?
        let flatness: Double
    }

    func optimizers() throws -> [[String: Any]] {
        guard let list = object["optimizers"] as? [Any], !list.isEmpty else {
            throw problem("optimizers", "is missing or empty", "a list of optimizer summaries")
        }
        return try list.enumerated().map { i, item in
            guard let entry = item as? [String: Any] else { throw problem("optimizers.\(i)", "is not an object", "an optimizer summary") }
            return entry
        }
    }

    func optimizer(_ entry: [String: Any], index i: Int) throws -> Fields {
        let key = "optimizers.\(i)"
        guard let label = entry["label"] as? String, !label.isEmpty, label != ".", label != "..", !label.contains("/"),
              !label.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }) else {
            throw problem("\(key).label", "is missing or not a file-name safe string", "the optimizer's label")
        }
        guard let mean = try numbers(entry["mean"], "\(key).mean"), !mean.isEmpty else {
            throw problem("\(key).mean", "is missing or empty", "the cloud's mean, d numbers")
        }
        let d = mean.count
        guard let rows = entry["covariance"] as? [Any], rows.count == d else {
            throw problem("\(key).covariance", "is missing or not \(d) rows", "a \(d)×\(d) matrix")
        }
        var covariance: [Double] = []
        for (r, row) in rows.enumerated() {
            guard let values = try numbers(row, "\(key).covariance.\(r)"), values.count == d else {
                throw problem("\(key).covariance.\(r)", "is not \(d) numbers", "a \(d)×\(d) matrix")
            }
            covariance += values
        }
        let minimum = try numbers(entry["minimum"], "\(key).minimum")
        if let minimum, minimum.count != d { throw problem("\(key).minimum", "has \(minimum.count) numbers", "\(d), as the mean") }
        let bias = try numbers(entry["bias"], "\(key).bias") ?? minimum.map { m in (0..<d).map { mean[$0] - m[$0] } }
            ?? [Double](repeating: .nan, count: d)
        if bias.count != d { throw problem("\(key).bias", "has \(bias.count) numbers", "\(d), as the mean") }
        var flatness = Double.nan
        if let value = entry["hessian_trace_at_mean"], !(value is NSNull) {
            guard let number = Self.number(value) else {
                throw problem("\(key).hessian_trace_at_mean", "is not a number", "the Hessian trace at the mean, or null")
            }
            flatness = number
        }
        return Fields(label: label, fit: GaussianFit(mean: mean, covariance: covariance), bias: bias, minimum: minimum, flatness: flatness)
    }

    /// A list of numbers (null → NaN, JSON having no NaN); nil when the key is absent.
    func numbers(_ value: Any?, _ key: String) throws -> [Double]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let items = value as? [Any] else { throw problem(key, "is not a list", "a list of numbers") }
        return try items.map { item in
            if item is NSNull { return .nan }
            guard let x = Self.number(item) else { throw problem(key, "holds a non-number", "a list of numbers") }
            return x
        }
    }

    static func number(_ value: Any) -> Double? {
        (value as? NSNumber)?.doubleValue
    }

    func problem(_ key: String, _ what: String, _ expected: String) -> ConfigError {
        ConfigError(file: file, line: nil, key: key, problem: what, expected: expected)
    }
}
