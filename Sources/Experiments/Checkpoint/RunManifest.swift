import Foundation
import Simulation

/// What an interrupted run was: the config file and overrides to read it again, and a
/// fingerprint of everything the results depend on, so a resume continues only the same run.
public struct RunManifest: Sendable, Equatable {
    public static let format = "optcloud-checkpoint/v1"

    /// The config file, absolute, as the run read it.
    public var configPath: String
    /// The --set and dedicated options, in the order they were applied.
    public var overrides: [ConfigLoader.Override]
    public var fingerprint: String

    public init(configPath: String, overrides: [ConfigLoader.Override], config: RunConfig) {
        self.configPath = URL(fileURLWithPath: configPath).standardizedFileURL.path
        self.overrides = overrides
        self.fingerprint = Self.fingerprint(config)
    }

    /// FNV-1a 64 of the resolved config without the checkpoint keys (they change when and
    /// where state is saved, never the results), the version, and any recorded noise values
    /// (a replaced noise file changes the results under the same name).
    public static func fingerprint(_ config: RunConfig) -> String {
        var w = BinaryWriter()
        w.bytes(Array(RunResult.version.utf8))
        w.bytes(Array(config.resolvedSimulation.rendered().utf8))
        if let recorded = config.noise.noise as? RecordedNoise {
            w.int(recorded.rows)
            w.doubles(recorded.values)
        }
        return String(BinaryWriter.fnv1a(w.data), radix: 16)
    }

    var json: JSONValue {
        .object([
            ("format", .string(Self.format)), ("optcloud_version", .string(RunResult.version)),
            ("config", .string(configPath)),
            ("overrides", .array(overrides.map { .object([("assignment", .string($0.assignment)), ("source", .string($0.source))]) })),
            ("fingerprint", .string(fingerprint)),
        ])
    }

    /// Reads run.json; nil when it is missing, unreadable or of another format.
    static func read(_ url: URL) -> RunManifest? {
        guard let data = try? Data(contentsOf: url),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              object["format"] as? String == format, let path = object["config"] as? String,
              let fingerprint = object["fingerprint"] as? String, let items = object["overrides"] as? [[String: Any]]
        else { return nil }
        var overrides: [ConfigLoader.Override] = []
        for item in items {
            guard let assignment = item["assignment"] as? String, let source = item["source"] as? String else { return nil }
            overrides.append(.init(assignment, source: source))
        }
        return RunManifest(configPath: path, overrides: overrides, fingerprint: fingerprint)
    }

    private init(configPath: String, overrides: [ConfigLoader.Override], fingerprint: String) {
        (self.configPath, self.overrides, self.fingerprint) = (configPath, overrides, fingerprint)
    }
}
