"""Proof that `collections stand-ins` speaks the Claude and Voyage wire formats.

Runs the official Python SDKs (`anthropic` with strict response validation, `voyageai`) against
running stand-ins and checks that each parses every kind of answer the pipeline meets: a forced
tool call, a plain text answer, a reply cut off at max_tokens, embeddings of each input type and
dimension, and every error status (400, 401, 404, 429 with retry-after, 500, 529 / 503).

Usage: check_stand_ins.py --ok URL --faults-429 URL --faults-500 URL --faults-529 URL --image FILE
Each --faults-N server answers every model request with that fault. Exits 1 naming the first
check that failed; prints one line per check otherwise.
"""

import argparse
import base64
import sys
import warnings

import anthropic
import voyageai
import voyageai.error

warnings.filterwarnings("ignore")

TOOL = {
    "name": "record_image_analysis",
    "description": "Record what the image shows.",
    "input_schema": {
        "type": "object",
        "properties": {"summary": {"type": "string"}},
        "required": ["summary"],
    },
}

checks = 0


def check(name, condition, detail=""):
    global checks
    if not condition:
        print(f"FAILED: {name} {detail}", file=sys.stderr)
        sys.exit(1)
    checks += 1
    print(f"ok  {name}")


def expect_error(name, error_type, call, status):
    try:
        call()
    except error_type as error:
        check(name, True)
        return error
    except Exception as error:  # noqa: BLE001 - any other type is the failure being reported
        check(name, False, f"raised {type(error).__name__}: {error}")
    check(name, False, "raised nothing")


def claude(url, **options):
    return anthropic.Anthropic(
        base_url=url, api_key="sk-stand-in", max_retries=0, _strict_response_validation=True, **options
    )


def image_message(image, media_type="image/jpeg", text="Describe the image."):
    return [
        {
            "role": "user",
            "content": [
                {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": image}},
                {"type": "text", "text": text},
            ],
        }
    ]


def prove_messages(urls, image):
    client = claude(urls["ok"])
    raw = client.messages.with_raw_response.create(
        model="claude-sonnet-5-5",
        max_tokens=1024,
        tools=[TOOL],
        tool_choice={"type": "tool", "name": TOOL["name"]},
        messages=image_message(image),
    )
    check("messages: request-id header", raw.headers.get("request-id", "").startswith("req_"))
    message = raw.parse()
    check("messages: a Message", isinstance(message, anthropic.types.Message) and message.type == "message")
    check("messages: id and role", message.id.startswith("msg_") and message.role == "assistant")
    check("messages: stop_reason tool_use", message.stop_reason == "tool_use", message.stop_reason)
    block = message.content[0]
    check("messages: a tool_use block", block.type == "tool_use" and block.name == TOOL["name"])
    check("messages: tool input has a summary", isinstance(block.input.get("summary"), str))
    check("messages: usage counts the image", message.usage.input_tokens > 10 and message.usage.output_tokens > 0)
    check("messages: _request_id", message._request_id == raw.headers["request-id"])

    text = client.messages.create(model="claude-sonnet-5-5", max_tokens=1024, messages=image_message(image))
    check("messages: plain text answer", text.content[0].type == "text" and text.stop_reason == "end_turn")

    cut = client.messages.create(
        model="claude-sonnet-5-5",
        max_tokens=5,
        tools=[TOOL],
        tool_choice={"type": "tool", "name": TOOL["name"]},
        messages=image_message(image),
    )
    check("messages: stop_reason max_tokens", cut.stop_reason == "max_tokens" and cut.usage.output_tokens == 5)

    error = expect_error(
        "messages: 400 for a media type the API refuses",
        anthropic.BadRequestError,
        lambda: client.messages.create(
            model="claude-sonnet-5-5", max_tokens=64, messages=image_message(image, media_type="image/bmp")
        ),
        400,
    )
    check("messages: 400 body", error.body["error"]["type"] == "invalid_request_error" and error.request_id)
    expect_error(
        "messages: 400 for a corrupt image",
        anthropic.BadRequestError,
        lambda: client.messages.create(
            model="claude-sonnet-5-5", max_tokens=64, messages=image_message(base64.b64encode(b"not an image").decode())
        ),
        400,
    )
    expect_error(
        "messages: 404 for an unknown model",
        anthropic.NotFoundError,
        lambda: client.messages.create(model="gpt-4", max_tokens=64, messages=image_message(image)),
        404,
    )
    keyless = claude(urls["ok"], default_headers={"Authorization": "Basic eA=="})
    expect_error(
        "messages: 401 without a usable key",
        anthropic.AuthenticationError,
        lambda: keyless.messages.create(model="claude-sonnet-5-5", max_tokens=64, messages=image_message(image)),
        401,
    )
    for status, error_type, kind in [
        (429, anthropic.RateLimitError, "rate_limit_error"),
        (500, anthropic.InternalServerError, "api_error"),
        (529, anthropic.OverloadedError, "overloaded_error"),
    ]:
        faulty = claude(urls[status])
        error = expect_error(
            f"messages: {status}",
            error_type,
            lambda: faulty.messages.create(model="claude-sonnet-5-5", max_tokens=64, messages=image_message(image)),
            status,
        )
        check(f"messages: {status} body", error.status_code == status and error.body["error"]["type"] == kind)
        if status == 429:
            check("messages: 429 retry-after", int(error.response.headers["retry-after"]) >= 1)
            check("messages: 429 retry-after-ms", int(error.response.headers["retry-after-ms"]) >= 0)


def prove_embeddings(urls):
    client = voyageai.Client(api_key="pa-stand-in", base_url=urls["ok"] + "/v1", max_retries=0)
    texts = ["a red bicycle against a wall", "night sky over a dark blue sea", "green leaves"]
    result = client.embed(texts, model="voyage-4", input_type="document", output_dimension=256)
    check("embeddings: one vector per text", len(result.embeddings) == 3)
    check("embeddings: output_dimension 256", all(len(vector) == 256 for vector in result.embeddings))
    check("embeddings: total_tokens", result.total_tokens > 0)
    query = client.embed(["red bicycle"], model="voyage-4", input_type="query")
    check("embeddings: query at the default 1024", len(query.embeddings[0]) == 1024)
    expect_error(
        "embeddings: 400 for an output_dimension Voyage lacks",
        voyageai.error.InvalidRequestError,
        lambda: client.embed(texts, model="voyage-4", output_dimension=100),
        400,
    )
    expect_error(
        "embeddings: 400 for an unknown model",
        voyageai.error.InvalidRequestError,
        lambda: client.embed(texts, model="text-embedding-3-small"),
        400,
    )
    for status, error_type in [
        (429, voyageai.error.RateLimitError),
        (500, voyageai.error.ServerError),
        (529, voyageai.error.ServiceUnavailableError),
    ]:
        faulty = voyageai.Client(api_key="pa-stand-in", base_url=urls[status] + "/v1", max_retries=0)
        expect_error(f"embeddings: {status} (as Voyage sends it)", error_type, lambda: faulty.embed(texts, model="voyage-4"), status)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ok", required=True)
    for status in (429, 500, 529):
        parser.add_argument(f"--faults-{status}", required=True)
    parser.add_argument("--image", required=True)
    args = parser.parse_args()
    urls = {"ok": args.ok, 429: args.faults_429, 500: args.faults_500, 529: args.faults_529}
    with open(args.image, "rb") as file:
        image = base64.b64encode(file.read()).decode()
    prove_messages(urls, image)
    prove_embeddings(urls)
    print(f"{checks} checks passed with anthropic {anthropic.__version__} and voyageai {voyageai.__version__}")


if __name__ == "__main__":
    main()
