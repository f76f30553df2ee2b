/// A square root F of the positive semi-definite part of a symmetric matrix, F Fᵀ = H₊, with
/// H₊ = V diag(max(λ, 0)) Vᵀ for H = V diag(λ) Vᵀ: negative curvature is clamped to zero.
///
/// F is the Cholesky factor when H is positive definite (every pivot > 0, O(d³/6)), and
/// V diag(√max(λ, 0)) from cyclic Jacobi rotations otherwise (H singular or indefinite). Both
/// work in caller-provided buffers, so state-dependent noise can factor a Hessian per chain
/// and step without allocating.
public enum PSDFactor {
    /// Doubles of workspace `factor` needs beside the matrix: d² (the factor) + d (eigenvalues).
    public static func workspace(order n: Int) -> Int { n * n + n }

    /// Writes F (row-major n×n) with F Fᵀ = H₊ into `factor`, reading H from `h` (which it
    /// overwrites when H is not positive definite). Returns whether H was positive definite.
    @discardableResult
    public static func factor(
        _ h: UnsafeMutablePointer<Double>, order n: Int, into factor: UnsafeMutablePointer<Double>
    ) -> Bool {
        if cholesky(h, order: n, into: factor) { return true }
        jacobi(h, order: n, vectors: factor)
        // Column j of V scaled by √λ₊_j; λ_j is the diagonal entry h[j][j] left by the rotations.
        for j in 0..<n {
            let root = Swift.max(h[j * n + j], 0).squareRoot()
            for i in 0..<n { factor[i * n + j] *= root }
        }
        return false
    }

    /// The factor of a constant matrix (row-major n×n), for noise whose covariance never changes.
    public static func factor(_ h: [Double], order n: Int) -> [Double] {
        var a = h
        var f = [Double](repeating: 0, count: n * n)
        a.withUnsafeMutableBufferPointer { a in
            f.withUnsafeMutableBufferPointer { f in _ = factor(a.baseAddress!, order: n, into: f.baseAddress!) }
        }
        return f
    }

    /// The lower Cholesky factor L of H into `l` (upper triangle zeroed); false, with `l`
    /// unspecified, when a pivot is not positive and finite. H is only read.
    public static func cholesky(
        _ h: UnsafePointer<Double>, order n: Int, into l: UnsafeMutablePointer<Double>
    ) -> Bool {
        for j in 0..<n {
            var pivot = h[j * n + j]
            for k in 0..<j { pivot -= l[j * n + k] * l[j * n + k] }
            guard pivot > 0, pivot.isFinite else { return false }
            let ljj = pivot.squareRoot()
            l[j * n + j] = ljj
            for k in (j + 1)..<Swift.max(j + 1, n) { l[j * n + k] = 0 }
            for i in (j + 1)..<Swift.max(j + 1, n) {
                var sum = h[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = sum / ljj
            }
        }
        return true
    }

    /// Cyclic Jacobi eigen-decomposition of the symmetric n×n matrix `a`, in place: on return
    /// the diagonal of `a` holds the eigenvalues and column j of `v` (row-major) the unit
    /// eigenvector of eigenvalue a[j][j]. Sweeps until the off-diagonal mass is below
    /// 10⁻³⁰ of the total (eigenvalues to ~1e-15 relative to ‖A‖), at most 60 sweeps;
    /// each rotation updates two rows and columns in O(n).
    public static func jacobi(_ a: UnsafeMutablePointer<Double>, order n: Int, vectors v: UnsafeMutablePointer<Double>) {
        v.update(repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        guard n > 1 else { return }
        var total = 0.0
        for e in 0..<(n * n) { total += a[e] * a[e] }
        for _ in 0..<60 {
            var off = 0.0
            for p in 0..<n { for q in (p + 1)..<n { off += 2 * a[p * n + q] * a[p * n + q] } }
            if !(off > 1e-30 * total) { return }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n {
                    let apq = a[p * n + q]
                    if apq == 0 { continue }
                    // The rotation angle that zeroes a_pq: t = tan φ, the smaller root of
                    // t² + 2θt − 1 = 0 with θ = (a_qq − a_pp)/(2a_pq).
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t: Double
                    if Swift.abs(theta) > 1e150 {
                        t = 0.5 / theta
                    } else {
                        t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
                    }
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {  // A ← A·J (columns p and q)
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {  // A ← Jᵀ·A (rows p and q)
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    a[p * n + q] = 0
                    a[q * n + p] = 0
                    for k in 0..<n {  // V ← V·J
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
    }
}
