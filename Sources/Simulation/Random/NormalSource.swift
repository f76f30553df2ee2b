/// Standard normal draws of the chains of a tile, addressed by (purpose, chain, step, index):
/// xoroshiro128++ states seeded from Philox once per block of steps, turned into normals by
/// the ziggurat. One per worker; fast when the steps of a tile are drawn in order.
///
/// The draws of one chain and purpose form blocks of `stepsPerBlock(draws:)` consecutive steps
/// (block b holds steps b·S … b·S + S − 1). Block b starts from the xoroshiro128++ state given
/// by Philox4x32-10 block (b, 0, chain, 16 + purpose) of the run's key, and yields the draws of
/// its steps in order — step by step, index by index, each normal taking one 64-bit word plus
/// the slow path's rare extra words. So a draw depends only on its address (and on the number
/// of draws per step), never on the tiling, the threads, or which steps were drawn before:
/// asked for a step out of order, the source re-seeds the block and skips to the step.
/// Streams of different chains, purposes and blocks start from unrelated Philox outputs.
public final class NormalSource: @unchecked Sendable {
    /// The run's key; also addresses the draws that are not normals (`VariateStream`, indices).
    public let generator: Philox4x32
    /// Chains per call before the states must grow (a tile of the engine).
    public private(set) var capacity: Int
    private var states: UnsafeMutablePointer<Xoroshiro128>
    /// Per purpose: the first chain, chain count, draws per step and next step of its states.
    private var positions: [Position]

    private struct Position {
        var firstChain = -1
        var count = 0
        var draws = 0
        var nextStep = -1
    }

    public init(generator: Philox4x32, capacity: Int = ChainLayout.maximumTileSize) {
        self.generator = generator
        self.capacity = Swift.max(1, capacity)
        let slots = StreamPurpose.allCases.count
        states = .allocate(capacity: slots * self.capacity)
        states.initialize(repeating: Xoroshiro128(s0: 1, s1: 0), count: slots * self.capacity)
        positions = Array(repeating: Position(), count: slots)
    }

    deinit { states.deallocate() }

    /// Steps per block when each step takes `draws` normals: blocks of about 256 draws, so that
    /// re-seeding costs little and a jump into a block skips at most 255 draws.
    @inlinable
    public static func stepsPerBlock(draws: Int) -> Int { Swift.max(1, 256 / Swift.max(1, draws)) }

    /// The first state of block `block` of `chain` for `purpose`.
    @inlinable
    public static func seed(_ generator: Philox4x32, purpose: StreamPurpose, chain: UInt32, block: UInt32) -> Xoroshiro128 {
        Xoroshiro128(key: generator, counter: (block, 0, chain, 16 + purpose.rawValue))
    }

    /// Fills z[k·stride + c] (k < dimension, c < count) with draw k of chain firstChain + c at
    /// `step`: the structure-of-arrays layout of a tile.
    public func fill(
        _ z: UnsafeMutablePointer<Double>, stride: Int, count: Int, dimension: Int,
        firstChain: Int, step: UInt32, purpose: StreamPurpose
    ) {
        draw(into: Store(row: z), stride: stride, count: count, dimension: dimension, firstChain: firstChain,
             step: step, purpose: purpose)
    }

    /// Adds scale[k]·(draw k) to g[k·stride + c]: `fill` and a scaled addition in one pass,
    /// for additive Gaussian noise with independent coordinates.
    public func add(
        scaledBy scale: UnsafePointer<Double>, to g: UnsafeMutablePointer<Double>, stride: Int, count: Int,
        dimension: Int, firstChain: Int, step: UInt32, purpose: StreamPurpose
    ) {
        draw(into: AddScaled(row: g, scale: scale), stride: stride, count: count, dimension: dimension,
             firstChain: firstChain, step: step, purpose: purpose)
    }

    @inline(__always)
    private func draw<Sink: NormalSink>(
        into sink: Sink, stride: Int, count: Int, dimension: Int, firstChain: Int, step: UInt32, purpose: StreamPurpose
    ) {
        guard dimension > 0, count > 0 else { return }
        if count > capacity { grow(to: count) }
        let slot = Int(purpose.rawValue)
        let chains = states + slot * capacity
        let perBlock = Self.stepsPerBlock(draws: dimension)
        let t = Int(step)
        let position = positions[slot]
        if !(position.firstChain == firstChain && position.count == count && position.draws == dimension
             && position.nextStep == t && t % perBlock != 0) {
            let block = t / perBlock
            for c in 0..<count {
                chains[c] = Self.seed(generator, purpose: purpose, chain: UInt32(truncatingIfNeeded: firstChain + c),
                                      block: UInt32(truncatingIfNeeded: block))
            }
            let skipped = (t - block * perBlock) * dimension
            if skipped > 0 { Self.discard(skipped, chains: chains, count: count) }
        }
        Self.generate(into: sink, stride: stride, count: count, dimension: dimension, chains: chains)
        positions[slot] = Position(firstChain: firstChain, count: count, draws: dimension, nextStep: t + 1)
    }

    /// Draw k of `chain` at `step` computed from its block's seed: the definition `fill` follows,
    /// for tests and for single draws outside the hot loop.
    public static func draws(_ generator: Philox4x32, purpose: StreamPurpose, chain: Int, step: UInt32,
                             dimension: Int) -> [Double] {
        let perBlock = stepsPerBlock(draws: dimension)
        let block = Int(step) / perBlock
        var state = seed(generator, purpose: purpose, chain: UInt32(truncatingIfNeeded: chain), block: UInt32(block))
        for _ in 0..<((Int(step) - block * perBlock) * dimension) { _ = Ziggurat.next(&state) }
        return (0..<dimension).map { _ in Ziggurat.next(&state) }
    }

    /// Room for `count` chains per purpose (outside the engine, which sizes the source to its
    /// tiles); every position is forgotten, so the next draws re-seed.
    private func grow(to count: Int) {
        let slots = StreamPurpose.allCases.count
        states.deallocate()
        states = .allocate(capacity: slots * count)
        states.initialize(repeating: Xoroshiro128(s0: 1, s1: 0), count: slots * count)
        capacity = count
        positions = Array(repeating: Position(), count: slots)
    }

    /// A uniform integer in 0..<bound for (chain, step, purpose), straight from Philox block
    /// (0, step, chain, purpose): the high word of the 64×64-bit product of 64 random bits and
    /// the bound (Lemire), bias below bound/2⁶⁴.
    @inlinable @inline(__always)
    public func index(below bound: Int, chain: UInt32, step: UInt32, purpose: StreamPurpose) -> Int {
        let r = generator.block(0, step, chain, purpose.rawValue)
        let bits = UInt64(r.1) << 32 | UInt64(r.0)
        return Int(bits.multipliedFullWidth(by: UInt64(bound)).high)
    }

    private static func discard(_ draws: Int, chains: UnsafeMutablePointer<Xoroshiro128>, count: Int) {
        let table = Ziggurat.table
        for c in 0..<count {
            var state = chains[c]
            for _ in 0..<draws { _ = Ziggurat.next(&state, table: table) }
            chains[c] = state
        }
    }

    /// The hot loop: four chains at a time with their states in registers, so that four
    /// independent generator chains keep the core busy.
    @inline(__always)
    private static func generate<Sink: NormalSink>(
        into sink: Sink, stride: Int, count: Int, dimension: Int, chains: UnsafeMutablePointer<Xoroshiro128>
    ) {
        let table = Ziggurat.table
        var c = 0
        while c &+ 4 <= count {
            var s0 = chains[c], s1 = chains[c &+ 1], s2 = chains[c &+ 2], s3 = chains[c &+ 3]
            for k in 0..<dimension {
                let row = sink.row(k, stride: stride, offset: c)
                row.put(Ziggurat.next(&s0, table: table), lane: 0)
                row.put(Ziggurat.next(&s1, table: table), lane: 1)
                row.put(Ziggurat.next(&s2, table: table), lane: 2)
                row.put(Ziggurat.next(&s3, table: table), lane: 3)
            }
            chains[c] = s0
            chains[c &+ 1] = s1
            chains[c &+ 2] = s2
            chains[c &+ 3] = s3
            c &+= 4
        }
        while c < count {
            var state = chains[c]
            for k in 0..<dimension { sink.row(k, stride: stride, offset: c).put(Ziggurat.next(&state, table: table), lane: 0) }
            chains[c] = state
            c &+= 1
        }
    }
}

/// Where `NormalSource` puts the draws: row k of a tile, from chain `offset` on.
private protocol NormalSink {
    associatedtype Row: NormalRow
    func row(_ k: Int, stride: Int, offset: Int) -> Row
}

private protocol NormalRow {
    func put(_ z: Double, lane: Int)
}

private struct Store: NormalSink {
    let base: UnsafeMutablePointer<Double>
    init(row: UnsafeMutablePointer<Double>) { base = row }
    @inline(__always) func row(_ k: Int, stride: Int, offset: Int) -> Row { Row(p: base + (k &* stride &+ offset)) }
    struct Row: NormalRow {
        let p: UnsafeMutablePointer<Double>
        @inline(__always) func put(_ z: Double, lane: Int) { p[lane] = z }
    }
}

private struct AddScaled: NormalSink {
    let base: UnsafeMutablePointer<Double>
    let scale: UnsafePointer<Double>
    init(row: UnsafeMutablePointer<Double>, scale: UnsafePointer<Double>) {
        base = row
        self.scale = scale
    }
    @inline(__always) func row(_ k: Int, stride: Int, offset: Int) -> Row {
        Row(p: base + (k &* stride &+ offset), scale: scale[k])
    }
    struct Row: NormalRow {
        let p: UnsafeMutablePointer<Double>
        let scale: Double
        @inline(__always) func put(_ z: Double, lane: Int) { p[lane] += scale * z }
    }
}
