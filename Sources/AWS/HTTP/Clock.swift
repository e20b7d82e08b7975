#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The system's real-time clock in seconds since the Unix epoch (for `X-Amz-Date`).
enum WallClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// A monotonic clock in seconds, for rate limiting and deadlines.
package enum MonotonicClock {
    package static func now() -> Double {
        let instant = ContinuousClock.now
        let components = (instant - ContinuousClock.Instant.zeroReference).components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension ContinuousClock.Instant {
    fileprivate static let zeroReference = ContinuousClock.now
}
