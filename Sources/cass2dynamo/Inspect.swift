import ArgumentParser
import CQL
import SSTable

#if canImport(Glibc)
import Glibc
#endif

/// `cass2dynamo inspect PATH`: what SSTables are there and what they hold.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarize SSTables: versions, sizes, compression, estimates and the schema as CQL.")

    @Argument(help: "A Data.db file, a table folder or a keyspace folder.", completion: .file())
    var path: String

    @OptionGroup var schemaOptions: SchemaOptions

    func run() throws {
        do {
            let nowSeconds = Int64(time(nil))
            var text = ""
            let resolver = try schemaOptions.resolver(now: nowSeconds)
            for found in try schemaOptions.tables(at: path) {
                let (location, schema) = try resolver.resolve(found)
                let reader = try TableReader(location: location, schema: schema, now: 0)
                text += describe(reader)
            }
            print(text, terminator: "")
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }

    private func describe(_ reader: TableReader) -> String {
        let location = reader.location
        var lines: [String] = []
        lines.append("table \(location.keyspace.map { "\($0)." } ?? "")\(location.table)")
        lines.append("  folder: \(location.directories.joined(separator: ", "))")
        lines.append("  partitioner: \(reader.sstables.first?.statistics.partitionerClass ?? "?")")
        var totalData: Int64 = 0, totalUncompressed: Int64 = 0, totalPartitions: Int64 = 0, totalRows: Int64 = 0
        for sstable in reader.sstables {
            let d = sstable.descriptor
            let stats = sstable.statistics
            totalData += sstable.dataFileSize
            totalUncompressed += sstable.uncompressedLength
            totalPartitions += stats.estimatedPartitions ?? 0
            totalRows += stats.totalRows ?? 0
            var line = "  sstable \(d.prefix): version \(d.version.letters) (\(d.version.format)), Data.db \(formatBytes(sstable.dataFileSize))"
            if let c = sstable.compression {
                let ratio = Double(sstable.dataFileSize) / Double(max(c.dataLength, 1))
                line += ", \(c.compressor.rawValue) \(c.chunkLength / 1024) KiB chunks, \(formatBytes(c.dataLength)) uncompressed (ratio \(format2(ratio)))"
            } else {
                line += ", uncompressed"
            }
            lines.append(line)
            var facts: [String] = []
            if let p = stats.estimatedPartitions { facts.append("~\(p) partitions") }
            if let r = stats.totalRows { facts.append("\(r) rows written") }
            if let lo = stats.minTimestamp, let hi = stats.maxTimestamp, lo <= hi {
                facts.append("writes \(formatMicros(lo)) … \(formatMicros(hi))")
            }
            if let rowIndex = rowIndexFact(sstable) { facts.append(rowIndex) }
            facts.append("components: \(sstable.components.sorted().joined(separator: " "))")
            lines.append("    " + facts.joined(separator: "; "))
            lines.append("    " + readingNotes(sstable).joined(separator: "; "))
        }
        lines.append("  total: \(reader.sstables.count) SSTable(s), \(formatBytes(totalData)) on disk, \(formatBytes(totalUncompressed)) uncompressed, ~\(totalPartitions) partitions, \(totalRows) rows written (before merging)")
        // Differences between the headers and the schema that are read anyway, one per file and column.
        for warning in reader.warnings { lines.append("  warning: " + warning) }
        lines.append("  schema\(reader.schemaWasInferred ? " (inferred from the SSTable header; key and clustering names are not stored in SSTables)" : ""):")
        for l in reader.schema.createStatement.split(separator: "\n") { lines.append("    " + l) }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// How many partitions carry a row index (blocks of rows within wide partitions); nil without a
/// partition index.
private func rowIndexFact(_ sstable: SSTable) -> String? {
    let big = sstable.descriptor.version.format == "big"
    guard sstable.hasComponent(big ? "Index.db" : "Partitions.db") else { return nil }
    do {
        let (partitions, blocks) = try sstable.rowIndexCount()
        return partitions == 0 ? "no row index (no wide partition)" : "row index (\(big ? "Index.db" : "Rows.db")): \(partitions) wide partition(s), \(blocks) blocks"
    } catch {
        return "row index not read: \(error)"
    }
}

/// How range and point reads find their partitions in an SSTable, and which reads check its Digest.
private func readingNotes(_ sstable: SSTable) -> [String] {
    var notes: [String] = []
    if sstable.descriptor.version.format != "big" {
        if let problem = sstable.partitionIndexProblem() {
            notes.append("token-range and point reads scan from the start (\(problem))")
        } else {
            notes.append(sstable.hasComponent("Filter.db")
                ? "token-range reads seek through Partitions.db, point reads (--key) through Filter.db and Partitions.db"
                : "token-range and point reads (--key) seek through Partitions.db")
        }
    } else if sstable.hasComponent("Index.db") {
        let summary = sstable.hasComponent("Summary.db") ? "Summary.db and " : ""
        let filter = sstable.hasComponent("Filter.db") ? "Filter.db, " : ""
        notes.append("token-range reads seek through \(summary)Index.db, point reads (--key) through \(filter)\(summary)Index.db")
    } else {
        notes.append("no Index.db: token-range and point reads scan from the start")
    }
    if let digest = sstable.digestComponent {
        notes.append(sstable.compression == nil
            ? "\(digest) is checked by reads of the whole Data.db and by dump --verify, not by token-range or point reads"
            : "every compressed chunk is checked against its checksum by every read; \(digest) only by dump --verify")
    } else if sstable.compression != nil {
        notes.append("every compressed chunk is checked against its checksum by every read")
    }
    return notes
}

func formatBytes(_ n: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(n), unit = 0
    while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(n) B" : "\(format2(value)) \(units[unit])"
}

func format2(_ x: Double) -> String {
    let scaled = (x * 100).rounded()
    let whole = Int(scaled) / 100, frac = abs(Int(scaled)) % 100
    return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
}

/// Microseconds since the epoch as a UTC timestamp, via the CQL timestamp encoding.
func formatMicros(_ micros: Int64) -> String {
    var out: [UInt8] = []
    let millis = micros / 1000
    withUnsafeBytes(of: millis.bigEndian) { try? CQLType.timestamp.appendJSON($0, to: &out) }
    return String(decoding: out.filter { $0 != UInt8(ascii: "\"") }, as: UTF8.self)
}
