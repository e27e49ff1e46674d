import Foundation
import Synchronization
import TestSupport
import Testing

/// Analyzer and Embedder read their API key and database URL from SSM at start: both requests are
/// in flight at once (one round trip of start-up time, not two), and a missing parameter still
/// fails initialisation naming the variable that points at it.
@Suite struct StartupParametersTests {
    static let functions = [
        ("Analyzer", "COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER"), ("Embedder", "COLLECTIONS_VOYAGE_API_KEY_PARAMETER"),
    ]

    @Test(arguments: functions)
    func bothParametersAreReadAtOnce(function: String, keyVariable: String) async throws {
        let ssm = ParameterServer(["/t/database-url": "postgres://nobody:secret@127.0.0.1:1/none", "/t/key": "k"])
        try await TestHTTPServer.with(ssm.answer) { ssmAddress in
            let behavior = ScriptedRuntime([])
            try await RuntimeAPIServer.with(behavior) { address in
                let environment = Self.environment(ssm: ssmAddress, runtime: address, keyVariable: keyVariable)
                let process = try await Products.start(function, environment: environment)
                let start = ContinuousClock.now
                while behavior.nextCalls.count == 0, process.isRunning,
                    ContinuousClock.now - start < .seconds(30)
                {
                    try await Task.sleep(for: .milliseconds(20))
                }
                process.signal(SIGTERM)
                let outcome = try await process.wait(timeout: .seconds(10))
                #expect(behavior.nextCalls.count == 1, "\(function) never asked for an event: \(outcome.stderr)")
            }
        }
        #expect(ssm.names.sorted() == ["/t/database-url", "/t/key"])
        #expect(ssm.mostInFlight == 2, "the parameters were read one after the other")
    }

    @Test(arguments: functions)
    func aMissingParameterNamesItsVariable(function: String, keyVariable: String) async throws {
        for (present, missingVariable) in [
            (["/t/key": "k"], "COLLECTIONS_DATABASE_URL_PARAMETER"),
            (["/t/database-url": "postgres://nobody:secret@127.0.0.1:1/none"], keyVariable),
        ] {
            let ssm = ParameterServer(present, waitForPair: false)
            try await TestHTTPServer.with(ssm.answer) { ssmAddress in
                let behavior = ScriptedRuntime([])
                try await RuntimeAPIServer.with(behavior) { address in
                    let environment = Self.environment(ssm: ssmAddress, runtime: address, keyVariable: keyVariable)
                    let outcome = try await Products.run(function, environment: environment, timeout: .seconds(30))
                    #expect(outcome.status == 1)
                    guard case .initError(let type, let body) = behavior.reports.all.first else {
                        Issue.record("expected an init error, got \(behavior.reports.all)")
                        return
                    }
                    #expect(type == "ConfigurationError")
                    #expect(body.contains(missingVariable), "\(body)")
                    #expect(behavior.nextCalls.count == 0)
                }
            }
        }
    }

    @Test func anUncataloguedModelIsAnInitErrorNamingTheCatalogue() async throws {
        let behavior = ScriptedRuntime([])
        try await RuntimeAPIServer.with(behavior) { address in
            let environment = [
                "AWS_LAMBDA_RUNTIME_API": address, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY": "x", "ANTHROPIC_API_KEY": "k",
                "DATABASE_URL": "postgres://nobody:secret@127.0.0.1:1/none",
                "COLLECTIONS_CLAUDE_MODEL": "claude-haiku-9",
            ]
            let outcome = try await Products.run("Analyzer", environment: environment, timeout: .seconds(30))
            #expect(outcome.status == 1)
            guard case .initError(let type, let body) = behavior.reports.all.first else {
                Issue.record("expected an init error, got \(behavior.reports.all)")
                return
            }
            #expect(type == "ConfigurationError")
            #expect(body.contains("claude-haiku-9") && body.contains("claude-haiku-5-5"), "\(body)")
            #expect(body.contains("COLLECTIONS_CLAUDE_MODEL_UNLISTED"), "\(body)")
            #expect(behavior.nextCalls.count == 0, "no event is taken with a model it cannot call")
        }
    }

    static func environment(ssm: String, runtime: String, keyVariable: String) -> [String: String] {
        [
            "AWS_LAMBDA_RUNTIME_API": runtime, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "x", "AWS_ENDPOINT_URL_SSM": "http://\(ssm)",
            "COLLECTIONS_DATABASE_URL_PARAMETER": "/t/database-url", keyVariable: "/t/key",
        ]
    }
}

/// SSM `GetParameter` over a dictionary. With `waitForPair`, each request is held until a second
/// one is in flight (at most 3 s), so requests sent one after the other are seen one at a time.
private final class ParameterServer: Sendable {
    private let values: [String: String]
    private let waitForPair: Bool
    private let state = Mutex((names: [String](), inFlight: 0, most: 0))

    init(_ values: [String: String], waitForPair: Bool = true) {
        self.values = values
        self.waitForPair = waitForPair
    }

    var names: [String] { state.withLock { $0.names } }
    var mostInFlight: Int { state.withLock { $0.most } }

    @Sendable func answer(_ request: TestHTTPRequest, _ handle: TestHTTPServer.Handle) async throws -> TestHTTPResponse
    {
        guard request.headers["x-amz-target"] == "AmazonSSM.GetParameter",
            let input = try JSONSerialization.jsonObject(with: request.body) as? [String: Any],
            let name = input["Name"] as? String
        else { return .json(400, #"{"__type":"InvalidAction","message":"unexpected request"}"#) }
        state.withLock { state in
            state.names.append(name)
            state.inFlight += 1
            state.most = max(state.most, state.inFlight)
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        let start = ContinuousClock.now
        while waitForPair, state.withLock({ $0.most < 2 }), ContinuousClock.now - start < .seconds(3) {
            try await Task.sleep(for: .milliseconds(10))
        }
        guard let value = values[name] else {
            return .json(400, #"{"__type":"ParameterNotFound","message":"Parameter \#(name) not found."}"#)
        }
        let parameter: [String: Any] = ["Name": name, "Type": "SecureString", "Value": value, "Version": 1]
        return TestHTTPResponse(
            status: 200, headers: ["content-type": "application/x-amz-json-1.1"],
            body: try JSONSerialization.data(withJSONObject: ["Parameter": parameter]))
    }
}
