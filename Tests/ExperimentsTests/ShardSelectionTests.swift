import Experiments
import XCTest

/// `--shard K/N` and `--shard auto` from Slurm job arrays and Kubernetes Indexed Jobs.
final class ShardSelectionTests: XCTestCase {
    func testExplicitShards() throws {
        XCTAssertEqual(try ShardSelection.parse("0/1"), .all)
        XCTAssertEqual(try ShardSelection.parse("2/3"), ShardSelection(index: 2, count: 3))
        for bad in ["3/3", "-1/3", "1/0", "1", "a/b", "1/2/3", "", "auto/2", "0/1000001"] {
            XCTAssertThrowsError(try ShardSelection.parse(bad), bad)
        }
        XCTAssertThrowsError(try ShardSelection.parse("0/2", shards: 2), "--shards goes with auto only") { error in
            XCTAssertTrue("\(error)".contains("--shards"), "\(error)")
        }
    }

    func testSlurmArrays() throws {
        func shard(_ id: Int, min: Int, count: Int, step: Int? = nil, shards: Int? = nil) throws -> ShardSelection {
            var environment = ["SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_MIN": "\(min)", "SLURM_ARRAY_TASK_COUNT": "\(count)"]
            if let step { environment["SLURM_ARRAY_TASK_STEP"] = "\(step)" }
            return try ShardSelection.parse("auto", shards: shards, environment: environment)
        }
        // --array=0-3, --array=1-4, --array=0-6:2: four shards each.
        XCTAssertEqual(try (0...3).map { try shard($0, min: 0, count: 4).index }, [0, 1, 2, 3])
        XCTAssertEqual(try (1...4).map { try shard($0, min: 1, count: 4).index }, [0, 1, 2, 3])
        XCTAssertEqual(try [0, 2, 4, 6].map { try shard($0, min: 0, count: 4, step: 2) }.map(\.index), [0, 1, 2, 3])
        XCTAssertEqual(try shard(2, min: 0, count: 4).count, 4)
        XCTAssertEqual(try shard(2, min: 0, count: 4, shards: 4), ShardSelection(index: 2, count: 4))
        XCTAssertThrowsError(try shard(2, min: 0, count: 4, shards: 3), "--shards differs from the array")
        XCTAssertThrowsError(try shard(4, min: 0, count: 4), "beyond the count (e.g. --array=0,4,9)")
        XCTAssertThrowsError(try shard(3, min: 0, count: 4, step: 2), "not on the step")
        XCTAssertThrowsError(try shard(0, min: 1, count: 4), "below the minimum")
        XCTAssertThrowsError(try ShardSelection.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "1"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("SLURM_ARRAY_TASK_MIN: (unset): is not an integer"), "\(error)")
        }
        XCTAssertThrowsError(try ShardSelection.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_MIN": "0",
                                                                           "SLURM_ARRAY_TASK_COUNT": "2"]))
    }

    func testKubernetesIndexedJobs() throws {
        XCTAssertEqual(try ShardSelection.parse("auto", shards: 3, environment: ["JOB_COMPLETION_INDEX": "2"]),
                       ShardSelection(index: 2, count: 3))
        XCTAssertEqual(try ShardSelection.parse("auto", environment: ["JOB_COMPLETION_INDEX": "0", "OPTCLOUD_SHARDS": "5"]),
                       ShardSelection(index: 0, count: 5))
        // --shards wins over the variable.
        XCTAssertEqual(try ShardSelection.parse("auto", shards: 2, environment: ["JOB_COMPLETION_INDEX": "1", "OPTCLOUD_SHARDS": "5"]),
                       ShardSelection(index: 1, count: 2))
        XCTAssertThrowsError(try ShardSelection.parse("auto", environment: ["JOB_COMPLETION_INDEX": "1"])) { error in
            XCTAssertTrue("\(error)".contains("OPTCLOUD_SHARDS"), "\(error)")
        }
        XCTAssertThrowsError(try ShardSelection.parse("auto", shards: 2, environment: ["JOB_COMPLETION_INDEX": "2"]))
        XCTAssertThrowsError(try ShardSelection.parse("auto", shards: 0, environment: ["JOB_COMPLETION_INDEX": "0"]))
    }

    func testAutoWithoutABatchSystemSaysWhatItLooksFor() {
        XCTAssertThrowsError(try ShardSelection.parse("auto", environment: ["HOME": "/root"])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("SLURM_ARRAY_TASK_ID") && text.contains("JOB_COMPLETION_INDEX"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }
}
