import Foundation
import XCTest
import Yams

/// docs/k8s/sweep-indexed-job.yaml is a Kubernetes Indexed Job that runs `optcloud sweep
/// --shard auto` with `--shards` equal to its completions, and its arguments are accepted by
/// the real binary.
final class ClusterManifestTests: XCTestCase {
    static let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/k8s/sweep-indexed-job.yaml").standardizedFileURL

    func testTheSweepJobIsAnIndexedJobWithAsManyShardsAsCompletions() throws {
        let text = try String(contentsOf: Self.manifest, encoding: .utf8)
        let documents = try Yams.load_all(yaml: text).map { try XCTUnwrap($0 as? [String: Any]) }
        XCTAssertEqual(documents.count, 2)
        for document in documents {
            XCTAssertEqual(document["apiVersion"] as? String, "batch/v1")
            XCTAssertEqual(document["kind"] as? String, "Job")
            XCTAssertNotNil((document["metadata"] as? [String: Any])?["name"] as? String)
            let pod = try XCTUnwrap(((document["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
            XCTAssertTrue(["Never", "OnFailure"].contains(pod["restartPolicy"] as? String ?? ""), "a Job's pods may not restart Always")
            let containers = try XCTUnwrap(pod["containers"] as? [[String: Any]])
            XCTAssertEqual(containers.count, 1)
            XCTAssertNotNil(containers[0]["image"] as? String)
            XCTAssertNotNil(containers[0]["name"] as? String)
            let mounts = try XCTUnwrap(containers[0]["volumeMounts"] as? [[String: Any]])
            let volumes = try XCTUnwrap(pod["volumes"] as? [[String: Any]])
            XCTAssertEqual(Set(mounts.compactMap { $0["name"] as? String }), Set(volumes.compactMap { $0["name"] as? String }))
        }
        let sweep = try XCTUnwrap(documents[0]["spec"] as? [String: Any])
        XCTAssertEqual(sweep["completionMode"] as? String, "Indexed")
        let completions = try XCTUnwrap(sweep["completions"] as? Int)
        XCTAssertEqual(sweep["parallelism"] as? Int, completions)
        let args = try Self.arguments(documents[0])
        XCTAssertEqual(args.first, "sweep")
        let shardOption = try XCTUnwrap(args.firstIndex(of: "--shard"))
        XCTAssertEqual(args[shardOption + 1], "auto")
        let shardsOption = try XCTUnwrap(args.firstIndex(of: "--shards"))
        XCTAssertEqual(Int(args[shardsOption + 1]), completions, "--shards must equal completions")
        XCTAssertTrue(try Self.arguments(documents[1]).contains("--collect"))
    }

    /// The binary accepts the Job's arguments: as pod 7 of 8 (with a tiny cloud) it runs point 7
    /// of the shipped sweep and no other.
    func testTheBinaryAcceptsTheJobsArguments() throws {
        let text = try String(contentsOf: Self.manifest, encoding: .utf8)
        let documents = try Yams.load_all(yaml: text).map { try XCTUnwrap($0 as? [String: Any]) }
        let work = try makeTemporaryDirectory(self)
        let repository = Self.manifest.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // The pod's paths live under /work; here they map to the repository and a temporary output.
        let args = try Self.arguments(documents[0]).map { argument -> String in
            argument.replacingOccurrences(of: "/work/configs", with: repository.appendingPathComponent("configs").path)
                .replacingOccurrences(of: "/work/output", with: work.path)
        }
        let result = try Optcloud.run(args + ["--chains", "8", "--set", "steps=20", "--set", "burn_in=10"], in: work,
                                      environment: ["JOB_COMPLETION_INDEX": "7"], timeout: 120)
        XCTAssertEqual(result.status, 0, result.diagnostic)
        let out = work.appendingPathComponent("sgd-lr/points")
        XCTAssertEqual(directoryListing(out), ["7"], "index 7 of 8 runs point 7 of 11 only")
    }

    static func arguments(_ job: [String: Any]) throws -> [String] {
        let pod = try XCTUnwrap(((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try XCTUnwrap((pod["containers"] as? [[String: Any]])?.first)
        return try XCTUnwrap(container["args"] as? [String])
    }
}
