/// Element-wise order of frozen collections, tuples, UDTs and composites, as Cassandra's
/// `CollectionType.compareListOrSet`, `MapType.compareMaps` and `TupleType.compareCustom`.
/// Malformed values fall back to unsigned byte order so comparison never traps.
enum CollectionCompare {
    private static func compareElements(_ x: UnsafeRawBufferPointer?, _ y: UnsafeRawBufferPointer?, _ type: CQLType) -> Int {
        switch (x, y) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (x?, y?): return type.compare(x, y)
        }
    }

    static func compareLists(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, element: CQLType) -> Int {
        var ca = ElementCursor(a), cb = ElementCursor(b)
        do {
            let na = try ca.readCount(), nb = try cb.readCount()
            for _ in 0..<min(na, nb) {
                let c = compareElements(try ca.readElement(), try cb.readElement(), element)
                if c != 0 { return c }
            }
            return na == nb ? 0 : (na < nb ? -1 : 1)
        } catch {
            return CQLType.compareUnsigned(a, b)
        }
    }

    static func compareMaps(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, key: CQLType, value: CQLType) -> Int {
        var ca = ElementCursor(a), cb = ElementCursor(b)
        do {
            let na = try ca.readCount(), nb = try cb.readCount()
            for _ in 0..<min(na, nb) {
                var c = compareElements(try ca.readElement(), try cb.readElement(), key)
                if c != 0 { return c }
                c = compareElements(try ca.readElement(), try cb.readElement(), value)
                if c != 0 { return c }
            }
            return na == nb ? 0 : (na < nb ? -1 : 1)
        } catch {
            return CQLType.compareUnsigned(a, b)
        }
    }

    /// Field by field while both have fields; then a side with a remaining non-empty field is greater.
    static func compareTuples(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, types: [CQLType]) -> Int {
        var ca = ElementCursor(a), cb = ElementCursor(b)
        do {
            var i = 0
            while !ca.isAtEnd && !cb.isAtEnd && i < types.count {
                let c = compareElements(try ca.readElement(), try cb.readElement(), types[i])
                if c != 0 { return c }
                i += 1
            }
            while !ca.isAtEnd {
                if let field = try ca.readElement(), !field.isEmpty { return 1 }
            }
            while !cb.isAtEnd {
                if let field = try cb.readElement(), !field.isEmpty { return -1 }
            }
            return 0
        } catch {
            return CQLType.compareUnsigned(a, b)
        }
    }

    /// Component by component (uint16 length, bytes, end-of-component byte), then by the EOC byte.
    static func compareComposites(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, types: [CQLType]) -> Int {
        var oa = 0, ob = 0, i = 0
        while oa < a.count && ob < b.count {
            guard a.count - oa >= 3, b.count - ob >= 3 else { return CQLType.compareUnsigned(a, b) }
            let la = Int(a.beUInt16(at: oa)), lb = Int(b.beUInt16(at: ob))
            guard a.count - oa - 2 >= la + 1, b.count - ob - 2 >= lb + 1 else { return CQLType.compareUnsigned(a, b) }
            let type = i < types.count ? types[i] : .blob
            let c = type.compare(a.slice(oa + 2, la), b.slice(ob + 2, lb))
            if c != 0 { return c }
            let eocA = Int8(bitPattern: a[oa + 2 + la]), eocB = Int8(bitPattern: b[ob + 2 + lb])
            if eocA != eocB { return eocA < eocB ? -1 : 1 }
            oa += 3 + la
            ob += 3 + lb
            i += 1
        }
        return (oa < a.count ? 1 : 0) - (ob < b.count ? 1 : 0)
    }
}
