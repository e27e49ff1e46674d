import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Questions on the terminal: only when standard input is one.
public enum TerminalPrompt {
    /// Whether standard input is a terminal.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Asks on standard error and reads one line from standard input.
    /// - Parameter secret: turn echo off while reading (termios `ECHO` cleared), so the answer is
    ///   never shown; it is restored afterwards.
    /// - Returns: the line without its newline; nil at end of input.
    public static func ask(_ question: String, secret: Bool = false) -> String? {
        FileHandle.standardError.write(Data(question.utf8))
        var saved = termios()
        let echoOff = secret && tcgetattr(STDIN_FILENO, &saved) == 0
        if echoOff {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if echoOff {
                _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        return readLine(strippingNewline: true)
    }
}
