import CQL
import DynamoModel
import Testing

@testable import DynamoMapping

/// Row → item conversion: type mapping, keys, TTL, statics, sizes and every policy path.
@Suite struct ItemConverterTests {
    static let kv = TableSchema(
        keyspace: "k", name: "kv", partitionKey: [column("k", .text, .partitionKey)],
        regularColumns: [column("v", .text), column("n", .varint), column("d", .double), column("s", .set(.int, frozen: true)), column("b", .blob)])

    /// Output order: k, then b, d, n, s, v.
    static func row(_ k: String, v: [UInt8]? = nil, n: [UInt8]? = nil, d: [UInt8]? = nil, s: [UInt8]? = nil, b: [UInt8]? = nil, expires: Int64? = nil) -> BufferedRow {
        BufferedRow(values: [Bytes.text(k), b, d, n, s, v], writeTime: 1_700_000_000_000_000, expiresAt: expires)
    }

    static func design(_ edit: (inout TableDesign) -> Void = { _ in }) -> TableDesign {
        var d = TableDesigner.propose(kv)
        edit(&d)
        return d
    }

    @Test func scalarAndCollectionTypes() throws {
        let udt = UserType(keyspace: "k", name: "u", fieldNames: ["a", "b"], fieldTypes: [.int, .text])
        let schema = TableSchema(
            keyspace: "k", name: "t", partitionKey: [column("id", .uuid, .partitionKey)],
            regularColumns: [
                column("a", .ascii), column("bi", .bigint), column("bo", .boolean), column("de", .decimal), column("dt", .date),
                column("du", .duration), column("f", .float), column("i", .inet), column("l", .list(.text, frozen: true)),
                column("m", .map(.int, .text, frozen: true)), column("ss", .set(.text, frozen: true)), column("t", .time),
                column("tp", .tuple([.int, .text])), column("ts", .timestamp), column("u", .udt(udt, frozen: true)),
                column("bs", .set(.blob, frozen: true)),
            ])
        let uuid: [UInt8] = (0..<16).map { UInt8($0) }
        let values: [[UInt8]?] = [
            uuid, Bytes.text("x"), Bytes.int64(-5), Bytes.boolean(true), Bytes.decimal(unscaled: "12345", scale: 2), Bytes.be(Int64(1 << 31) + 1, 4),
            [2, 4, 6], Bytes.float(1.5), [127, 0, 0, 1], Bytes.collection([Bytes.text("a"), nil]),
            Bytes.map([Bytes.int32(1), Bytes.text("one")]), Bytes.collection([Bytes.text("p"), Bytes.text("q")]),
            Bytes.int64(3_600_000_000_000), Bytes.fields([Bytes.int32(7), nil]), Bytes.int64(1_714_564_800_000),
            Bytes.fields([Bytes.int32(1), Bytes.text("z")]), Bytes.collection([[1], [2]]),
        ]
        // Output order sorts regular columns by name: a bi bo bs de dt du f i l m ss t tp ts u.
        let order = ItemConverter.outputOrder(schema).map(\.name)
        let byName = Dictionary(uniqueKeysWithValues: zip(["id", "a", "bi", "bo", "de", "dt", "du", "f", "i", "l", "m", "ss", "t", "tp", "ts", "u", "bs"], values))
        let row = BufferedRow(values: order.map { byName[$0]! })
        let (items, _) = try convert(TableDesigner.propose(schema), schema, row)
        let item = try #require(items.first).item
        #expect(item["id"] == .s("00010203-0405-0607-0809-0a0b0c0d0e0f"))
        #expect(item["a"] == .s("x"))
        #expect(item["bi"] == .n("-5"))
        #expect(item["bo"] == .bool(true))
        #expect(item["de"] == .n("123.45"))
        #expect(item["dt"] == .s("1970-01-02"))
        #expect(item["du"] == .s("1mo2d3ns"))
        #expect(item["f"] == .n("1.5"))
        #expect(item["i"] == .s("127.0.0.1"))
        #expect(item["l"] == .l([.s("a"), .null]))
        #expect(item["m"] == .m(["1": .s("one")]))
        #expect(item["ss"] == .ss(["p", "q"]))
        #expect(item["bs"] == .bs([[1], [2]]))
        #expect(item["t"] == .s("01:00:00.000000000"))
        #expect(item["tp"] == .l([.n("7"), .null]))
        #expect(item["ts"] == .n("1714564800000"))
        #expect(item["u"] == .m(["a": .n("1"), "b": .s("z")]))
        #expect(items[0].size == ItemSize.of(item))

        var iso = TableDesigner.propose(schema)
        iso.timestampFormat = .iso8601
        iso.setFormat = .list
        let isoItem = try convert(iso, schema, row).items[0].item
        #expect(isoItem["ts"] == .s("2024-05-01T12:00:00.000Z"))
        #expect(isoItem["ss"] == .l([.s("p"), .s("q")]))
    }

    @Test func nullIsAbsentAndTTLAndWritetime() throws {
        let d = Self.design { $0.writetimeAttribute = "wt" }
        let item = try convert(d, Self.kv, Self.row("a", v: Bytes.text(""), expires: 1_800_000_000)).items[0].item
        #expect(item == ["k": .s("a"), "v": .s(""), "ttl": .n("1800000000"), "wt": .n("1700000000000000")])
    }

    @Test func numbersOf38And39Digits() throws {
        let d38 = String(repeating: "9", count: 38), d39 = String(repeating: "9", count: 39)
        #expect(try convert(Self.design(), Self.kv, Self.row("a", n: Bytes.varint(d38))).items[0].item["n"] == .n(d38))
        // Trailing zeros are not significant: 39 digits with 38 significant fit.
        let tens = String(repeating: "9", count: 38) + "0"
        #expect(try convert(Self.design(), Self.kv, Self.row("a", n: Bytes.varint(tens))).items[0].item["n"] == .n(tens))
        // 39 significant digits: string (default), omit, skip, fail.
        var (items, c) = try convert(Self.design(), Self.kv, Self.row("a", n: Bytes.varint(d39)))
        #expect(items[0].item["n"] == .s(d39))
        #expect(c.issueCounts == [.numberOutOfRange: 1])
        (items, c) = try convert(Self.design { $0.policies.numberOutOfRange = .omit }, Self.kv, Self.row("a", n: Bytes.varint(d39)))
        #expect(items[0].item["n"] == nil)
        (items, c) = try convert(Self.design { $0.policies.numberOutOfRange = .skip }, Self.kv, Self.row("a", n: Bytes.varint(d39)))
        #expect(items.isEmpty && c.rowsSkipped == 1 && c.issueCounts == [.numberOutOfRange: 1])
        #expect(throws: ConversionError.self) { try convert(Self.design { $0.policies.numberOutOfRange = .fail }, Self.kv, Self.row("a", n: Bytes.varint(d39))) }
        // Exponent out of range: a double of 1e300.
        (items, _) = try convert(Self.design(), Self.kv, Self.row("a", d: Bytes.double(1e300)))
        #expect(items[0].item["d"] == .s("1e+300"))
    }

    @Test func nanAndInfinity() throws {
        var (items, c) = try convert(Self.design(), Self.kv, Self.row("a", d: Bytes.double(.nan)))
        #expect(items[0].item["d"] == .s("NaN"))
        #expect(c.issueCounts == [.nonFiniteNumber: 1])
        (items, _) = try convert(Self.design { $0.policies.nonFiniteNumber = .omit }, Self.kv, Self.row("a", d: Bytes.double(-.infinity)))
        #expect(items[0].item["d"] == nil)
        (items, c) = try convert(Self.design { $0.policies.nonFiniteNumber = .skip }, Self.kv, Self.row("a", d: Bytes.double(.nan)))
        #expect(items.isEmpty && c.rowsSkipped == 1)
        #expect(throws: ConversionError.self) { try convert(Self.design { $0.policies.nonFiniteNumber = .fail }, Self.kv, Self.row("a", d: Bytes.double(.infinity))) }
    }

    /// DynamoDB rejects an empty attribute name inside a map too: the empty_map_key policy decides.
    @Test func emptyMapKeys() throws {
        let schema = TableSchema(keyspace: "k", name: "m", partitionKey: [column("k", .text, .partitionKey)],
                                 regularColumns: [column("m", .map(.text, .int, frozen: true))])
        let row = BufferedRow(values: [Bytes.text("a"), Bytes.map([Bytes.text(""), Bytes.int32(1), Bytes.text("x"), Bytes.int32(2)])])
        let design = TableDesigner.propose(schema)
        #expect(design.policies.emptyMapKey == .fail)
        #expect(throws: ConversionError.self) { try convert(design, schema, row) }
        var omit = design
        omit.policies.emptyMapKey = .omit
        var (items, c) = try convert(omit, schema, row)
        #expect(items[0].item["m"] == .m(["x": .n("2")]) && c.issueCounts == [.emptyMapKey: 1])
        var skip = design
        skip.policies.emptyMapKey = .skip
        (items, c) = try convert(skip, schema, row)
        #expect(items.isEmpty && c.rowsSkipped == 1 && c.issueCounts == [.emptyMapKey: 1])
    }

    @Test func emptySets() throws {
        let empty = Bytes.collection([])
        var (items, c) = try convert(Self.design(), Self.kv, Self.row("a", s: empty))
        #expect(items[0].item["s"] == nil && c.issueCounts == [.emptySet: 1])
        (items, _) = try convert(Self.design { $0.policies.emptySet = .list }, Self.kv, Self.row("a", s: empty))
        #expect(items[0].item["s"] == .l([]))
        (items, c) = try convert(Self.design { $0.policies.emptySet = .skip }, Self.kv, Self.row("a", s: empty))
        #expect(items.isEmpty && c.rowsSkipped == 1)
        #expect(throws: ConversionError.self) { try convert(Self.design { $0.policies.emptySet = .fail }, Self.kv, Self.row("a", s: empty)) }
        (items, _) = try convert(Self.design(), Self.kv, Self.row("a", s: Bytes.collection([Bytes.int32(3)])))
        #expect(items[0].item["s"] == .ns(["3"]))
    }

    @Test func emptyStringKeys() throws {
        #expect(throws: ConversionError.self) { try convert(Self.design(), Self.kv, Self.row("")) }
        let (items, c) = try convert(Self.design { $0.policies.invalidKey = .skip }, Self.kv, Self.row(""))
        #expect(items.isEmpty && c.rowsSkipped == 1 && c.issueCounts == [.emptyKey: 1])
        // An empty clustering value inside an ordered sort key is fine; a lone empty one is not.
        let schema = TableSchema(keyspace: "k", name: "c", partitionKey: [column("p", .int, .partitionKey)],
                                 clustering: [column("a", .text, .clustering), column("b", .text, .clustering)])
        let item = try convert(TableDesigner.propose(schema), schema, BufferedRow(values: [Bytes.int32(1), [], Bytes.text("x")])).items[0].item
        #expect(item["sk"] == .s("#x"))
        let one = TableSchema(keyspace: "k", name: "c1", partitionKey: [column("p", .int, .partitionKey)], clustering: [column("a", .text, .clustering)])
        #expect(throws: ConversionError.self) { try convert(TableDesigner.propose(one), one, BufferedRow(values: [Bytes.int32(1), []])) }
        // Keys over the size limit.
        let long = String(repeating: "x", count: 2049)
        #expect(throws: ConversionError.self) { try convert(Self.design(), Self.kv, Self.row(long)) }
    }

    /// An item of exactly 400 KB is stored; one byte more follows the oversize policy.
    @Test func itemsOf400KBAndOneByteMore() throws {
        // Item: "k" (1) + "a" (1) + "b" (1) + blob → size = 3 + blob bytes.
        let limit = ItemSize.maximumItemBytes
        let fits = try convert(Self.design(), Self.kv, Self.row("a", b: [UInt8](repeating: 1, count: limit - 3)))
        #expect(fits.items.count == 1 && fits.items[0].size == limit)
        let over = Self.row("a", b: [UInt8](repeating: 1, count: limit - 2))
        #expect(throws: ConversionError.self) { try convert(Self.design(), Self.kv, over) }
        let skipped = try convert(Self.design { $0.policies.oversizedItem = .skip }, Self.kv, over)
        #expect(skipped.items.isEmpty && skipped.converter.issueCounts == [.oversizedItem: 1])
        let s3 = try convert(Self.design { $0.policies.oversizedItem = .s3; $0.policies.s3Location = "s3://offload/big" }, Self.kv, over)
        let item = try #require(s3.items.first)
        #expect(item.size <= limit && item.size == ItemSize.of(item.item))
        #expect(item.item["_s3_attributes"] == .ss(["b"]))
        #expect(item.offloaded.count == 1 && item.offloaded[0].key.hasPrefix("s3://offload/big/kv/") && item.offloaded[0].value == .b([UInt8](repeating: 1, count: limit - 2)))
        guard case .s(let pointer)? = item.item["b"] else { Issue.record("no pointer"); return }
        #expect(pointer == item.offloaded[0].key)
    }

    /// Offloaded values are named by their item's key: keys whose unpadded hex or whose
    /// concatenated parts look alike (`0a 01` and `a1`; `01 00` and `10`; `ab|c` and `a|bc`)
    /// must still get different S3 objects, or one would overwrite the other.
    @Test func offloadedObjectsOfDifferentKeysNeverShareAName() throws {
        let schema = TableSchema(
            keyspace: "k", name: "bk", partitionKey: [column("p", .blob, .partitionKey)], clustering: [column("c", .blob, .clustering)],
            regularColumns: [column("v", .blob)])
        var design = TableDesigner.propose(schema)
        design.policies.oversizedItem = .s3
        design.policies.s3Location = "s3://offload/big"
        let big = [UInt8](repeating: 7, count: ItemSize.maximumItemBytes)
        let keys: [([UInt8], [UInt8])] = [([0x0a, 0x01], [1]), ([0xa1], [1]), ([0x01, 0x00], [1]), ([0x10], [1]),
                                          (Array("ab".utf8), Array("c".utf8)), (Array("a".utf8), Array("bc".utf8))]
        var names: [String] = []
        for (p, c) in keys {
            let converted = try convert(design, schema, BufferedRow(values: [p, c, big], writeTime: 1))
            let item = try #require(converted.items.first)
            names.append(try #require(item.offloaded.first).key)
        }
        #expect(Set(names).count == keys.count, "object names: \(names)")
    }

    @Test func compositeKeysAndStatics() throws {
        let schema = TableSchema(
            keyspace: "k", name: "p", partitionKey: [column("a", .text, .partitionKey), column("b", .int, .partitionKey)],
            clustering: [column("c", .reversed(.int), .clustering), column("d", .text, .clustering)],
            staticColumns: [column("s", .text, .staticColumn)], regularColumns: [column("v", .text)])
        // Output order: a b c d s v.
        let r1 = BufferedRow(values: [Bytes.text("x#y\\"), Bytes.int32(2), Bytes.int32(5), Bytes.text("q"), Bytes.text("st"), Bytes.text("v1")])
        let r2 = BufferedRow(values: [Bytes.text("x#y\\"), Bytes.int32(2), Bytes.int32(3), Bytes.text("r"), Bytes.text("st"), Bytes.text("v2")])
        let copy = try convert(TableDesigner.propose(schema), schema, r1).items[0].item
        #expect(copy["pk"] == .s("x\\#y\\\\#2"))
        #expect(copy["a"] == .s("x#y\\") && copy["b"] == .n("2") && copy["s"] == .s("st"))
        var options = DesignOptions()
        options.statics = .item
        var converter = try ItemConverter(design: TableDesigner.propose(schema, options: options), schema: schema)
        var items: [DynamoItem] = []
        try converter.convert(r1) { items.append($0.item) }
        try converter.convert(r2) { items.append($0.item) }
        #expect(items.count == 3)
        #expect(items[0]["sk"] == .s("!static") && items[0]["s"] == .s("st") && items[0]["v"] == nil)
        #expect(items[1]["s"] == nil && items[1]["v"] == .s("v1"))
        // DESC c: 5 sorts before 3.
        guard case .s(let k1)? = items[1]["sk"], case .s(let k2)? = items[2]["sk"] else { Issue.record("no sort keys"); return }
        #expect(k1 < k2 && "!static" < k1)
        // A static-only partition (null clustering) in copy mode gets the reserved sort key.
        let staticOnly = BufferedRow(values: [Bytes.text("z"), Bytes.int32(1), nil, nil, Bytes.text("st"), nil])
        let only = try convert(TableDesigner.propose(schema), schema, staticOnly).items
        #expect(only.count == 1 && only[0].item["sk"] == .s("!static"))
    }

    @Test func counters() throws {
        let schema = TableSchema(keyspace: "k", name: "c", partitionKey: [column("p", .text, .partitionKey)], regularColumns: [column("n", .counter)])
        let item = try convert(TableDesigner.propose(schema), schema, BufferedRow(values: [Bytes.text("a"), nil], counters: [1: 42])).items[0].item
        #expect(item == ["p": .s("a"), "n": .n("42")])
    }
}
