/// The rate and time left of each phase of each table, measured from the first count the phase
/// reported: a phase that follows another, or resumes work done by an earlier run, is not credited
/// with rows it did not do in the time it ran.
public struct PhaseRates: Sendable {
    /// Rows per second and the seconds left at that rate (nil when no total is known or it is reached).
    public struct Estimate: Sendable, Equatable {
        public var rowsPerSecond: Double
        public var etaSeconds: Double?
        public init(rowsPerSecond: Double, etaSeconds: Double?) { self.rowsPerSecond = rowsPerSecond; self.etaSeconds = etaSeconds }
    }

    private struct Key: Hashable {
        var phase: PipelinePhase
        var table: String?
    }

    private var first: [Key: (time: ContinuousClock.Instant, rows: Int)] = [:]

    public init() {}

    /// Records `event`, seen at `time`; the estimate of its phase and table, nil until the phase
    /// has counted rows at two different times.
    public mutating func observe(_ event: ProgressEvent, at time: ContinuousClock.Instant = .now) -> Estimate? {
        let key = Key(phase: event.phase, table: event.phase.countsPerTable ? event.table : nil)
        if event.kind == .start { first[key] = nil }
        guard let rows = event.rows else { return nil }
        guard let mark = first[key] else {
            first[key] = (time, rows)
            return nil
        }
        let elapsed = (time - mark.time).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        guard seconds > 0, rows > mark.rows else { return nil }
        let rate = Double(rows - mark.rows) / seconds
        let eta = event.totalRows.flatMap { $0 > rows ? Double($0 - rows) / rate : nil }
        return Estimate(rowsPerSecond: rate, etaSeconds: eta)
    }
}
