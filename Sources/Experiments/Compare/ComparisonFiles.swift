import Foundation

/// Where `optcloud compare` writes comparison.csv and comparison.svg. Existing comparison
/// files are replaced only with `force` (checked before any work); other files of the
/// directory are never touched. Each file is written to a hidden temporary file beside it and
/// renamed into place, so it appears complete or not at all.
public struct ComparisonFiles {
    public static let names = ["comparison.csv", "comparison.svg"]
    public let directory: URL
    let shownAs: String

    /// Creates the directory if needed; throws when a comparison file exists and `force` is off.
    public init(path: String, force: Bool) throws {
        directory = URL(fileURLWithPath: path).standardizedFileURL
        shownAs = path
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ConfigError(file: path, line: nil, key: "--out", problem: "is a file", expected: "a directory")
            }
            if !force, let existing = Self.names.first(where: { manager.fileExists(atPath: directory.appendingPathComponent($0).path) }) {
                throw ConfigError(file: (path as NSString).appendingPathComponent(existing), line: nil, key: "",
                                  problem: "already exists", expected: "--force to replace it, or another --out directory")
            }
        } else {
            do { try manager.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
                throw ConfigError(file: path, line: nil, key: "--out", problem: "cannot be created (\(error.localizedDescription))",
                                  expected: "a writable location")
            }
        }
    }

    /// Writes both files: first both to temporary files, then renames each into place.
    public func write(csv: Data, svg: Data) throws {
        let pid = ProcessInfo.processInfo.processIdentifier
        let staged = zip(Self.names, [csv, svg]).map { name, data in
            (directory.appendingPathComponent(".\(name).partial-\(pid)"), directory.appendingPathComponent(name), data)
        }
        defer { for (temporary, _, _) in staged { try? FileManager.default.removeItem(at: temporary) } }
        for (temporary, _, data) in staged { try data.write(to: temporary) }
        for (temporary, target, _) in staged where rename(temporary.path, target.path) != 0 {
            throw RenameError(path: target.path, reason: String(cString: strerror(errno)))
        }
    }

    /// The files' paths as the user named the directory.
    public var writtenPaths: [String] { Self.names.map { (shownAs as NSString).appendingPathComponent($0) } }
}

/// A staged file could not be renamed into place.
struct RenameError: Error, LocalizedError {
    let path: String
    let reason: String
    var errorDescription: String? { "cannot rename into \(path): \(reason)" }
}
