/// Partitions.db and Rows.db walked beside Data.db (BTI SSTables, `dump --verify`).
struct PartitionIndexCheck {
    let index: PartitionIndexBTI
    var walk: TrieFile.Walk
    /// False after the first disagreement: the rest is not compared.
    var agrees = true
    var rowIndexProblems = 0
}

extension SSTableVerifier {
    /// Opens Partitions.db for the walk; nil (with a note or a problem) when it cannot be read.
    /// The pre-OSS `na` bti layout is a note, anything else unreadable a problem.
    func openPartitionIndex(_ v: inout SSTableVerification) -> PartitionIndexCheck? {
        guard sstable.hasComponent("Partitions.db") else {
            v.notChecked.append("Partitions.db: missing")
            return nil
        }
        do throws(SSTableError) {
            let index = try PartitionIndexBTI(sstable)
            return PartitionIndexCheck(index: index, walk: try index.walk())
        } catch {
            if sstable.descriptor.version.isPreOSSTrie {
                v.notChecked.append("Partitions.db, Rows.db: a pre-OSS BTI trie layout is not read (\(error.message))")
            } else {
                v.problems.append(error.description)
            }
            return nil
        }
    }

    /// Compares the next Partitions.db entry with Data.db's partition `key` at `offset`, and a
    /// wide partition's Rows.db row index with its rows.
    func check(_ p: inout PartitionIndexCheck, key: [UInt8], offset: Int64, rowIndex: RowIndexCheck, _ v: inout SSTableVerification) throws(SSTableError) {
        guard p.agrees else { return }
        let path = p.index.path
        do throws(SSTableError) {
            guard let entry = try p.index.next(&p.walk) else {
                v.problems.append(SSTableError(path: path, "ends before Data.db's partition \(v.partitions) at byte \(offset)").description)
                p.agrees = false
                return
            }
            guard entry.dataPosition == offset, entry.admits(key) else {
                v.problems.append(SSTableError(
                    path: entry.key == nil ? path : p.index.rowsPath, offset: entry.rowsPosition ?? entry.nodePosition,
                    "entry \(v.partitions) names Data.db byte \(entry.dataPosition), but Data.db's partition \(v.partitions) is at byte \(offset)\(entry.admits(key) ? "" : " with another key")").description)
                p.agrees = false
                return
            }
            guard let rowsPosition = entry.rowsPosition else { return }
            let trie = try p.index.rowIndex()
            let outcome = try rowIndex.checkRowsTrie(try trie.entry(at: rowsPosition), trie: trie, partition: v.partitions, offset: offset)
            v.rowIndexPartitions += 1
            v.rowIndexBlocks += outcome.blocks
            if let problem = outcome.problem {
                v.problems.append(problem)
                p.rowIndexProblems += 1
            }
        } catch let error where error.path == path || error.path == p.index.rowsPath {
            v.problems.append(error.description)
            p.agrees = false
        }
    }

    /// After the last partition: Partitions.db must end too, and its footer agree.
    func finish(_ p: PartitionIndexCheck, first: [UInt8]?, last: [UInt8]?, _ v: inout SSTableVerification) {
        guard p.agrees else { return }
        var walk = p.walk
        let before = v.problems.count
        do throws(SSTableError) {
            if try p.index.next(&walk) != nil {
                v.problems.append(SSTableError(path: p.index.path, "has entries past Data.db's last partition").description)
            }
        } catch {
            v.problems.append(error.description)
        }
        if v.problems.count > before {
            return
        } else if p.index.keyCount != v.partitions || p.index.firstKey != first || p.index.lastKey != last {
            v.problems.append(SSTableError(path: p.index.path, "its footer (\(p.index.keyCount) partitions, first and last keys) does not match Data.db (\(v.partitions))").description)
        }
        guard v.problems.count == before else { return }
        v.checked.append("Partitions.db")
        if p.rowIndexProblems == 0 {
            v.checked.append(v.rowIndexPartitions > 0 ? "Rows.db (the row index of \(v.rowIndexPartitions) wide partition(s), \(v.rowIndexBlocks) blocks)" : "Rows.db (no wide partitions)")
        }
    }
}
