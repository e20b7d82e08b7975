import Foundation
import SampleData

/// Seeds for tests that draw random inputs or kill points: `TEST_SEED=N` repeats a run, else a
/// fresh seed. The seed is printed with the test's name, so a failure can be replayed.
public enum TestSeed {
    public static func generator(_ test: String = #function) -> SampleRandom {
        let seed = ProcessInfo.processInfo.environment["TEST_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("\(test): seed \(seed) (TEST_SEED=\(seed) repeats it)")
        return SampleRandom(seed: seed)
    }
}
