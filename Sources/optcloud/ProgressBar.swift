import Foundation
import Simulation

/// A progress bar with rate and ETA on standard error, redrawn a few times a second from its
/// own thread while the engine runs.
final class ProgressBar: @unchecked Sendable {
    private let progress: RunProgress
    private let label: String
    private let startedAt = Date()
    private var thread: Thread?
    private let stopped = NSCondition()
    private var isStopped = false

    init(progress: RunProgress, label: String) {
        self.progress = progress
        self.label = label
    }

    func start() {
        let thread = Thread { [self] in
            stopped.lock()
            while !isStopped {
                draw()
                _ = stopped.wait(until: Date().addingTimeInterval(0.25))
            }
            stopped.unlock()
        }
        self.thread = thread
        thread.start()
    }

    func stop() {
        stopped.lock()
        isStopped = true
        stopped.signal()
        stopped.unlock()
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    private func draw() {
        let done = progress.completed, total = Swift.max(1, progress.total)
        let fraction = Swift.min(1, Double(done) / Double(total))
        let elapsed = Date().timeIntervalSince(startedAt)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : .nan
        let width = 30, filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(format: "\r%@ %@ %3.0f%%  %.3g chain-steps/s  ETA %@", label, bar, fraction * 100, rate,
                          eta.isFinite ? Self.duration(eta) : "--")
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.0fs", seconds) }
        if seconds < 3600 { return String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60) }
        return String(format: "%dh%02dm", Int(seconds) / 3600, (Int(seconds) % 3600) / 60)
    }
}
