import Foundation

/// The output directory of a sweep: `sweep.json` (the config file, its overrides and the
/// sweep's fingerprint), `points/<p>/` (each a run's output directory) and, once every point
/// is complete, `sweep.csv`, `collapse.csv` and `sweep.svg`. Several processes (`--shard`)
/// may share it: each writes only its own points, and every shared file is written under a
/// temporary name and renamed.
public final class SweepDirectory {
    public let url: URL
    static let manifestName = "sweep.json"
    static let format = "optcloud-sweep/v1"

    private init(url: URL) { self.url = url }

    /// The directory for `sweep`: made (with sweep.json) when new or empty; continued when
    /// it holds the same sweep; with `force`, taken over when it holds another one. A
    /// directory that is not a sweep's is never touched.
    public static func open(path: String, sweep: SweepConfig, force: Bool) throws -> SweepDirectory {
        let directory = SweepDirectory(url: URL(fileURLWithPath: path).standardizedFileURL)
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory.url.path, isDirectory: &isDirectory) {
            // Another shard may have just made DIR: points/ and a sweep.json being written are ours.
            let contents = (try? manager.contentsOfDirectory(atPath: directory.url.path)) ?? []
            let ours = contents.allSatisfy { $0 == manifestName || $0 == "points" || $0.hasPrefix(".\(manifestName).tmp-") }
            guard isDirectory.boolValue, ours || contents.contains(manifestName) else {
                throw ConfigError(file: path, line: nil, key: "--out",
                                  problem: "already exists and is not the directory of a sweep (no \(manifestName))",
                                  expected: "a new directory or a sweep's")
            }
            if let fingerprint = directory.fingerprint, fingerprint != sweep.fingerprint, !force {
                throw ConfigError(file: path, line: nil, key: "--out", problem: "holds a sweep of another config or other options",
                                  expected: "the same config and options to continue it, or --force to start it again")
            }
        }
        do {
            try manager.createDirectory(at: directory.url, withIntermediateDirectories: true)
            if directory.fingerprint != sweep.fingerprint { try directory.writeAtomically(manifestName, directory.manifest(sweep)) }
            try manager.createDirectory(at: directory.url.appendingPathComponent("points"), withIntermediateDirectories: true)
            if force {
                for name in ["sweep.csv", "collapse.csv", "sweep.svg"] { try? manager.removeItem(at: directory.url.appendingPathComponent(name)) }
            }
        } catch {
            throw ConfigError(file: path, line: nil, key: "--out", problem: "cannot be written (\(error.localizedDescription))",
                              expected: "a writable location")
        }
        return directory
    }

    /// An existing sweep's directory, for `--collect`.
    public static func existing(path: String, sweep: SweepConfig) throws -> SweepDirectory {
        let directory = SweepDirectory(url: URL(fileURLWithPath: path).standardizedFileURL)
        guard let fingerprint = directory.fingerprint else {
            throw ConfigError(file: path, line: nil, key: "--collect", problem: "holds no sweep (\(manifestName))",
                              expected: "the directory a sweep of this config wrote")
        }
        guard fingerprint == sweep.fingerprint else {
            throw ConfigError(file: path, line: nil, key: "--collect", problem: "holds a sweep of another config or other options",
                              expected: "the config and options of that sweep")
        }
        return directory
    }

    /// The fingerprint in sweep.json; nil when there is none.
    var fingerprint: String? {
        guard let data = try? Data(contentsOf: url.appendingPathComponent(Self.manifestName)),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              object["format"] as? String == Self.format else { return nil }
        return object["fingerprint"] as? String
    }

    private func manifest(_ sweep: SweepConfig) -> Data {
        let document = JSONValue.object([
            ("format", .string(Self.format)), ("optcloud_version", .string(RunResult.version)),
            ("config", .string(URL(fileURLWithPath: sweep.file).standardizedFileURL.path)),
            ("overrides", .array(sweep.overrides.map { .object([("assignment", .string($0.assignment)), ("source", .string($0.source))]) })),
            ("fingerprint", .string(sweep.fingerprint)), ("points", .integer(sweep.pointCount)),
            ("axes", .array(sweep.axes.map { axis in
                .object(axis.keys.enumerated().map { j, key in (key, .array(axis.values.map { .string($0[j].text) })) })
            })),
        ])
        return Data(document.rendered().utf8)
    }

    public func pointURL(_ p: Int) -> URL { url.appendingPathComponent("points").appendingPathComponent(String(p)) }

    /// Point p's summary.json when the point is complete — `"complete": true` and the config
    /// the point has now (checkpoint keys aside) — else nil.
    public func completeSummary(point p: Int, config: RunConfig) -> [String: Any]? {
        guard let data = try? Data(contentsOf: pointURL(p).appendingPathComponent("summary.json")),
              let summary = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              summary["complete"] as? Bool == true, var recorded = summary["config"] as? [String: Any],
              var expected = (try? JSONSerialization.jsonObject(with: Data(config.resolved.rendered().utf8))) as? [String: Any]
        else { return nil }
        for key in ["checkpoint_every", "checkpoint_seconds"] {
            recorded[key] = nil
            expected[key] = nil
        }
        guard let a = try? JSONSerialization.data(withJSONObject: recorded, options: .sortedKeys),
              let b = try? JSONSerialization.data(withJSONObject: expected, options: .sortedKeys) else { return nil }
        return a == b ? summary : nil
    }

    /// Point p's output directory: its interrupted run (when its checkpoint is of this
    /// config and `restart` is false), else a new one in place of whatever was there.
    func prepare(point p: Int, config: RunConfig, manifest: RunManifest, restart: Bool) throws -> OutputDirectory {
        let path = pointURL(p).path
        if !restart, let directory = try? OutputDirectory.resume(path: path), directory.manifest.fingerprint == manifest.fingerprint {
            return directory
        }
        if FileManager.default.fileExists(atPath: path) {
            do { try FileManager.default.removeItem(atPath: path) } catch {
                throw RunFailure(message: "cannot replace \(path): \(error.localizedDescription)")
            }
        }
        return try OutputDirectory.create(path: path, force: false, manifest: manifest)
    }

    /// Writes DIR/name under a temporary name and renames it into place.
    func writeAtomically(_ name: String, _ data: Data) throws {
        let target = url.appendingPathComponent(name)
        let temporary = url.appendingPathComponent(".\(name).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try data.write(to: temporary)
        if rename(temporary.path, target.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }
    }
}
