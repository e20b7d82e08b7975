import DynamoModel
import SSTable
import Testing
@testable import Migration

/// The S3 keys of a run: a run of the whole ring keeps the keys runs had before shares existed;
/// a share's parts go one folder deeper under the same import prefix, its manifest outside it.
struct S3LayoutTests {
    static let part = StagedPart(file: "tables/orders/data/part-00007.json.gz", items: 1, bytes: 1, uncompressedBytes: 1, sha256: "")

    @Test func wholeRingKeepsTheEarlierKeys() {
        let layout = S3Layout(root: S3Location(bucket: "b", prefix: "runs/one"), tokenRange: nil)
        #expect(layout.key(for: Self.part) == "runs/one/tables/orders/data/part-00007.json.gz")
        #expect(layout.manifestKey == "runs/one/manifest.json")
    }

    @Test func sharesGoUnderTheTablesImportPrefix() {
        let layout = S3Layout(root: S3Location(bucket: "b", prefix: "runs/one"), tokenRange: TokenRange(share: "2/3"))
        #expect(layout.key(for: Self.part) == "runs/one/tables/orders/data/2-of-3/part-00007.json.gz")
        #expect(layout.manifestKey == "runs/one/shares/2-of-3/manifest.json")
        let bare = S3Layout(root: S3Location(bucket: "b", prefix: ""), share: "1-of-1")
        #expect(bare.manifestKey == "shares/1-of-1/manifest.json")
    }

    /// Every share of `split(N)` is named I-of-N; a range of one's own by its bounds.
    @Test(arguments: [1, 2, 3, 7, 8, 100, 1023])
    func sharesAreNamedByTheirIndex(count: Int) {
        let names = TokenRange.split(count).map(\.shareFolder)
        #expect(names == (1...count).map { "\($0)-of-\(count)" })
    }

    @Test func otherRangesAreNamedByTheirBounds() {
        #expect(TokenRange(start: -5, end: 1000).shareFolder == "tokens_-5_1000")
        let second = TokenRange.split(4)[1]
        #expect(TokenRange(start: second.start, end: second.end - 1).shareFolder == "tokens_\(second.start)_\(second.end - 1)")
    }
}
