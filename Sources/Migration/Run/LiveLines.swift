/// Progress on a terminal: one live line per phase still running, kept at the bottom (phases
/// that run together, such as extract and upload, each keep theirs); a final line is printed
/// above them and stays. A pure value: ``update(_:_:final:width:)`` returns the text to write.
public struct LiveLines: Sendable {
    private var live: [(phase: PipelinePhase, text: String)] = []
    private var drawn = 0

    public init() {}

    /// The terminal text that shows `line` for `phase` (printed for good when `final`) and
    /// redraws the live lines below it, each cut to `width` so that none wraps.
    public mutating func update(_ phase: PipelinePhase, _ line: String, final: Bool, width: Int) -> String {
        let fit = { (s: String) in s.count < width ? s : String(s.prefix(max(1, width - 1))) }
        var out = drawn > 0 ? "\u{1b}[\(drawn)A" : ""
        if final {
            live.removeAll { $0.phase == phase }
            out += "\r\u{1b}[2K" + fit(line) + "\n"
        } else if let i = live.firstIndex(where: { $0.phase == phase }) {
            live[i].text = line
        } else {
            live.append((phase, line))
        }
        for l in live { out += "\r\u{1b}[2K" + fit(l.text) + "\n" }
        // Lines left over from a longer board are cleared, and the cursor comes back up.
        let extra = drawn - live.count - (final ? 1 : 0)
        if extra > 0 { out += String(repeating: "\u{1b}[2K\n", count: extra) + "\u{1b}[\(extra)A" }
        drawn = live.count
        return out
    }
}
