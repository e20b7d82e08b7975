import Testing

@testable import SSTable

/// `RecordList`: the per-row lists an `Unfiltered` reuses; a copy kept aside (a static row, a 2.x
/// range bound) must not change when the original is emptied and refilled.
@Suite struct RecordListTests {
    @Test func copyKeepsItsElementsWhenTheOriginalIsRefilled() {
        var list = RecordList<Int32>()
        for i in 0..<100 { list.append(Int32(i)) }
        let copy = list
        list.removeAll()
        for i in 0..<300 { list.append(Int32(-i)) }
        #expect(Array(copy) == (0..<100).map { Int32($0) })
        #expect(Array(list) == (0..<300).map { Int32(-$0) })
    }

    @Test func removeAllKeepsTheMemoryOfAnUnsharedList() {
        var list = RecordList<UInt8>()
        list.append(contentsOf: UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(list.isEmpty && list.base == nil)
        [UInt8](repeating: 7, count: 40).withUnsafeBytes { list.append(contentsOf: $0) }
        let base = list.base
        list.removeAll()
        list.append(1)
        #expect(list.base == base && Array(list) == [1])
        #expect(Array(list.bytes) == [1])
    }
}
