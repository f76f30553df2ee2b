import CGSL

/// Dense linear algebra on row-major square matrices, through GSL.
public enum LinearAlgebra {
    /// Eigenvalues (ascending) and eigenvectors (columns of a row-major matrix) of a
    /// symmetric matrix: gsl_eigen_symmv.
    public static func symmetricEigen(_ a: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        let m = GSLMatrix(a, rows: n, columns: n)
        let values = GSLVector(count: n)
        let vectors = GSLMatrix(rows: n, columns: n)
        guard let workspace = gsl_eigen_symmv_alloc(n) else { throw GSLError(routine: "gsl_eigen_symmv_alloc", status: Int32(GSL_ENOMEM)) }
        defer { gsl_eigen_symmv_free(workspace) }
        try GSL.check(gsl_eigen_symmv(m.pointer, values.pointer, vectors.pointer, workspace), "gsl_eigen_symmv")
        try GSL.check(gsl_eigen_symmv_sort(values.pointer, vectors.pointer, GSL_EIGEN_SORT_VAL_ASC), "gsl_eigen_symmv_sort")
        return (values.values, vectors.values)
    }

    /// The largest modulus of the eigenvalues of a general matrix: gsl_eigen_nonsymm.
    public static func spectralRadius(_ a: [Double], n: Int) throws -> Double {
        let m = GSLMatrix(a, rows: n, columns: n)
        guard let values = gsl_vector_complex_alloc(n) else { throw GSLError(routine: "gsl_vector_complex_alloc", status: Int32(GSL_ENOMEM)) }
        defer { gsl_vector_complex_free(values) }
        guard let workspace = gsl_eigen_nonsymm_alloc(n) else { throw GSLError(routine: "gsl_eigen_nonsymm_alloc", status: Int32(GSL_ENOMEM)) }
        defer { gsl_eigen_nonsymm_free(workspace) }
        try GSL.check(gsl_eigen_nonsymm(m.pointer, values, workspace), "gsl_eigen_nonsymm")
        var radius = 0.0
        for i in 0..<n {
            let z = gsl_vector_complex_get(values, i)
            radius = max(radius, (z.dat.0 * z.dat.0 + z.dat.1 * z.dat.1).squareRoot())
        }
        return radius
    }

    /// Lower-triangular L with a = L Lᵀ (row-major): gsl_linalg_cholesky_decomp1.
    /// Throws when `a` is not positive definite.
    public static func cholesky(_ a: [Double], n: Int) throws -> [Double] {
        let m = GSLMatrix(a, rows: n, columns: n)
        try GSL.check(gsl_linalg_cholesky_decomp1(m.pointer), "gsl_linalg_cholesky_decomp1")
        var l = m.values
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { l[i * n + j] = 0 } }
        return l
    }

    /// Solves a·x = b by LU decomposition with partial pivoting: gsl_linalg_LU_solve.
    public static func solve(_ a: [Double], _ b: [Double], n: Int) throws -> [Double] {
        let m = GSLMatrix(a, rows: n, columns: n)
        guard let permutation = gsl_permutation_alloc(n) else { throw GSLError(routine: "gsl_permutation_alloc", status: Int32(GSL_ENOMEM)) }
        defer { gsl_permutation_free(permutation) }
        var sign: Int32 = 0
        try GSL.check(gsl_linalg_LU_decomp(m.pointer, permutation, &sign), "gsl_linalg_LU_decomp")
        if gsl_linalg_LU_det(m.pointer, sign) == 0 { throw GSLError(routine: "gsl_linalg_LU_solve", status: Int32(GSL_ESING)) }
        let rhs = GSLVector(b)
        let x = GSLVector(count: n)
        try GSL.check(gsl_linalg_LU_solve(m.pointer, permutation, rhs.pointer, x.pointer), "gsl_linalg_LU_solve")
        return x.values
    }

    /// a·b for n×n row-major matrices, with optional transposes: gsl_blas_dgemm.
    public static func multiply(_ a: [Double], _ b: [Double], n: Int, transposeA: Bool = false, transposeB: Bool = false) -> [Double] {
        let ma = GSLMatrix(a, rows: n, columns: n), mb = GSLMatrix(b, rows: n, columns: n)
        let c = GSLMatrix(rows: n, columns: n)
        _ = gsl_blas_dgemm(transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                           1.0, ma.pointer, mb.pointer, 0.0, c.pointer)
        return c.values
    }

    /// A Haar-distributed rotation: Q of the QR decomposition of a Gaussian matrix, with the
    /// signs fixed by R's diagonal (Mezzadri 2007). `gaussian` holds n² standard normals.
    public static func orthogonal(fromGaussian gaussian: [Double], n: Int) throws -> [Double] {
        let m = GSLMatrix(gaussian, rows: n, columns: n)
        let tau = GSLVector(count: n)
        try GSL.check(gsl_linalg_QR_decomp(m.pointer, tau.pointer), "gsl_linalg_QR_decomp")
        let q = GSLMatrix(rows: n, columns: n), r = GSLMatrix(rows: n, columns: n)
        try GSL.check(gsl_linalg_QR_unpack(m.pointer, tau.pointer, q.pointer, r.pointer), "gsl_linalg_QR_unpack")
        var values = q.values
        for j in 0..<n where r[j, j] < 0 {
            for i in 0..<n { values[i * n + j] = -values[i * n + j] }
        }
        return values
    }
}
