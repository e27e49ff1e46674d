import CVips

/// libvips' worker threads per image pipeline.
///
/// libvips starts with its default: one per core the process may run on (two on a Lambda function
/// from 1,769 MB), or `VIPS_CONCURRENCY`. Formats that need it decode on one thread whatever this
/// says (``AcceptedFormat/decodesOnOneThread``). This hook exists to measure what threads buy
/// (`collections-bench thumbnail --concurrency`); the functions never call it.
public enum VipsConcurrency {
    /// The number of worker threads libvips uses now, starting libvips if needed.
    /// - Throws: ``ImagingError`` with code `startupFailed` when libvips cannot start.
    public static func current() throws -> Int {
        try Vips.start()
        return Int(vips_concurrency_get())
    }

    /// Sets libvips' worker threads for the images processed from now on.
    /// - Parameter threads: the count; 0 for the number of cores, libvips' default when nothing
    ///   set it (`vips_concurrency_set(0)` would keep the current count instead).
    /// - Throws: ``ImagingError`` with code `startupFailed` when libvips cannot start.
    public static func set(_ threads: Int) throws {
        try Vips.start()
        vips_concurrency_set(threads > 0 ? Int32(threads) : Int32(g_get_num_processors()))
    }
}
