/// A formula compiled to postfix code for a stack machine, evaluated three ways: values
/// (`ExpressionProgram+Value`), values with gradients over a block of chains
/// (`+Gradient`), and values with gradients and Hessians at one point (`+Hessian`).
struct ExpressionProgram: Sendable, Equatable {
    let code: [ExpressionInstruction]
    let dimension: Int
    /// The most stack slots the code occupies at once.
    let depth: Int

    init(code: [ExpressionInstruction], dimension: Int) {
        var height = 0, deepest = 0
        for instruction in code {
            switch instruction {
            case .constant, .variable: height += 1
            case .add, .subtract, .multiply, .divide: height -= 1
            case .negate, .addConstant, .multiplyConstant, .divideByConstant, .unary: break
            }
            precondition(height >= 1, "stack underflow in compiled formula")
            deepest = Swift.max(deepest, height)
        }
        precondition(height == 1, "a compiled formula leaves one value")
        self.code = code
        self.dimension = dimension
        self.depth = deepest
    }
}
