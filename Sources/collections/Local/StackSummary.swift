import Foundation
import LocalStack
import PipelineCore

/// What `local up` and `local status` print: where things are and commands to paste.
struct StackSummary {
    let state: StackState
    let paths: StackPaths

    func render() -> String {
        let aws =
            FileManager.default.isExecutableFile(atPath: paths.venv.appendingPathComponent("bin/aws").path)
            ? paths.venv.appendingPathComponent("bin/aws").path : "aws"
        let collections = paths.binaries.appendingPathComponent("collections").path
        let prefix =
            "AWS_ACCESS_KEY_ID=\(LocalStackDefaults.accessKeyID) AWS_SECRET_ACCESS_KEY=\(LocalStackDefaults.secretAccessKey) AWS_DEFAULT_REGION=\(state.region)"
        let cli = "\(prefix) \(aws) --endpoint-url \(state.endpoint)"
        return """
            Local stack is up.
              endpoint   \(state.endpoint)   (S3, EventBridge, SQS, SSM; any credentials)
              bucket     \(state.bucket)
              bus        \(state.bus)   (uploads arrive on the default bus)
              database   \(DatabaseURL.redacted(state.databaseURL))   (the password: collections local env)
              Claude     \(state.claude == "api" ? "the real API" : "stand-in at \(state.standInsURL ?? "?")")
              Voyage     \(state.voyage == "api" ? "the real API" : "stand-in at \(state.standInsURL ?? "?")")
              logs       \(paths.logs.path)

            Upload a photo (the first key segment is the user):
              \(cli) s3 cp photo.jpg s3://\(state.bucket)/me/photo.jpg
            Replay an event (see events/ and README):
              \(cli) events put-events --entries file://events/object-created.json
            Set the variables once (DATABASE_URL, AWS_*, PATH):  eval "$(\(collections) local env)"
            Query:
              psql "$DATABASE_URL" -c 'select object_key, category, summary from items join latest_analyses using (item_id)'
              \(collections) search "red bicycle"
            Watch:  \(collections) local status | logs [--follow] | failures | redrive
            Stop:   \(collections) local down
            """
    }
}
