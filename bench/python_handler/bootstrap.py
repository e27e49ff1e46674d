"""The Runtime API loop for the Python handler, as Lambda's Python runtime runs one.

Imports the module `_HANDLER` names (`handler.handler`: its imports of boto3 and Pillow and its
client creation are the function's init), then serves `GET /2018-06-01/runtime/invocation/next`
→ handler → `POST .../response` or `.../error` with `urllib`, until killed. An import failure is
posted to `/runtime/init/error`. The real AWS Python runtime (awslambdaric) does its own set-up
before importing the handler, so on Lambda a Python cold start is longer than this one.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
import urllib.request

BASE = f"http://{os.environ['AWS_LAMBDA_RUNTIME_API']}/2018-06-01/runtime"


class Context:
    """The parts of Lambda's context object a handler commonly uses."""

    def __init__(self, headers) -> None:
        self.aws_request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0"))

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


def post(path: str, body: dict, error_type: str | None = None) -> None:
    request = urllib.request.Request(f"{BASE}/{path}", data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    if error_type:
        request.add_header("Lambda-Runtime-Function-Error-Type", error_type)
    urllib.request.urlopen(request).read()


def error_body(error: BaseException) -> dict:
    return {
        "errorType": type(error).__name__, "errorMessage": str(error),
        "stackTrace": traceback.format_exception(error),
    }


def main() -> None:
    sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", os.path.dirname(os.path.abspath(__file__))))
    module_name, function_name = os.environ.get("_HANDLER", "handler.handler").rsplit(".", 1)
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    except Exception as error:
        post("init/error", error_body(error), "Runtime.ImportModuleError")
        sys.exit(1)
    while True:
        with urllib.request.urlopen(f"{BASE}/invocation/next") as response:
            event, context = json.loads(response.read()), Context(response.headers)
        try:
            result = handler(event, context)
        except Exception as error:
            post(f"invocation/{context.aws_request_id}/error", error_body(error), type(error).__name__)
        else:
            post(f"invocation/{context.aws_request_id}/response", result)


if __name__ == "__main__":
    main()
