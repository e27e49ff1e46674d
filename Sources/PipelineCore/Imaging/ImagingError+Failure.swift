extension ImagingError: ClassifiedError {
    /// Every imaging refusal is the image's fault, under its own code, except libvips failing to start.
    public var failureKind: FailureKind {
        code == .startupFailed ? .transient : .permanent(code: code.description)
    }
}
