/// Chooses the analysis model a process without libvips can use.
public enum AnalysisModels {
    /// The remote model for Analyzer: the Claude Messages API (or a stand-in speaking it).
    /// - Throws: ``ConfigurationError`` until the Messages API client is configured. This build has
    ///   no such client yet; offline analysis runs through `collections ingest`, which has libvips.
    public static func remote(settings: Settings) throws -> any AnalysisModel {
        throw ConfigurationError(
            variable: "ANTHROPIC_API_KEY",
            problem:
                "cannot be used yet: this build has no Messages API client. Run offline analysis with "
                + "`collections ingest`, which hosts the pixel model (it needs libvips, which Analyzer never loads)")
    }
}
