import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `posix_spawn` with what Foundation's `Process` cannot give: a new session, and a clean signal
/// mask and dispositions. A Swift parent blocks most signals on its threads, and a child
/// inherits that mask through `exec`, so without this SIGTERM never reaches it.
enum Spawn {
    /// Starts `executable` detached: new session, stdin from /dev/null, stdout and stderr appended to `log`.
    /// - Returns: the pid, which is also the session id.
    static func detached(
        executable: String, arguments: [String], environment: [String: String], log: String
    ) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        // glibc's POSIX_SPAWN_SETSID (2.26+), which Swift's Glibc module does not export.
        let setSID: Int32 = 0x80
        let flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF) | setSID
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else is inherited: a daemon holding its starter's pipes or sockets would keep
        // whoever waits on them (Foundation's Process watches one to see its child exit) waiting.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 && fcntl(descriptor, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw LocalStackError("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Runs `executable` to its end, as ``detached(executable:arguments:environment:log:)`` starts it.
    /// Foundation's `Process` would wait forever for a script that starts a server (PostgreSQL
    /// from `scripts/postgres start`): the server inherits the descriptor `Process` watches.
    /// - Returns: the exit status (128 + the signal for a killed process).
    static func run(executable: String, arguments: [String], environment: [String: String], log: String) throws
        -> Int32
    {
        let pid = try detached(executable: executable, arguments: arguments, environment: environment, log: log)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw LocalStackError("cannot wait for \(executable): errno \(errno)") }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
