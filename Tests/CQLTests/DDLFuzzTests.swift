import Testing
@testable import CQL

/// Mangled DDL (characters cut, swapped or inserted) must parse or throw a located error, never trap.
@Suite struct DDLFuzzTests {
    @Test func mangledCorpusNeverTraps() {
        var rng = JSONFuzzTests.Rng(state: 0xD1B5_4A32_D192_ED03)
        let original = Array(DDLCorpus.text.utf8)
        let alphabet = Array("();,<>.\"'$/*-= \nabcPRIMARYKEYfrozen<".utf8)
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.remove(at: i)
                case 1: bytes[i] = alphabet.randomElement(using: &rng)!
                default: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
                }
            }
            do {
                _ = try CQLSchema.parse(String(decoding: bytes, as: UTF8.self))
            } catch {
                #expect(error.message.hasPrefix("line "), "\(error.message)")
            }
        }
        // Every prefix of a statement also parses or throws.
        let statement = Array("CREATE TABLE ks.t (a int, b frozen<map<text, tuple<int, text>>>, PRIMARY KEY ((a), b)) WITH CLUSTERING ORDER BY (b DESC) AND x = {'a': 1};".utf8)
        for n in 0...statement.count {
            _ = try? CQLSchema.parse(String(decoding: statement[0..<n], as: UTF8.self))
        }
    }
}
