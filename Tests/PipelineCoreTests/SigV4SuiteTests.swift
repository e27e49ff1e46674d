import Foundation
import PipelineCore
import TestSupport
import Testing

/// AWS's published Signature Version 4 test suite (fixtures/sigv4, transcribed by
/// scripts/transcribe-sigv4-suite), checked stage by stage: canonical request, string to sign,
/// Authorization header.
@Suite struct SigV4SuiteTests {
    struct Suite: Decodable {
        var accessKeyID: String
        var secretAccessKey: String
        var region: String
        var service: String
        var cases: [Case]
    }

    struct Case: Decodable, CustomTestStringConvertible {
        var name: String
        var request: String
        var canonicalRequest: String
        var stringToSign: String
        var authorization: String
        var testDescription: String { name }
    }

    static let suite: Suite = {
        let data = (try? TestEnvironment.data("fixtures/sigv4/aws-sig-v4-test-suite.json")) ?? Data()
        return (try? JSONDecoder().decode(Suite.self, from: data))
            ?? Suite(accessKeyID: "", secretAccessKey: "", region: "", service: "", cases: [])
    }()

    /// Parses a `.req` file: request line, headers (continuation lines folded), blank line, body.
    static func parse(_ text: String) -> SigV4Request {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        let target = requestLine.dropFirst().dropLast().joined(separator: " ")
        var headers: [(name: String, value: String)] = []
        while let line = lines.first, !line.isEmpty {
            lines.removeFirst()
            if line.first?.isWhitespace == true, let last = headers.popLast() {
                headers.append((last.name, last.value + " " + line))
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        let body = lines.dropFirst().joined(separator: "\n")
        let (path, rawQuery) =
            target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) }
            ?? (target, "")
        let query: [(name: String, value: String)] = rawQuery.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in text.removingPercentEncoding ?? String(text) }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
        return SigV4Request(
            method: String(requestLine[0]), path: path, query: query, headers: headers,
            payloadHash: SigV4.sha256Hex(Data(body.utf8)))
    }

    @Test func theSuiteIsThere() {
        #expect(Self.suite.cases.count == 34)
    }

    @Test(arguments: suite.cases)
    func matchesEveryStage(_ testCase: Case) throws {
        let suite = Self.suite
        var request = Self.parse(testCase.request)
        // get-vanilla-with-session-token gives its token only in the expected canonical request:
        // the signer is to add it, as ours does from AWS_SESSION_TOKEN.
        let tokenLine = testCase.canonicalRequest.split(separator: "\n").first { $0.hasPrefix("x-amz-security-token:") }
        if let tokenLine, !request.headers.contains(where: { $0.name.lowercased() == "x-amz-security-token" }) {
            request.headers.append(("x-amz-security-token", String(tokenLine.dropFirst("x-amz-security-token:".count))))
        }
        let canonical = SigV4.canonicalRequest(request, service: suite.service)
        #expect(canonical == testCase.canonicalRequest)
        let timestamp = try #require(request.headers.first { $0.name.lowercased() == "x-amz-date" }?.value)
        let scope = SigV4.scope(date: String(timestamp.prefix(8)), region: suite.region, service: suite.service)
        #expect(
            SigV4.stringToSign(canonicalRequest: canonical, timestamp: timestamp, scope: scope) == testCase.stringToSign
        )
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: suite.accessKeyID, secretAccessKey: suite.secretAccessKey),
            region: suite.region, service: suite.service)
        #expect(signer.authorization(request, timestamp: timestamp) == testCase.authorization)
    }

    @Test(arguments: ["get-vanilla", "post-sts-token/post-sts-header-before"])
    func theSignerAddsDateAndTokenItself(name: String) throws {
        let suite = Self.suite
        let testCase = try #require(suite.cases.first { $0.name == name })
        var request = Self.parse(testCase.request)
        let token = request.headers.first { $0.name == "X-Amz-Security-Token" }?.value
        request.headers.removeAll { $0.name.lowercased().hasPrefix("x-amz-") }
        let august30 = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: suite.accessKeyID, secretAccessKey: suite.secretAccessKey, sessionToken: token),
            region: suite.region, service: suite.service, clock: { august30 })
        let headers = signer.sign(request)
        #expect(headers.first { $0.name == "authorization" }?.value == testCase.authorization)
        #expect(headers.contains { $0.name == "x-amz-date" && $0.value == "20150830T123600Z" })
        #expect(headers.contains { $0.name == "x-amz-security-token" } == (token != nil))
    }
}

/// The worked examples of the Amazon S3 documentation ("Signature Calculations for the
/// Authorization Header"): S3 signs the path as sent and the payload hash as a header.
@Suite struct SigV4S3ExampleTests {
    let credentials = AWSCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    let may24 = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    @Test func getObjectWithRange() {
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3", clock: { may24 })
        let request = SigV4Request(
            method: "GET", path: "/test.txt",
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
            payloadHash: SigV4.sha256Hex(Data()))
        let authorization = signer.sign(request).first { $0.name == "authorization" }?.value
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func putObjectWithAReservedCharacterInTheKey() {
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3", clock: { may24 })
        let body = Data("Welcome to Amazon S3.".utf8)
        let request = SigV4Request(
            method: "PUT", path: "/" + SigV4.uriEncode("test$file.text", keepSlash: true),
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            payloadHash: SigV4.sha256Hex(body))
        #expect(request.path == "/test%24file.text")
        #expect(request.payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let authorization = signer.sign(request).first { $0.name == "authorization" }?.value
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func signingKeyOfTheDocumentation() {
        // The documented intermediate: the signing key for 20120215/us-east-1/iam.
        let key = SigV4.signingKey(
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20120215", region: "us-east-1", service: "iam")
        #expect(
            key.withUnsafeBytes { Array($0) }.hexString
                == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let secret = AWSCredentials(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "s3cr3t", sessionToken: "t0k3n")
        #expect(!"\(secret)".contains("s3cr3t"))
        #expect(!"\(secret)".contains("t0k3n"))
    }
}
