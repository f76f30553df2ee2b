import Foundation

/// A run's output directory (SPEC §5). Files appear whole or not at all: each is written in
/// a hidden staging directory inside DIR and renamed into place. While the run goes, DIR
/// holds its checkpoint (DIR/checkpoint/, `CheckpointStore`); at the end the results are
/// moved in and the checkpoint removed; after an interruption DIR keeps the checkpoint and
/// the results finished so far. A directory that is not a new one is touched only with
/// `--force` (or `--resume`), and `--force` refuses to empty a directory that optcloud did
/// not write.
public final class OutputDirectory {
    public let url: URL
    public let checkpoint: CheckpointStore
    public let manifest: RunManifest
    /// This process made DIR, so a failed run removes it again.
    private let createdHere: Bool
    private var stagingURL: URL?

    static let checkpointName = "checkpoint"

    private init(url: URL, checkpoint: CheckpointStore, manifest: RunManifest, createdHere: Bool) {
        (self.url, self.checkpoint, self.manifest, self.createdHere) = (url, checkpoint, manifest, createdHere)
    }

    /// For a new run: DIR must not exist, or `force` must be set and DIR be empty or an
    /// optcloud output directory (with summary.json or a checkpoint), whose contents are
    /// then removed.
    public static func create(path: String, force: Bool, manifest: RunManifest) throws -> OutputDirectory {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: url.path, isDirectory: &isDirectory)
        if exists {
            guard force else {
                if CheckpointStore.open(at: url.appendingPathComponent(checkpointName)) != nil {
                    throw ConfigError(file: path, line: nil, key: "--out", problem: "holds an interrupted run",
                                      expected: "--resume \(path) to continue it, or --force to start it again")
                }
                throw ConfigError(file: path, line: nil, key: "--out", problem: "already exists",
                                  expected: "a new directory, or --force to replace it")
            }
            let contents = (try? manager.contentsOfDirectory(atPath: url.path)) ?? []
            let ours = contents.isEmpty || contents.contains("summary.json") || contents.contains(checkpointName)
            guard isDirectory.boolValue, ours else {
                throw ConfigError(file: path, line: nil, key: "--force", problem: "will not replace \(isDirectory.boolValue ? "a directory" : "a file") that optcloud did not write",
                                  expected: "an optcloud output directory (with summary.json or checkpoint/) or a new path")
            }
        }
        do {
            if exists {
                for item in try manager.contentsOfDirectory(atPath: url.path) {
                    try manager.removeItem(at: url.appendingPathComponent(item))
                }
            } else {
                try manager.createDirectory(at: url, withIntermediateDirectories: true)
            }
            let store = try CheckpointStore.create(at: url.appendingPathComponent(checkpointName), manifest: manifest)
            return OutputDirectory(url: url, checkpoint: store, manifest: manifest, createdHere: !exists)
        } catch {
            if !exists { try? manager.removeItem(at: url) }
            throw ConfigError(file: path, line: nil, key: "--out", problem: "cannot be created (\(error.localizedDescription))",
                              expected: "a writable location")
        }
    }

    /// The directory of an interrupted run, with its checkpoint.
    public static func resume(path: String) throws -> OutputDirectory {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard let (store, manifest) = CheckpointStore.open(at: url.appendingPathComponent(checkpointName)) else {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw ConfigError(file: path, line: nil, key: "--resume",
                              problem: exists ? "holds no checkpoint (\(checkpointName)/run.json)" : "does not exist",
                              expected: "the output directory of an interrupted run")
        }
        return OutputDirectory(url: url, checkpoint: store, manifest: manifest, createdHere: false)
    }

    private func staging() throws -> URL {
        if let stagingURL { return stagingURL }
        let staging = url.appendingPathComponent(".staging-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        stagingURL = staging
        return staging
    }

    /// Stages one file (renamed into place by `publish`).
    public func write(_ name: String, _ data: Data) throws {
        try data.write(to: try staging().appendingPathComponent(name))
    }

    public func write(_ name: String, text: String) throws { try write(name, Data(text.utf8)) }

    /// Renames every staged file into DIR, each replacing its old version in one step.
    public func publish() throws {
        guard let stagingURL else { return }
        let manager = FileManager.default
        for name in try manager.contentsOfDirectory(atPath: stagingURL.path).sorted() {
            let target = url.appendingPathComponent(name)
            if rename(stagingURL.appendingPathComponent(name).path, target.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
            }
        }
        try manager.removeItem(at: stagingURL)
        self.stagingURL = nil
    }

    /// The run is complete: publishes the results and removes the checkpoint.
    public func commit() throws {
        try publish()
        try FileManager.default.removeItem(at: checkpoint.directory)
    }

    /// The run failed: removes what this run wrote (all of DIR when it made it; the staging
    /// directory otherwise, keeping an earlier checkpoint).
    public func abandon() {
        if let stagingURL { try? FileManager.default.removeItem(at: stagingURL) }
        stagingURL = nil
        if createdHere { try? FileManager.default.removeItem(at: url) }
    }
}
