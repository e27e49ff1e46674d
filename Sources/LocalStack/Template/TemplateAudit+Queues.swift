import Foundation

extension TemplateAudit {
    /// What AWS advises for an SQS event source mapping, checked on one
    /// (docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html and
    /// services-sqs-errorhandling.html, read 2026-12-04): a cap on concurrent invocations
    /// (`ScalingConfig.MaximumConcurrency`), partial batch responses, a source queue whose redrive
    /// policy dead-letters after at least 5 receives, a visibility timeout of at least six times
    /// the function's timeout plus the batching window, and an alarm on the queue's oldest message.
    static func mappingFindings(
        _ id: String, _ properties: TemplateValue?, _ resources: [String: TemplateValue],
        parameters: [String: TemplateValue]
    ) -> [Finding] {
        guard let queue = referencedResource(properties?["EventSourceArn"]),
            resources[queue]?["Type"]?.text == "AWS::SQS::Queue"
        else { return [] }
        var findings: [Finding] = []
        func add(_ resource: String, _ problem: String) {
            findings.append(Finding(resource: resource, location: "", problem: problem))
        }
        if properties?["ScalingConfig"]?["MaximumConcurrency"] == nil {
            add(id, "no cap on concurrent invocations (ScalingConfig.MaximumConcurrency)")
        }
        if !(properties?["FunctionResponseTypes"]?.list ?? []).contains(where: { $0.text == "ReportBatchItemFailures" })
        {
            add(
                id,
                "no partial batch responses (FunctionResponseTypes: [ReportBatchItemFailures]): one failed event retries its whole batch"
            )
        }
        let queueProperties = resources[queue]?["Properties"]
        let redrive = queueProperties?["RedrivePolicy"]
        if redrive?["deadLetterTargetArn"] == nil {
            add(queue, "no dead-letter path: no RedrivePolicy.deadLetterTargetArn")
        } else if let receives = bound(redrive?["maxReceiveCount"], "MinValue", parameters), receives < 5 {
            add(queue, "maxReceiveCount can be \(receives); AWS advises at least 5 for a Lambda event source")
        }
        if let function = referencedResource(properties?["FunctionName"]),
            let timeout = Int(resources[function]?["Properties"]?["Timeout"]?.text ?? "3")
        {
            let window = bound(properties?["MaximumBatchingWindowInSeconds"], "MaxValue", parameters) ?? 0
            let visibility = Int(queueProperties?["VisibilityTimeout"]?.text ?? "30") ?? 30
            if visibility < 6 * timeout + window {
                add(
                    queue,
                    "visibility timeout \(visibility) s is under six times \(function)'s timeout (\(timeout) s) "
                        + "plus the batching window (\(window) s)")
            }
        }
        if !isWatched(
            queue, namespace: "AWS/SQS", metric: "ApproximateAgeOfOldestMessage", dimension: "QueueName", resources)
        {
            add(queue, "a function's queue with no alarm on its ApproximateAgeOfOldestMessage")
        }
        return findings
    }

    /// The queues SQS event source mappings feed `function` from.
    static func mappedQueues(of function: String, _ resources: [String: TemplateValue]) -> [String] {
        resources.values.compactMap { resource in
            guard resource["Type"]?.text == "AWS::Lambda::EventSourceMapping",
                referencedResource(resource["Properties"]?["FunctionName"]) == function
            else { return nil }
            return referencedResource(resource["Properties"]?["EventSourceArn"])
        }
    }

    /// The bound a number can take: a literal, or a parameter's `MinValue` or `MaxValue` (else its `Default`).
    private static func bound(_ value: TemplateValue?, _ limit: String, _ parameters: [String: TemplateValue]) -> Int? {
        if let text = value?.text { return Int(text) }
        guard let name = value?["Ref"]?.text, let parameter = parameters[name] else { return nil }
        return Int(parameter[limit]?.text ?? parameter["Default"]?.text ?? "")
    }
}
