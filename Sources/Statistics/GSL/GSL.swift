import CGSL

/// A GSL routine reported an error; GSL's own abort-on-error handler is switched off.
public struct GSLError: Error, CustomStringConvertible, Sendable {
    public let routine: String
    public let status: Int32
    public var description: String {
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "status \(status)"
        return "\(routine): \(reason)"
    }
}

enum GSL {
    /// Switches GSL's abort-on-error handler off, once, before any GSL call.
    static let setUp: Void = { _ = gsl_set_error_handler_off() }()

    static func check(_ status: Int32, _ routine: String) throws {
        if status != GSL_SUCCESS { throw GSLError(routine: routine, status: status) }
    }
}

/// An owned gsl_matrix, freed when the wrapper goes.
final class GSLMatrix {
    let pointer: UnsafeMutablePointer<gsl_matrix>
    let rows: Int
    let columns: Int

    init(rows: Int, columns: Int) {
        _ = GSL.setUp
        self.rows = rows
        self.columns = columns
        pointer = gsl_matrix_calloc(rows, columns)
    }

    /// From row-major values.
    convenience init(_ values: [Double], rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns)
        for i in 0..<rows { for j in 0..<columns { self[i, j] = values[i * columns + j] } }
    }

    deinit { gsl_matrix_free(pointer) }

    subscript(i: Int, j: Int) -> Double {
        get { gsl_matrix_get(pointer, i, j) }
        set { gsl_matrix_set(pointer, i, j, newValue) }
    }

    var values: [Double] {
        var v = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows { for j in 0..<columns { v[i * columns + j] = self[i, j] } }
        return v
    }
}

/// An owned gsl_vector.
final class GSLVector {
    let pointer: UnsafeMutablePointer<gsl_vector>
    let count: Int

    init(count: Int) {
        _ = GSL.setUp
        self.count = count
        pointer = gsl_vector_calloc(count)
    }

    convenience init(_ values: [Double]) {
        self.init(count: values.count)
        for (i, v) in values.enumerated() { gsl_vector_set(pointer, i, v) }
    }

    deinit { gsl_vector_free(pointer) }

    var values: [Double] { (0..<count).map { gsl_vector_get(pointer, $0) } }
}

/// Switches GSL's abort-on-error handler off; call once at start-up. (Every wrapper also
/// makes sure of it before its first GSL call.)
public func disableGSLAbortHandler() {
    _ = GSL.setUp
}
