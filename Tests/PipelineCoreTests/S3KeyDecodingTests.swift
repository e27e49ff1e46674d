import PipelineCore
import Testing

@Suite struct S3KeyDecodingTests {
    @Test(arguments: [
        ("a+b%2Bc", "a b+c"),
        ("user123/photo.jpg", "user123/photo.jpg"),
        ("user123/my+holiday+photo.jpg", "user123/my holiday photo.jpg"),
        ("u/100%25+done.png", "u/100% done.png"),
        ("u/a%3Db%26c.jpg", "u/a=b&c.jpg"),
        ("u/caf%C3%A9.jpg", "u/café.jpg"),
        ("u/%E5%86%99%E7%9C%9F.jpg", "u/写真.jpg"),
        ("u/%F0%9F%93%B7.jpg", "u/📷.jpg"),
        ("u/%2b%2F", "u/+/"),
        ("", ""),
    ])
    func decodesAsS3Encodes(encoded: String, key: String) throws {
        #expect(try S3KeyDecoding.decode(encoded) == key)
    }

    @Test(arguments: ["u/a%", "u/a%4", "u/a%zz.jpg", "u/%G0"])
    func rejectsBrokenEscapes(encoded: String) {
        #expect(throws: EventError.self) { try S3KeyDecoding.decode(encoded) }
    }

    @Test func rejectsBytesThatAreNotUTF8() throws {
        let error = #expect(throws: EventError.self) { try S3KeyDecoding.decode("u/%C3%28.jpg") }
        #expect(error?.code == .malformedKey)
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test(arguments: [
        "plain/key.jpg", "with space/and+plus.jpg", "100% sure=yes&no.png", "café/写真 📷.jpg", "a~b!c'd(e)",
    ])
    func encodeIsTheInverseOfDecode(key: String) throws {
        #expect(try S3KeyDecoding.decode(S3KeyDecoding.encode(key)) == key)
    }
}
