import HexCoding
@testable import SSTable
import Testing

/// RandomPartitioner tokens: `abs(new BigInteger(md5(key)))` as Cassandra computes them, the
/// expected values from Python's hashlib and int arithmetic.
@Suite struct RandomPartitionerTests {
    @Test(arguments: [
        ("", "2be2732670ff4dfb167ff6671307bd82"),       // MD5 d41d8c…: negative, negated
        ("a", "0cc175b9c0f1b6a831c399e269772661"),      // MD5 0cc175…: positive, as is
        ("abc", "6ffeaf67c32db04f2969c082d71e808e"),
        ("partition-1", "6b06bf193d5ce8fc2941f98478298698"),
    ])
    func tokenIsTheAbsoluteMD5(_ key: String, _ token: String) {
        #expect(Hex.encode(Partitioner.randomToken(Array(key.utf8))) == token)
    }
}
