import Foundation
import Statistics

/// What sampling error alone allows between the Gaussian fits of two clouds of the same law,
/// from the standard errors their summary.json entries report.
///
/// If the clouds share their law, every difference of means Δm_k and of covariance entries
/// ΔΣ_ij lies within 5 of its combined standard error, √(se_a² + se_b²): the box
/// |Δm_k| ≤ δm_k, |ΔΣ_ij| ≤ δΣ_ij (`entriesAgree`). On that box the Gaussian comparisons of
/// `optcloud compare` are bounded by inequalities that hold for any such Δ:
///
/// - W₂² = |Δm|² + B(Σa, Σb)², and the Bures distance B ≤ ‖Σa^½ − Σb^½‖_F ≤
///   ‖ΔΣ‖_F/(√λmin(Σa) + √λmin(Σb)) (the square-root perturbation bound), so
///   W₂² ≤ Σδm_k² + Σδ Σ_ij²/(√λmin(a) + √λmin(b))².
/// - KL(a‖b) = ½[Σ_i (μ_i − 1 − ln μ_i) + Δmᵀ Σb⁻¹ Δm], μ_i the eigenvalues of Σb^−½ Σa Σb^−½.
///   With D = diag(Σb) and r = λmin of the correlation D^−½ Σb D^−½, ‖Σb^−½ ΔΣ Σb^−½‖_F ≤
///   ε = √(Σ δΣ_ij²/(D_i D_j))/r, so |μ_i − 1| ≤ ε, μ − 1 − ln μ ≤ (μ − 1)²/(2·min(μ, 1)²) and
///   KL ≤ ½[ε²/(2(1 − ε)²) + Σ δm_k²/(r·D_k)] (for ε < 1).
/// - the angle θ between the principal axes: with v₁ Σa's leading eigenvector, ρ = v₁ᵀΣb v₁
///   and r = Σb v₁ − ρ v₁ = (I − v₁v₁ᵀ)ΔΣ v₁, sin θ ≤ ‖r‖/(ρ − λ₂(Σb)) (Davis–Kahan), and
///   ‖r‖² = Σ_{m≥2} (u_mᵀ ΔΣ v₁)² ≤ Σ_m (Σ_ij |u_m,i| |v₁_j| δΣ_ij)², u_m Σa's other eigenvectors.
struct SameLawBounds {
    struct Fit {
        let mean: [Double], meanStderr: [Double]
        /// Row-major d×d.
        let covariance: [Double], covarianceStderr: [Double]
        var dimension: Int { mean.count }

        /// From an optimizer's entry of summary.json.
        init?(_ entry: [String: Any]) {
            guard let mean = RunOutput.numbers(entry["mean"]), let se = RunOutput.numbers(entry["stderr_mean"]),
                  let covariance = RunOutput.matrix(entry["covariance"]), let covarianceSE = RunOutput.matrix(entry["covariance_stderr"]),
                  se.count == mean.count, covariance.count == mean.count, covarianceSE.count == mean.count else { return nil }
            self.mean = mean
            meanStderr = se
            self.covariance = covariance.flatMap { $0 }
            covarianceStderr = covarianceSE.flatMap { $0 }
        }
    }

    static let sigmas = 5.0

    /// The largest |Δ|/√(se_a² + se_b²) over the means and covariance entries.
    let maxZ: Double
    var entriesAgree: Bool { maxZ < Self.sigmas }
    let w2: Double
    let klAB: Double
    let klBA: Double
    let principalAngleDegrees: Double

    init(_ a: Fit, _ b: Fit) throws {
        let d = a.dimension
        func combined(_ x: Double, _ y: Double) -> Double { (x * x + y * y).squareRoot() }
        let meanSE = zip(a.meanStderr, b.meanStderr).map(combined)
        let covarianceSE = zip(a.covarianceStderr, b.covarianceStderr).map(combined)
        let meanZ: [Double] = (0..<d).map { Swift.abs(a.mean[$0] - b.mean[$0]) / meanSE[$0] }
        let covarianceZ: [Double] = (0..<(d * d)).map { Swift.abs(a.covariance[$0] - b.covariance[$0]) / covarianceSE[$0] }
        maxZ = (meanZ + covarianceZ).max()!
        let dm = meanSE.map { Self.sigmas * $0 }, dS = covarianceSE.map { Self.sigmas * $0 }

        let ea = try LinearAlgebra.symmetricEigen(a.covariance, n: d), eb = try LinearAlgebra.symmetricEigen(b.covariance, n: d)
        let meanBox = dm.reduce(0) { $0 + $1 * $1 }, covarianceBox = dS.reduce(0) { $0 + $1 * $1 }
        let roots = ea.values[0].squareRoot() + eb.values[0].squareRoot()
        w2 = (meanBox + covarianceBox / (roots * roots)).squareRoot()
        klAB = try Self.kullbackLeibler(reference: b.covariance, d: d, meanBox: dm, covarianceBox: dS)
        klBA = try Self.kullbackLeibler(reference: a.covariance, d: d, meanBox: dm, covarianceBox: dS)

        // Eigenvalues ascend: Σa's leading eigenvector is the last column.
        let v1 = (0..<d).map { ea.vectors[$0 * d + d - 1] }
        var rho = 0.0
        for i in 0..<d { for j in 0..<d { rho += v1[i] * b.covariance[i * d + j] * v1[j] } }
        var residual = 0.0
        for m in 0..<(d - 1) {
            var bound = 0.0
            for i in 0..<d { for j in 0..<d { bound += Swift.abs(ea.vectors[i * d + m]) * Swift.abs(v1[j]) * dS[i * d + j] } }
            residual += bound * bound
        }
        let gap = rho - (d > 1 ? eb.values[d - 2] : -.infinity)
        principalAngleDegrees = gap > 0 ? asin(Swift.min(1, residual.squareRoot() / gap)) * 180 / .pi : 90
    }

    /// The bound on KL(p‖q) for q's covariance `reference`.
    private static func kullbackLeibler(reference s: [Double], d: Int, meanBox dm: [Double], covarianceBox dS: [Double]) throws -> Double {
        let scale = (0..<d).map { s[$0 * d + $0] }
        let correlation = (0..<(d * d)).map { s[$0] / (scale[$0 / d] * scale[$0 % d]).squareRoot() }
        let r = try LinearAlgebra.symmetricEigen(correlation, n: d).values[0]
        var relative = 0.0
        for i in 0..<d { for j in 0..<d { relative += dS[i * d + j] * dS[i * d + j] / (scale[i] * scale[j]) } }
        let epsilon = relative.squareRoot() / r
        guard epsilon < 1 else { return .infinity }
        let mahalanobis = (0..<d).reduce(0) { $0 + dm[$1] * dm[$1] / scale[$1] } / r
        return 0.5 * (epsilon * epsilon / (2 * (1 - epsilon) * (1 - epsilon)) + mahalanobis)
    }
}
