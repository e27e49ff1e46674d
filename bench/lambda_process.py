"""Starting one function process behind its own Runtime API and timing it (bench/coldstart.py).

`run` spawns the process with `subprocess.Popen` (the clock starts just before), waits for its
first `GET .../invocation/next`, optionally hands it one event and waits for the answer, reads
the process's peak resident memory (`VmHWM` in /proc/PID/status) while it is still alive, then
kills it. The process's output goes to a log file, shown when something fails.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from coldstart_setup import Function
from runtime_api import RuntimeAPI

TIMEOUT = 60.0


@dataclass
class Run:
    """One process: seconds from spawn to its first `next`, and to its first answer if given an event."""

    init: float
    init_peak_rss_bytes: int = 0
    """VmHWM when the first `next` arrived: the memory start-up took."""
    answered: float | None = None
    peak_rss_bytes: int | None = None
    response: bytes | None = None


class ProcessFailed(RuntimeError):
    pass


def run(function: Function, log: Path, event: dict | None = None) -> Run:
    """Starts `function`, times its cold start (and first invocation when `event` is given), kills it."""
    with RuntimeAPI() as api, log.open("wb") as output:
        environment = function.environment | {"AWS_LAMBDA_RUNTIME_API": api.address}
        if event is not None:
            api.queue(event)
        start = time.perf_counter()
        process = subprocess.Popen(
            function.command, env=environment, cwd=function.root, stdin=subprocess.DEVNULL,
            stdout=output, stderr=subprocess.STDOUT)
        try:
            alive = lambda: _check_alive(process, function, log)  # noqa: E731
            result = Run(init=api.wait_first_next(TIMEOUT, alive) - start)
            result.init_peak_rss_bytes = peak_rss(process.pid)
            if event is not None:
                outcome = api.wait_outcome(TIMEOUT, alive)
                result.answered = outcome.arrived - start
                result.peak_rss_bytes = peak_rss(process.pid)
                if not outcome.ok:
                    answer = outcome.body.decode(errors="replace")
                    raise ProcessFailed(f"{function.name} failed the invocation: {answer}")
                result.response = outcome.body
            return result
        except (TimeoutError, RuntimeError) as error:
            raise ProcessFailed(f"{function.name}: {error}\n{_tail(log)}") from error
        finally:
            process.kill()
            process.wait()


def process_floor(count: int) -> list[float]:
    """Seconds from spawn to exit of `/bin/true`: what starting any process costs here."""
    samples = []
    for _ in range(count + 1):
        start = time.perf_counter()
        subprocess.run(["/bin/true"], check=True)
        samples.append(time.perf_counter() - start)
    return samples[1:]


def peak_rss_bytes_of(status: str) -> int:
    """`VmHWM` (peak resident set) from the text of /proc/PID/status, in bytes."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            value, unit = line.split()[1:3]
            assert unit == "kB", line
            return int(value) * 1024
    raise ValueError("no VmHWM line")


def peak_rss(pid: int) -> int:
    return peak_rss_bytes_of(Path(f"/proc/{pid}/status").read_text())


def _check_alive(process: subprocess.Popen, function: Function, log: Path) -> None:
    code = process.poll()
    if code is not None:
        raise ProcessFailed(f"{function.name} exited with {code} before answering\n{_tail(log)}")


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
