import Synchronization

/// Named settings and secrets: SSM Parameter Store in production, a dictionary in tests.
public protocol ParameterStore: Sendable {
    /// The value of a parameter, decrypted when it is a SecureString.
    /// - Throws: ``ParameterStoreError`` with code `notFound` when there is no such parameter.
    func value(of name: String) async throws -> String
}

extension ParameterStore {
    /// Reads a setting from the parameter that an environment variable names, at start.
    /// - Parameters:
    ///   - variable: the variable that named the parameter, for the error.
    ///   - name: the parameter's name.
    /// - Throws: ``ConfigurationError`` naming the variable when the parameter cannot be read.
    public func setting(_ variable: String, parameter name: String) async throws -> String {
        do {
            return try await value(of: name)
        } catch {
            throw ConfigurationError(
                variable: variable, problem: "names \(quoted(name)), which cannot be read: \(error)")
        }
    }
}

/// Settings that may come from the environment or from a parameter another variable names.
public enum ParameterSetting {
    /// The value of the parameter `parameterVariable` names, when `variable` itself is unset or
    /// empty; nil otherwise (the caller reads `variable`), or when no parameter is named.
    /// - Parameters:
    ///   - parameters: opened only when a parameter is read.
    /// - Throws: ``ConfigurationError`` naming `parameterVariable` when the parameter cannot be read.
    public static func read(
        _ variable: String, orParameterNamedBy parameterVariable: String, in environment: [String: String],
        parameters: () throws -> any ParameterStore
    ) async throws -> String? {
        guard environment[variable]?.isEmpty ?? true, let name = environment[parameterVariable], !name.isEmpty
        else { return nil }
        return try await parameters().setting(parameterVariable, parameter: name)
    }
}

/// A ``ParameterStore`` over a dictionary.
public struct InMemoryParameterStore: ParameterStore {
    /// The parameters by name.
    public var parameters: [String: String]

    /// Creates a store.
    public init(_ parameters: [String: String]) {
        self.parameters = parameters
    }

    public func value(of name: String) async throws -> String {
        guard let value = parameters[name] else { throw ParameterStoreError.notFound(name) }
        return value
    }
}

/// Why a parameter could not be read.
public struct ParameterStoreError: Error, CustomStringConvertible {
    /// What kind of failure it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }
        /// No such parameter.
        public static let notFound = Code(name: "notFound")
        /// The call failed.
        public static let failed = Code(name: "failed")
    }

    /// What kind of failure it is.
    public let code: Code
    /// What happened, naming the parameter.
    public let message: String
    /// The transport's error, such as an ``AWSError``.
    public let underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    static func notFound(_ name: String, underlying: (any Error)? = nil) -> ParameterStoreError {
        ParameterStoreError(.notFound, "parameter \(quoted(name)) does not exist", underlying: underlying)
    }

    public var description: String { underlying.map { "\(message): \($0)" } ?? message }
}
