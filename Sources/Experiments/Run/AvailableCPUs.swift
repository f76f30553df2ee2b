import Foundation

/// The number of CPUs this process may run on — the default of every `--threads`.
///
/// On Linux it is the size of the process's affinity mask (sched_getaffinity), which taskset,
/// cgroup cpusets and Slurm's CPU allocation set, so a job given one CPU runs one worker
/// instead of oversubscribing it; elsewhere, or when the mask cannot be read (more than 8192
/// CPUs), the number of active processors.
public enum AvailableCPUs {
    public static var count: Int {
        #if os(Linux)
        var mask = [UInt64](repeating: 0, count: 128)  // 8192 CPUs
        let status = mask.withUnsafeMutableBytes { _sched_getaffinity(0, $0.count, $0.baseAddress!) }
        let cpus = mask.reduce(0) { $0 + $1.nonzeroBitCount }
        if status == 0 && cpus > 0 { return cpus }
        #endif
        return ProcessInfo.processInfo.activeProcessorCount
    }
}

#if os(Linux)
/// glibc's sched_getaffinity, which the Glibc module declares only with _GNU_SOURCE.
@_silgen_name("sched_getaffinity")
private func _sched_getaffinity(_ pid: Int32, _ size: Int, _ mask: UnsafeMutableRawPointer) -> Int32
#endif
