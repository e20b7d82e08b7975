import DynamoModel
import Testing

/// DynamoDB number rules and item-size accounting, from the DynamoDB developer guide.
@Suite struct ItemSizeTests {
    @Test func numberValidation() {
        #expect(DynamoNumber.isValid("0"))
        #expect(DynamoNumber.isValid("-0.000"))
        #expect(DynamoNumber.isValid("12345678901234567890123456789012345678"))
        #expect(!DynamoNumber.isValid("123456789012345678901234567890123456789"))
        #expect(DynamoNumber.isValid("1000000000000000000000000000000000000000000"))  // 1 significant digit
        #expect(DynamoNumber.isValid("9.9999999999999999999999999999999999999E+125"))
        #expect(!DynamoNumber.isValid("1E+126"))
        #expect(DynamoNumber.isValid("1E-130"))
        #expect(!DynamoNumber.isValid("1E-131"))
        for bad in ["", "NaN", "Infinity", "0x10", " 1", "1e", "--1", "1.2.3", "."] {
            #expect(!DynamoNumber.isValid(bad), "\(bad)")
        }
        #expect(DynamoNumber.significantDigits("00120.0500") == 5)
    }

    @Test func itemSizeFollowsTheDocumentedRules() {
        #expect(ItemSize.of(.s("héllo")) == 6)
        #expect(ItemSize.of(.b([1, 2, 3])) == 3)
        #expect(ItemSize.of(.bool(true)) == 1)
        #expect(ItemSize.of(.null) == 1)
        #expect(ItemSize.of(.n("1")) == 2)        // 1 digit: 1 + 1
        #expect(ItemSize.of(.n("123")) == 3)      // 3 digits: 2 + 1
        #expect(ItemSize.of(.n("-0.00120")) == 2)  // 2 significant digits
        #expect(ItemSize.of(.n("12345678901234567890123456789012345678")) == 20)
        #expect(ItemSize.of(.l([])) == 3)
        #expect(ItemSize.of(.m([:])) == 3)
        #expect(ItemSize.of(.l([.s("ab"), .null])) == 3 + (2 + 1) + (1 + 1))
        #expect(ItemSize.of(.m(["k": .s("ab")])) == 3 + 1 + 2 + 1)
        #expect(ItemSize.of(.ss(["a", "bc"])) == 3)
        #expect(ItemSize.of(.ns(["1", "22"])) == 4)
        #expect(ItemSize.of(["pk": .s("abc"), "n": .n("10")]) == 2 + 3 + 1 + 2)
    }
}
