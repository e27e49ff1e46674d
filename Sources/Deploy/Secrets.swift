import Foundation
import PipelineCore

/// The pipeline's secrets in SSM Parameter Store: where each goes, where its value comes from.
public struct Secrets: Sendable {
    /// One secret.
    public struct Secret: Sendable, Equatable {
        /// The environment variable that gives it.
        public var variable: String
        /// What it is, for prompts and messages.
        public var label: String
        /// The template parameter holding its Parameter Store name.
        public var templateParameter: String
        /// Its Parameter Store name for this stack.
        public var name: String
    }

    /// What happened to one secret.
    public enum Outcome: Equatable, Sendable {
        /// A new value was written.
        case written
        /// The parameter exists and no value was given: kept.
        case kept
        /// Dry run: a value was given and would be written.
        case wouldWrite
    }

    /// The secrets this stack reads (no Anthropic key when Claude runs on Bedrock).
    public let secrets: [Secret]

    /// The secrets for a template and its parameters.
    public init(template: DeployTemplate, parameters: [String: String]) {
        let all = [
            ("DATABASE_URL", "database URL", "DatabaseUrlParameterName"),
            ("ANTHROPIC_API_KEY", "Anthropic API key", "AnthropicApiKeyParameterName"),
            ("VOYAGE_API_KEY", "Voyage API key", "VoyageApiKeyParameterName"),
        ]
        let bedrock = template.value("ClaudeProvider", given: parameters) == "bedrock"
        secrets = all.compactMap { variable, label, parameter in
            if bedrock && variable == "ANTHROPIC_API_KEY" { return nil }
            guard let name = template.value(parameter, given: parameters) else { return nil }
            return Secret(variable: variable, label: label, templateParameter: parameter, name: name)
        }
    }

    /// Puts each secret given (environment, else a prompt with echo off when standard input is a
    /// terminal and the parameter does not exist yet) as a `SecureString`; keeps an existing one
    /// when no value is given. Values are never printed.
    /// - Returns: each secret's outcome, and the database URL when one was given.
    /// - Throws: ``DeployError`` naming the variable when a parameter is missing and no value can be had.
    public func put(
        ssm: SSMClient, environment: [String: String], dryRun: Bool, interactive: Bool,
        ask: (String) -> String?
    ) async throws -> (outcomes: [(Secret, Outcome)], databaseURL: String?) {
        var outcomes: [(Secret, Outcome)] = []
        var databaseURL: String?
        for secret in secrets {
            var value = environment[secret.variable].flatMap { $0.isEmpty ? nil : $0 }
            if value == nil, try await ssm.exists(secret.name) {
                outcomes.append((secret, .kept))
                continue
            }
            if value == nil, interactive {
                value = ask("\(secret.label) for \(secret.name) (not shown; or set \(secret.variable)): ")
                    .flatMap { $0.isEmpty ? nil : $0 }
            }
            guard let value else {
                throw DeployError(
                    "no \(secret.label): parameter \(secret.name) does not exist and \(secret.variable) is not set "
                        + (interactive ? "(nothing was typed)" : "(and there is no terminal to ask on)"))
            }
            if secret.variable == "DATABASE_URL" { databaseURL = value }
            if dryRun {
                outcomes.append((secret, .wouldWrite))
            } else {
                try await ssm.put(secret.name, value: value)
                outcomes.append((secret, .written))
            }
        }
        return (outcomes, databaseURL)
    }
}
