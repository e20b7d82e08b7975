import Testing

@testable import SSTable

/// SSTable file names from 2.0 to 5.0.
@Suite struct DescriptorTests {
    @Test func oldNamesCarryKeyspaceAndTable() throws {
        let (d, component) = try #require(SSTableDescriptor.parse(fileName: "legacy_tables-legacy_ka_simple-ka-1-Data.db", directory: "/d"))
        #expect(component == "Data.db")
        #expect(d.version.letters == "ka" && d.version.isLegacyCellFormat)
        #expect(d.keyspace == "legacy_tables" && d.table == "legacy_ka_simple" && d.generation == "1")
        #expect(d.path("Statistics.db") == "/d/legacy_tables-legacy_ka_simple-ka-1-Statistics.db")
    }

    @Test(arguments: [("nb-1-big-Data.db", "nb", "1", "big"), ("na-12-bti-Partitions.db", "na", "12", "bti"),
                      ("nb-3gw7_0xyz_2pv8h2d8fvzzv0ypgn-big-Data.db", "nb", "3gw7_0xyz_2pv8h2d8fvzzv0ypgn", "big"),
                      ("da-1-bti-Data.db", "da", "1", "bti"), ("oa-7-big-TOC.txt", "oa", "7", "big")])
    func newNames(name: String, version: String, generation: String, format: String) throws {
        let (d, _) = try #require(SSTableDescriptor.parse(fileName: name, directory: "/d"))
        #expect(d.version.letters == version && d.generation == generation && d.version.format == format)
        #expect(d.keyspace == nil)
    }

    @Test(arguments: ["nb-1-big-Data.db.tmp", "tmp-nb-1-big-Data.db", "tmplink-nb-1-big-Data.db", "schema.cql", "manifest.json", "nb-1-Data.db"])
    func notComponents(name: String) {
        #expect(SSTableDescriptor.parse(fileName: name, directory: "/d") == nil)
    }

    @Test func versionFeatures() {
        #expect(SSTableVersion("mc").usesCRC32Checksums && !SSTableVersion("ka").usesCRC32Checksums)
        #expect(SSTableVersion("nb").hasMetadataChecksums && !SSTableVersion("me").hasMetadataChecksums)
        // The pre-OSS trie-indexed `na` files carry no metadata CRCs; OSS `da` reads like BIG `oa`.
        #expect(!SSTableVersion("na", format: "bti").hasMetadataChecksums)
        #expect(SSTableVersion("da", format: "bti").hasUIntDeletionTime && SSTableVersion("da", format: "bti").hasMetadataChecksums)
        #expect(SSTableVersion("oa").hasUIntDeletionTime && !SSTableVersion("nc").hasUIntDeletionTime)
        #expect(SSTableVersion("jb").isLegacyCellFormat && !SSTableVersion("jb").hasMetadataComponentTable)
    }
}
