/// An objective that is an average of per-example losses, f(x) = (1/n) Σᵢ ℓᵢ(x) — or the
/// expectation over a generating model for streamed data — whose per-example gradients
/// `MinibatchNoise` sums into the stochastic gradient.
///
/// Every method works at one contiguous point x (d values) and neither allocates nor
/// shares mutable state: they run once per chain and step, specialised for the concrete type.
public protocol DataObjective: Objective {
    /// n, or nil for streamed data (a fresh example at every draw).
    var exampleCount: Int? { get }
    /// Whether fresh label noise on the sampled examples means something (regression targets).
    static var acceptsLabelNoise: Bool { get }
    /// acc = ∇f(x), the full-batch gradient.
    func fullGradient(at x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>)
    /// acc += Σⱼ ∇ℓ_{iⱼ}(x) over the `count` example indices; with `labelNoise`, example j's
    /// target is lowered by labelNoise[j] (only called when `acceptsLabelNoise`).
    func addExampleGradients(
        _ indices: UnsafePointer<Int>, count: Int, labelNoise: UnsafePointer<Double>?,
        at x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>
    )
    /// Streamed data: acc += Σⱼ ∇ℓ(x) over `count` fresh examples of the generating model,
    /// example j drawn from the Philox stream (step, chain, `DataStreams.examplePurpose` | (j + 1)·256),
    /// with fresh label noise of std `labelNoiseStd`. `x` may be overwritten; `scratch` holds
    /// d + 2 doubles. Never called for finite data.
    func addStreamedExampleGradients(
        count: Int, labelNoiseStd: Double, at x: UnsafeMutablePointer<Double>, into acc: UnsafeMutablePointer<Double>,
        scratch: UnsafeMutablePointer<Double>, chain: UInt32, step: UInt32, generator: Philox4x32
    )
    /// The covariance (row-major d×d) of one uniformly sampled example's gradient at x, with
    /// fresh label noise of std `labelNoiseStd` on its target.
    func exampleGradientCovariance(at x: [Double], labelNoiseStd: Double) -> [Double]
    /// The part of `exampleGradientCovariance` due to label noise of std σ_l alone (zero
    /// without label noise), which sampling without replacement does not shrink.
    func labelNoiseCovariance(std: Double) -> [Double]
    /// The minibatch gradients of a tile (`MinibatchNoise.perturb`). Not to be implemented:
    /// the default, compiled for each data objective, calls the methods above inline.
    func addMinibatchGradients(
        of noise: MinibatchNoise, to g: UnsafeMutablePointer<Double>, x: UnsafePointer<Double>, stride: Int, count: Int,
        firstChain: Int, step: UInt32, generator: Philox4x32
    )
}
