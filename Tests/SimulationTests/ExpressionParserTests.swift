import XCTest
@testable import Simulation

/// The formula language: precedence, numbers, constants, functions, whitespace, and every
/// error with the column it reports.
final class ExpressionParserTests: XCTestCase {
    /// f(x), the minimum given so that no search runs.
    private func value(_ formula: String, at x: [Double] = [0]) throws -> Double {
        try ExpressionObjective(formula: formula, dimension: x.count, minimum: x).value(at: x)
    }

    private func assertError(
        _ formula: String, dimension: Int = 2, column: Int, _ message: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try ExpressionObjective(formula: formula, dimension: dimension, minimum: [Double](repeating: 0, count: dimension)),
                             file: file, line: line) { error in
            XCTAssertEqual(error as? ExpressionError, ExpressionError(position: column, message: message), "formula \(formula)",
                           file: file, line: line)
        }
    }

    func testPrecedenceAndAssociativity() throws {
        XCTAssertEqual(try value("2^3^2"), 512)
        XCTAssertEqual(try value("-2^2"), -4)
        XCTAssertEqual(try value("1-2-3"), -4)
        XCTAssertEqual(try value("8/4/2"), 1)
        XCTAssertEqual(try value("2+3*4"), 14)
        XCTAssertEqual(try value("(2+3)*4"), 20)
        XCTAssertEqual(try value("2^-1"), 0.5)
        XCTAssertEqual(try value("2*-3"), -6)
        XCTAssertEqual(try value("--2"), 2)
        XCTAssertEqual(try value("+2 - -2"), 4)
        XCTAssertEqual(try value("-x[0]^2", at: [3]), -9)
        XCTAssertEqual(try value("(-x[0])^2", at: [3]), 9)
        XCTAssertEqual(try value("x[0]^3^2", at: [2]), 512)
        XCTAssertEqual(try value("x[0]-x[1]-x[2]", at: [1, 2, 3]), -4)
        XCTAssertEqual(try value("x[0]/x[1]/x[2]", at: [8, 4, 2]), 1)
        XCTAssertEqual(try value("x[0]^x[1]^x[2]", at: [2, 3, 2]), 512, accuracy: 1e-10)
        XCTAssertEqual(try value("1 - x[0]", at: [3]), -2)
        XCTAssertEqual(try value("12 / x[0]", at: [3]), 4)
    }

    func testNumbersAndConstants() throws {
        XCTAssertEqual(try value("1"), 1)
        XCTAssertEqual(try value("0.5"), 0.5)
        XCTAssertEqual(try value("1e-3"), 1e-3)
        XCTAssertEqual(try value(".5"), 0.5)
        XCTAssertEqual(try value("1."), 1)
        XCTAssertEqual(try value("2.5E+2"), 250)
        XCTAssertEqual(try value("pi"), .pi)
        XCTAssertEqual(try value("e"), 2.718281828459045)
        XCTAssertEqual(try value("2e-3"), 0.002)
        XCTAssertEqual(try value("2*e-3"), 2 * 2.718281828459045 - 3)
        XCTAssertEqual(try value("e^x[0]", at: [2]), 7.38905609893065, accuracy: 1e-14)
        XCTAssertEqual(try value("2^x[0]", at: [10]), 1024, accuracy: 1e-10)
    }

    func testFunctions() throws {
        XCTAssertEqual(try value("exp(1)"), 2.718281828459045)
        XCTAssertEqual(try value("log(e)"), 1, accuracy: 1e-15)
        XCTAssertEqual(try value("sin(pi/2)"), 1)
        XCTAssertEqual(try value("cos(0)"), 1)
        XCTAssertEqual(try value("tanh(0)"), 0)
        XCTAssertEqual(try value("sqrt(16)"), 4)
        XCTAssertEqual(try value("abs(-2)"), 2)
        XCTAssertEqual(try value("sqrt(abs(x[0]))*exp(log(2))", at: [-9]), 6, accuracy: 1e-14)
        XCTAssertEqual(try value("x[0]^0.5", at: [9]), 3)
    }

    func testWhitespaceAnywhere() throws {
        XCTAssertEqual(try value(" x [ 0 ] ^ 2 \t+\n1 ", at: [3]), 10)
        XCTAssertEqual(try value("sin ( 0 ) + 2 ^ 3"), 8)
    }

    /// Constants fold at parse time, constant operands fuse into their operation, and the
    /// double well runs on a stack of two slots.
    func testCompiledCode() throws {
        XCTAssertEqual(try ExpressionParser.program(for: "2^3^2", dimension: 1).code, [.constant(512)])
        XCTAssertEqual(try ExpressionParser.program(for: "0.3*x[0] - 1", dimension: 1).code,
                       [.variable(0), .multiplyConstant(0.3), .addConstant(-1)])
        XCTAssertEqual(try ExpressionParser.program(for: "1/x[0]", dimension: 1).code, [.variable(0), .unary(.reciprocal(1))])
        XCTAssertEqual(try ExpressionParser.program(for: "x[0]^-2", dimension: 1).code, [.variable(0), .unary(.integerPower(-2))])
        XCTAssertEqual(try ExpressionParser.program(for: "x[0]^1", dimension: 1).code, [.variable(0)])
        XCTAssertEqual(try ExpressionParser.program(for: "x[0]^0", dimension: 1).code, [.constant(1)])
        let well = try ExpressionParser.program(for: "(x[0]^2 - 1)^2 + 0.3*x[0] + 0.5*x[1]^2", dimension: 2)
        XCTAssertEqual(well.depth, 2)
        // The deeper operand of + and * goes first: two slots, not the four of left to right.
        XCTAssertEqual(try ExpressionParser.program(for: "x[0] + x[0]*(x[1]+x[0])", dimension: 2).depth, 2)
        XCTAssertEqual(try ExpressionParser.program(for: "x[0] + x[0]*x[1]", dimension: 2).depth, 2)
    }

    /// A formula that is NaN or infinite somewhere is accepted.
    func testNonFiniteValuesAreNoParseError() throws {
        XCTAssertTrue(try value("log(x[0])", at: [-1]).isNaN)
        XCTAssertEqual(try value("1/x[0]", at: [0]), .infinity)
        XCTAssertEqual(try value("1e999"), .infinity)
    }

    func testErrorsReportTheirColumn() {
        assertError("", column: 1, "empty expression")
        assertError("  \t ", column: 1, "empty expression")
        assertError("(1 + x[0]", column: 1, "unbalanced parenthesis: '(' is never closed")
        assertError("2 * ((1 + x[0])", column: 5, "unbalanced parenthesis: '(' is never closed")
        assertError("1 + x[0])", column: 9, "unbalanced parenthesis: ')' has no matching '('")
        assertError("(1))+(2", column: 4, "unbalanced parenthesis: ')' has no matching '('")
        assertError("x[0] + sinh(x[1])", column: 8, "unknown function 'sinh'")
        assertError("2*y + 1", column: 3, "unknown identifier 'y'")
        assertError("X[0]", column: 1, "unknown identifier 'X'")
        assertError("x[0]^2 + x[3]", column: 10, "x[3] is out of range for dim 2")
        assertError("x[2]", column: 1, "x[2] is out of range for dim 2")
        assertError("x[99999999999999999999]", column: 1, "x[99999999999999999999] is out of range for dim 2")
        assertError("x[1.5]", column: 3, "malformed variable: the i in x[i] must be a non-negative integer")
        assertError("x[-1]", column: 3, "malformed variable: the i in x[i] must be a non-negative integer")
        assertError("x[]", column: 3, "malformed variable: the i in x[i] must be a non-negative integer")
        assertError("x 0", column: 3, "expected '[' after 'x', as in x[0]")
        assertError("x", column: 2, "expected '[' after 'x', as in x[0]")
        assertError("x[0", column: 4, "expected ']' after x[0")
        assertError("1 2", column: 3, "unexpected '2': expected an operator")
        assertError("x[0] x[1]", column: 6, "unexpected 'x': expected an operator")
        assertError("2x[0]", column: 2, "unexpected 'x': expected an operator")
        assertError("(1 2)", column: 4, "unexpected '2': expected an operator or ')'")
        assertError("1 +", column: 4, "expected a number or x[i]")
        assertError("1 + * 2", column: 5, "expected a number or x[i]")
        assertError("()", column: 2, "expected a number or x[i]")
        assertError("2*(x[0]+)", column: 9, "expected a number or x[i]")
        assertError("x[0]^", column: 6, "expected a number or x[i]")
        assertError("-", column: 2, "expected a number or x[i]")
        assertError("1 # 2", column: 3, "unexpected character '#'")
        assertError("sin(1, 2)", column: 6, "'sin' takes one argument")
        assertError("sin 1", column: 5, "expected '(' after 'sin'")
        assertError("1 + .", column: 5, "unexpected character '.'")
        assertError("x[0]", dimension: 0, column: 1, "dim must be at least 1, not 0")
    }

    func testDescriptionNamesTheColumn() {
        XCTAssertEqual(ExpressionError(position: 7, message: "unknown function 'sinh'").description, "column 7: unknown function 'sinh'")
        XCTAssertThrowsError(try ExpressionObjective(formula: "x[0] + sinh(1)", dimension: 1, minimum: [0])) { error in
            XCTAssertEqual("\(error)", "column 8: unknown function 'sinh'")
        }
    }

    func testAMinimumOfTheWrongLengthIsAnError() {
        XCTAssertThrowsError(try ExpressionObjective(formula: "x[0]^2", dimension: 2, minimum: [0])) { error in
            XCTAssertEqual(error as? ExpressionError, ExpressionError(position: 1, message: "minimum has 1 coordinates for dim 2"))
        }
    }

    /// Adversarial sizes: deep nesting is an error, not a crashed stack; a long sum is fine.
    func testHugeFormulas() throws {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        // The error points at the 257th opener.
        XCTAssertThrowsError(try value(deep)) { error in
            XCTAssertEqual(error as? ExpressionError, ExpressionError(position: 257, message: "formula nested too deeply (over 256 levels)"))
        }
        XCTAssertThrowsError(try value(String(repeating: "-", count: 10_000) + "1")) { error in
            XCTAssertEqual((error as? ExpressionError)?.position, 257)
        }
        XCTAssertThrowsError(try value(Array(repeating: "2", count: 1000).joined(separator: "^")))
        XCTAssertEqual(try value("(((((((((((1)))))))))))"), 1)
        let sum = Array(repeating: "x[0]^2", count: 5000).joined(separator: " + ")
        XCTAssertEqual(try value(sum, at: [2]), 20_000)
    }
}
