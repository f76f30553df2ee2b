/// A failure that is not the user's input (a simulation that could not finish, a disk that
/// cannot be written): reported on one line, exit status 1.
public struct RunFailure: Error, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
}

/// A run stopped by a signal (`RunStop`): exit status 128 + signal; `message` says what was
/// kept and how to continue.
public struct RunInterrupted: Error, Sendable {
    public let signal: Int32
    public let message: String
    public init(signal: Int32, message: String = "nothing was written") {
        self.signal = signal
        self.message = message
    }
}
