import Foundation

/// Writes a run's files into a hidden staging directory beside the target and renames it
/// into place at the end, so the output directory appears complete or not at all. An
/// existing directory is replaced only when `force` is set.
public final class OutputDirectory {
    public let url: URL
    let staging: URL
    private var committed = false

    public init(path: String, force: Bool) throws {
        url = URL(fileURLWithPath: path).standardizedFileURL
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), !force {
            throw ConfigError(file: path, line: nil, key: "--out", problem: "already exists",
                              expected: "a new directory, or --force to replace it")
        }
        let parent = url.deletingLastPathComponent()
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            staging = parent.appendingPathComponent(".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
            try? manager.removeItem(at: staging)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw ConfigError(file: path, line: nil, key: "--out", problem: "cannot be created (\(error.localizedDescription))",
                              expected: "a writable location")
        }
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(at: staging) }
    }

    public func write(_ name: String, _ data: Data) throws {
        try data.write(to: staging.appendingPathComponent(name))
    }

    public func write(_ name: String, text: String) throws { try write(name, Data(text.utf8)) }

    /// Moves the staged files into place, replacing an existing directory (only reachable
    /// with --force).
    public func commit() throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: url.path) {
            let old = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
            try manager.moveItem(at: url, to: old)
            try manager.moveItem(at: staging, to: url)
            try? manager.removeItem(at: old)
        } else {
            try manager.moveItem(at: staging, to: url)
        }
        committed = true
    }
}
