import XCTest
@testable import Simulation

final class ChainLayoutTests: XCTestCase {
    /// Groups and tiles partition the chains in order, within their size limits.
    func testTilesPartitionTheChains() {
        for chains in [1, 2, 3, 63, 64, 65, 255, 256, 257, 1000, 20_000, 100_003] {
            let layout = ChainLayout(chains: chains)
            XCTAssertLessThanOrEqual(layout.groups, ChainLayout.maximumGroups)
            XCTAssertLessThanOrEqual(layout.tileSize, ChainLayout.maximumTileSize)
            var next = 0
            for g in 0..<layout.groups {
                for tile in layout.tiles(ofGroup: g) {
                    XCTAssertEqual(tile.lowerBound, next, "chains \(chains)")
                    XCTAssertLessThanOrEqual(tile.count, layout.tileSize)
                    XCTAssertFalse(tile.isEmpty)
                    next = tile.upperBound
                }
            }
            XCTAssertEqual(next, chains)
            XCTAssertEqual(layout.groups, Swift.min(chains, 256), "every group holds chains")
        }
    }
}
