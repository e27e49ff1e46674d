"""Proof that the stand-ins' rate limits reach the official SDKs as the real services' limits do.

Runs against stand-ins started with `--rate-limit claude=1/min,voyage=1/min`: the first request to
each API passes (Claude's answer carrying the `anthropic-ratelimit-*` headers), the second within
the minute is refused with 429. `anthropic` (with `max_retries=0`) must raise `RateLimitError` with
the documented body and a `retry-after` its caller can read from `err.response.headers`;
`voyageai` must raise `voyageai.error.RateLimitError`.
"""

from datetime import datetime

import anthropic
import voyageai
import voyageai.error


def prove_rate_limits(url, image, check, expect_error, claude, image_message):
    """Runs the checks; `check`, `expect_error`, `claude` and `image_message` are check_stand_ins.py's."""
    client = claude(url)
    create = dict(model="claude-haiku-5-5", max_tokens=1024, messages=image_message(image))
    first = client.messages.with_raw_response.create(**create)
    check("rate limits: the first Claude request in the minute passes", first.parse().type == "message")
    check(
        "rate limits: anthropic-ratelimit-requests-limit and -remaining on a success",
        first.headers["anthropic-ratelimit-requests-limit"] == "1"
        and first.headers["anthropic-ratelimit-requests-remaining"] == "0",
    )
    reset = datetime.fromisoformat(first.headers["anthropic-ratelimit-requests-reset"].replace("Z", "+00:00"))
    check("rate limits: anthropic-ratelimit-requests-reset is RFC 3339", reset.tzinfo is not None)
    error = expect_error(
        "rate limits: the second Claude request raises RateLimitError",
        anthropic.RateLimitError,
        lambda: client.messages.create(**create),
        429,
    )
    check(
        "rate limits: the documented 429 body",
        error.body["type"] == "error" and error.body["error"]["type"] == "rate_limit_error",
        str(error.body),
    )
    check("rate limits: the body names the limit", "1 request per minute" in error.body["error"]["message"])
    retry_after = error.response.headers.get("retry-after", "")
    check(
        "rate limits: retry-after from err.response.headers",
        retry_after.isdigit() and 1 <= int(retry_after) <= 60,
        retry_after,
    )
    check("rate limits: request_id in the body and header", error.body["request_id"] == error.request_id)

    voyage = voyageai.Client(api_key="pa-stand-in", base_url=url + "/v1", max_retries=0)
    first_embedding = voyage.embed(["red tulips"], model="voyage-4")
    check("rate limits: the first Voyage request passes", len(first_embedding.embeddings) == 1)
    expect_error(
        "rate limits: the second Voyage request raises voyageai.error.RateLimitError",
        voyageai.error.RateLimitError,
        lambda: voyage.embed(["red tulips"], model="voyage-4"),
        429,
    )
