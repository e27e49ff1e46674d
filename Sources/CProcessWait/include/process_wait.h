#ifndef COLLECTIONS_PROCESS_WAIT_H
#define COLLECTIONS_PROCESS_WAIT_H

#include <sys/types.h>

/// pidfd_open(2): a descriptor that becomes readable when `pid` exits, for any process, not
/// only a child. -1 with errno set when it fails (ESRCH: no such process).
int collections_pidfd_open(pid_t pid);

/// Waits until the process behind `pidfd` exits, at most `timeout_ms` milliseconds.
/// Returns 1 when it has exited, 0 on timeout, -1 on error.
int collections_pidfd_wait(int pidfd, int timeout_ms);

#endif
