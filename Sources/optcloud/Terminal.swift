import Foundation

enum Terminal {
    static func error(_ message: String) {
        let line = "optcloud: error: " + message.replacingOccurrences(of: "\n", with: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("optcloud: warning: \(message)\n".utf8))
    }

    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}
