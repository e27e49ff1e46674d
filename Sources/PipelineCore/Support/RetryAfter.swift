import Foundation

/// The wait a server asks for before the next attempt.
///
/// `retry-after-ms` (milliseconds) is Anthropic's and Voyage's; `Retry-After` is HTTP's, as
/// delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Anthropic documents both headers on 429 and
/// says to honour `retry-after` on 529 when present (docs.anthropic.com/en/api/errors and the
/// rate-limits page, read 2026-12-04); AWS services send `Retry-After` on some throttling answers.
public enum RetryAfter {
    /// Reads the headers through `header` (case-insensitive lookup by lowercased name).
    public static func parse(_ header: (String) -> String?, now: Date = Date()) -> Duration? {
        if let text = header("retry-after-ms"), let ms = Double(text.trimmingCharacters(in: .whitespaces)),
            ms >= 0, ms.isFinite
        {
            return .milliseconds(Int64(ms))
        }
        guard let text = header("retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(text), seconds >= 0, seconds.isFinite {
            return .milliseconds(Int64(seconds * 1000))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}
