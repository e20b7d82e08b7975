import Foundation
import Migration
import TestSupport
import Testing

/// The progress lines as a terminal shows them: the escape sequences ``LiveLines`` writes are fed
/// to pyte (a VT100 emulator from PyPI), whose screen is read back after each step.
@Suite struct LiveLinesTests {
    static let pyteInstalled = (try? runProgramBlocking(which("python3") ?? "/usr/bin/python3", ["-c", "import pyte"]).status) == 0

    /// The screen's non-empty rows after each chunk of text (a 40×8 terminal).
    static func screens(_ chunks: [String]) throws -> [[String]] {
        let script = """
            import json, sys, pyte
            screen = pyte.Screen(40, 8)
            stream = pyte.Stream(screen)
            out = []
            for chunk in json.load(sys.stdin):
                stream.feed(chunk)
                rows = [line.rstrip() for line in screen.display]
                while rows and not rows[-1]: rows.pop()
                out.append(rows)
            print(json.dumps(out))
            """
        let result = try runProgramBlocking(try #require(which("python3")), ["-c", script], input: try JSONEncoder().encode(chunks))
        try #require(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode([[String]].self, from: Data(result.text.utf8))
    }

    @Test(.enabled(if: pyteInstalled || TestPaths.isCI, "needs pyte (pip install pyte; scripts/setup --test installs it)"))
    func phasesRunningTogetherKeepALineEach() throws {
        var board = LiveLines()
        let chunks = [
            "earlier output\n",
            board.update(.extract, "extract shop.orders 10", final: false, width: 40),
            board.update(.upload, "upload part-1", final: false, width: 40),
            board.update(.extract, "extract shop.orders 20", final: false, width: 40),
            board.update(.upload, "upload part-2 " + String(repeating: "x", count: 60), final: false, width: 40),
            board.update(.extract, "extract shop.orders done", final: true, width: 40),
            board.update(.upload, "upload part-3", final: false, width: 40),
            board.update(.upload, "upload done", final: true, width: 40),
        ]
        let shown = try Self.screens(chunks)
        #expect(shown[2] == ["earlier output", "extract shop.orders 10", "upload part-1"])
        #expect(shown[3] == ["earlier output", "extract shop.orders 20", "upload part-1"])
        // Cut to the width, never wrapped onto a second row.
        #expect(shown[4] == ["earlier output", "extract shop.orders 20", "upload part-2 " + String(repeating: "x", count: 25)])
        // A finished phase's line stays, above the live ones.
        #expect(shown[5] == ["earlier output", "extract shop.orders done", "upload part-2 " + String(repeating: "x", count: 25)])
        #expect(shown[6] == ["earlier output", "extract shop.orders done", "upload part-3"])
        #expect(shown[7] == ["earlier output", "extract shop.orders done", "upload done"])
    }
}
