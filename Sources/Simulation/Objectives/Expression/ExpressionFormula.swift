/// A formula of the expression language (`ExpressionParser`'s grammar) over x[0] … x[n − 1],
/// evaluated at one point: for expressions that are not landscapes, such as the `by` of a
/// sweep's collapse hypothesis.
public struct ExpressionFormula: Sendable {
    public let text: String
    public let variables: Int
    let program: ExpressionProgram

    /// - Throws: `ExpressionError`, with the column of the offending token.
    public init(_ text: String, variables: Int) throws {
        guard variables >= 1 else { throw ExpressionError(position: 1, message: "a formula needs at least one variable") }
        program = try ExpressionParser.program(for: text, dimension: variables)
        self.text = text
        self.variables = variables
    }

    /// The formula at x (`variables` values).
    public func value(_ x: [Double]) -> Double {
        precondition(x.count == variables, "a value per variable")
        return x.withUnsafeBufferPointer { program.value(at: $0.baseAddress!) }
    }
}
