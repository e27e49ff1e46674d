"""scripts/lib/terminal_session.py: runs a command on a pseudo-terminal and types answers to its prompts.

Usage: terminal_session.py SCRIPT.json
SCRIPT.json: {"command": [...], "env": {...}, "cwd": "...", "answers": [["prompt text", "typed line"], ...],
              "timeout": seconds}

Each answer is typed only once its prompt has appeared in the output, as a person would (a line
typed ahead of a prompt that turns echo off is discarded by the terminal). Prints one JSON object:
{"status": exit status, "output": everything the terminal showed}. Used by the tests of
`collections deploy` and `destroy`, which ask on a terminal only.
"""

import json
import os
import pty
import select
import subprocess
import sys
import time


def main(path):
    with open(path, encoding="utf-8") as f:
        script = json.load(f)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        script["command"], stdin=follower, stdout=follower, stderr=follower, cwd=script.get("cwd"),
        env=script.get("env"), start_new_session=True)
    os.close(follower)
    answers = list(script.get("answers", []))
    output = b""
    deadline = time.monotonic() + script.get("timeout", 120)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                chunk = b""
            if not chunk and process.poll() is not None:
                break
            output += chunk
        if answers and answers[0][0].encode() in output:
            # Typed after the prompt shows, with a moment for the terminal settings to change.
            time.sleep(0.2)
            os.write(leader, answers.pop(0)[1].encode() + b"\r")
        if process.poll() is not None and not ready:
            break
    else:
        process.kill()
    status = process.wait()
    print(json.dumps({"status": status, "output": output.decode("utf-8", "replace")}))


if __name__ == "__main__":
    main(sys.argv[1])
