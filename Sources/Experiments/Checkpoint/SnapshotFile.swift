import Foundation
import Simulation

/// One group snapshot as a file: a little-endian binary record behind a magic number and a
/// version, ending with a checksum of everything before it (FNV-1a over 64-bit words), so a truncated or
/// damaged file is recognised (and its group simulated again) instead of being trusted.
///
/// Layout: "OCSNAP03", the phase, group and chain range, then every array of
/// `GroupSnapshot` as a count followed by its values (doubles as IEEE bit patterns, integers
/// as Int64), the optional moments and histogram counts behind a presence flag, the checksum.
enum SnapshotFile {
    static let magic = Array("OCSNAP03".utf8)

    struct Damaged: Error, CustomStringConvertible {
        let reason: String
        var description: String { "damaged snapshot: \(reason)" }
    }

    static func encode(_ s: GroupSnapshot) -> Data {
        var w = BinaryWriter()
        w.bytes(magic)
        w.int(s.phase.rawValue)
        w.int(s.group)
        w.int(s.chains.lowerBound)
        w.int(s.chains.upperBound)
        for array in [s.x, s.state, s.alive] { w.doubles(array) }
        w.ints(s.divergenceSteps)
        w.ints(s.basinStart)
        w.ints(s.firstPassage)
        for array in [s.timeseries, s.trace, s.centre] { w.doubles(array) }
        if let m = s.moments {
            w.int(1)
            w.doubles([m.count, m.fdrCross, m.fdrStep])
            for array in [m.sum, m.cross, m.cube, m.fourth, m.basinCounts] { w.doubles(array) }
        } else {
            w.int(0)
        }
        if let h = s.histograms {
            w.int(1)
            w.doubles(h.ranges.flatMap { [$0.lowerBound, $0.upperBound] })
            for array in [h.counts, h.below, h.above, h.pairCounts] { w.ints(array) }
        } else {
            w.int(0)
        }
        w.doubles(s.diagnostics)
        w.doubles(s.allIterates)
        w.doubles(s.lossPath)
        w.int(Int(bitPattern: UInt(BinaryWriter.fnv1a(w.data))))
        return w.data
    }

    /// - Parameter plan: the run's histogram plan (the counts' shape; checked).
    static func decode(_ data: Data, plan: HistogramPlan, dimension d: Int) throws -> GroupSnapshot {
        guard data.count >= magic.count + 8 else { throw Damaged(reason: "too short") }
        let body = data.prefix(data.count - 8)
        var r = BinaryReader(data)
        guard try r.bytes(magic.count) == magic else { throw Damaged(reason: "not a snapshot") }
        var tail = BinaryReader(data.suffix(8))
        guard UInt64(bitPattern: Int64(try tail.int())) == BinaryWriter.fnv1a(body) else { throw Damaged(reason: "checksum") }
        guard let phase = GroupSnapshot.Phase(rawValue: try r.int()) else { throw Damaged(reason: "phase") }
        let group = try r.int(), lower = try r.int(), upper = try r.int()
        guard lower >= 0, upper >= lower else { throw Damaged(reason: "chains") }
        let x = try r.doubles(), state = try r.doubles(), alive = try r.doubles()
        let divergence = try r.ints(), start = try r.ints(), passage = try r.ints()
        let timeseries = try r.doubles(), trace = try r.doubles(), centre = try r.doubles()
        var moments: GroupMoments? = nil
        if try r.int() == 1 {
            let scalars = try r.doubles()
            guard scalars.count == 3 else { throw Damaged(reason: "moments") }
            var m = GroupMoments(dimension: 0)
            (m.count, m.fdrCross, m.fdrStep) = (scalars[0], scalars[1], scalars[2])
            (m.sum, m.cross, m.cube, m.fourth, m.basinCounts) = (try r.doubles(), try r.doubles(), try r.doubles(), try r.doubles(), try r.doubles())
            guard m.sum.count == d, m.cross.count == d * d, m.cube.count == d, m.fourth.count == d else { throw Damaged(reason: "moments") }
            moments = m
        }
        var histograms: HistogramCounts? = nil
        if try r.int() == 1 {
            let bounds = try r.doubles()
            guard bounds.count == 2 * d, (0..<d).allSatisfy({ bounds[2 * $0] <= bounds[2 * $0 + 1] }) else { throw Damaged(reason: "ranges") }
            var h = HistogramCounts(plan: plan, ranges: (0..<d).map { bounds[2 * $0]...bounds[2 * $0 + 1] })
            let counts = try r.ints(), below = try r.ints(), above = try r.ints(), pairs = try r.ints()
            guard counts.count == h.counts.count, below.count == d, above.count == d, pairs.count == h.pairCounts.count else {
                throw Damaged(reason: "histogram shape")
            }
            (h.counts, h.below, h.above, h.pairCounts) = (counts, below, above, pairs)
            histograms = h
        }
        let diagnostics = try r.doubles(), all = try r.doubles(), lossPath = try r.doubles()
        guard r.offset == data.count - 8 else { throw Damaged(reason: "trailing bytes") }
        return GroupSnapshot(phase: phase, group: group, chains: lower..<upper, x: x, state: state, alive: alive,
                             divergenceSteps: divergence, basinStart: start, firstPassage: passage, timeseries: timeseries,
                             trace: trace, centre: centre, moments: moments, histograms: histograms, diagnostics: diagnostics,
                             allIterates: all, lossPath: lossPath)
    }
}

/// Appends little-endian integers and doubles.
struct BinaryWriter {
    var data = Data()

    mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }

    mutating func int(_ v: Int) {
        withUnsafeBytes(of: Int64(v).littleEndian) { data.append(contentsOf: $0) }
    }

    mutating func ints(_ values: [Int]) {
        int(values.count)
        values.map { Int64($0).littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
    }

    mutating func doubles(_ values: [Double]) {
        int(values.count)
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
    }

    /// FNV-1a with 64-bit little-endian words in place of bytes (the tail byte by byte): a
    /// checksum against truncation and damage, fast enough for snapshots of many megabytes.
    static func fnv1a(_ data: Data) -> UInt64 {
        data.withUnsafeBytes { raw in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            let words = raw.count / 8
            for i in 0..<words {
                hash ^= UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                hash = hash &* 0x0000_0100_0000_01B3
            }
            for i in (8 * words)..<raw.count {
                hash ^= UInt64(raw[i])
                hash = hash &* 0x0000_0100_0000_01B3
            }
            return hash
        }
    }
}

/// Reads what `BinaryWriter` wrote, refusing to read past the end.
struct BinaryReader {
    let data: Data
    private(set) var offset = 0

    init(_ data: Data) { self.data = Data(data) }

    mutating func bytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0, offset + n <= data.count else { throw SnapshotFile.Damaged(reason: "truncated") }
        defer { offset += n }
        return Array(data[offset..<(offset + n)])
    }

    mutating func int() throws -> Int {
        let raw = try bytes(8)
        var v: UInt64 = 0
        for (i, b) in raw.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return Int(Int64(bitPattern: v))
    }

    private mutating func count() throws -> Int {
        let n = try int()
        guard n >= 0, n <= (data.count - offset) / 8 else { throw SnapshotFile.Damaged(reason: "count") }
        return n
    }

    mutating func ints() throws -> [Int] {
        let n = try count()
        let raw = try bytes(8 * n)
        return raw.withUnsafeBytes { buffer in
            (0..<n).map { Int(Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
        }
    }

    mutating func doubles() throws -> [Double] {
        let n = try count()
        let raw = try bytes(8 * n)
        return raw.withUnsafeBytes { buffer in
            (0..<n).map { Double(bitPattern: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) }
        }
    }
}
