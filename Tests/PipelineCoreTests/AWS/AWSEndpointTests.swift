import Testing

@testable import PipelineCore

@Suite struct AWSEndpointTests {
    @Test func perServiceVariableWinsOverTheGeneralOne() throws {
        let environment = [
            "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
            "AWS_ENDPOINT_URL_S3": "http://localhost:9000/",
        ]
        let s3 = try AWSEndpoint.resolve(.s3, environment: environment)
        #expect(s3.url == "http://localhost:9000")
        #expect(s3.hostHeader == "localhost:9000")
        #expect(s3.region == "eu-west-1")
        #expect(s3.isCustom)
        let events = try AWSEndpoint.resolve(.eventBridge, environment: environment)
        #expect(events.url == "http://127.0.0.1:5000")
    }

    @Test func regionalEndpointsWhenNothingIsConfigured() throws {
        let environment = ["AWS_DEFAULT_REGION": "us-west-2"]
        #expect(try AWSEndpoint.resolve(.ssm, environment: environment).url == "https://ssm.us-west-2.amazonaws.com")
        #expect(
            try AWSEndpoint.resolve(.eventBridge, environment: environment).url
                == "https://events.us-west-2.amazonaws.com")
        let s3 = try AWSEndpoint.resolve(.s3, environment: ["AWS_REGION": "cn-north-1"])
        #expect(s3.url == "https://s3.cn-north-1.amazonaws.com.cn")
        #expect(!s3.isCustom)
    }

    @Test func ignoreFlagSkipsConfiguredEndpoints() throws {
        let environment = [
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        ]
        #expect(try AWSEndpoint.resolve(.s3, environment: environment).url == "https://s3.us-east-1.amazonaws.com")
    }

    @Test func defaultPortIsLeftOutOfTheHostHeader() throws {
        let endpoint = try AWSEndpoint(url: "https://example.com:443/base", region: "us-east-1", variable: "X")
        #expect(endpoint.hostHeader == "example.com")
        #expect(endpoint.basePath == "/base")
    }

    @Test func missingRegionAndMalformedURLsNameTheVariable() {
        #expect(throws: ConfigurationError.self) { try AWSEndpoint.resolve(.s3, environment: [:]) }
        let error = #expect(throws: ConfigurationError.self) {
            try AWSEndpoint.resolve(
                .s3, environment: ["AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": "localhost:9000"])
        }
        #expect(error?.variable == "AWS_ENDPOINT_URL_S3")
    }
}
