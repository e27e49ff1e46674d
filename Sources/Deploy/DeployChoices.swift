import Foundation

/// What `collections deploy` remembers between runs, per stack: the region, the artifact bucket
/// and the template parameters given. Never a secret: those go to SSM Parameter Store only.
///
/// Saved as JSON (Foundation's encoder and decoder) in ``fileName`` in the working directory; its
/// `note` says it holds no secrets.
public struct DeployChoices: Codable, Equatable, Sendable {
    /// One stack's choices.
    public struct Stack: Codable, Equatable, Sendable {
        /// The AWS region.
        public var region: String?
        /// Where the archives (and a template too large to send inline) go.
        public var artifactBucket: String?
        /// Template parameters by key, as given with `--parameter`.
        public var parameters: [String: String]

        /// Creates choices.
        public init(region: String? = nil, artifactBucket: String? = nil, parameters: [String: String] = [:]) {
            self.region = region
            self.artifactBucket = artifactBucket
            self.parameters = parameters
        }

        /// These choices with `newer`'s values over them (command-line values over saved ones).
        public func overridden(by newer: Stack) -> Stack {
            Stack(
                region: newer.region ?? region, artifactBucket: newer.artifactBucket ?? artifactBucket,
                parameters: parameters.merging(newer.parameters) { $1 })
        }
    }

    /// The file's name.
    public static let fileName = "collections-deploy.json"
    /// What the file says first.
    public static let noteText =
        "Saved by collections deploy: each stack's region, artifact bucket and template parameters. "
        + "It holds no secrets (the database URL and API keys are in SSM Parameter Store only)."

    /// The note at the top of the file.
    public var note: String
    /// Choices by stack name.
    public var stacks: [String: Stack]

    /// Creates an empty set of choices.
    public init(stacks: [String: Stack] = [:]) {
        self.note = Self.noteText
        self.stacks = stacks
    }

    /// Reads the file in `directory`; empty choices when there is none.
    /// - Throws: ``DeployError`` when the file exists but is not a choices file.
    public static func load(from directory: URL) throws -> DeployChoices {
        let file = directory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else { return DeployChoices() }
        do {
            var choices = try JSONDecoder().decode(DeployChoices.self, from: data)
            choices.note = noteText
            return choices
        } catch {
            throw DeployError("\(file.path) is not a collections deploy choices file (\(error)): fix or remove it")
        }
    }

    /// Writes the file in `directory` (keys sorted, so `note` comes first).
    public func save(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        try data.write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }
}
