/// A formula that cannot be turned into an objective, with the place to look.
///
/// `position` is the 1-based character column of the offending token in the formula
/// (one past the last character when the formula ends too early); errors that concern the
/// formula as a whole — no minimum found, a bad dimension — point at column 1.
public struct ExpressionError: Error, CustomStringConvertible, Equatable {
    public let position: Int
    public let message: String

    public init(position: Int, message: String) {
        self.position = position
        self.message = message
    }

    /// "column 7: unknown function 'sinh'"
    public var description: String { "column \(position): \(message)" }
}
