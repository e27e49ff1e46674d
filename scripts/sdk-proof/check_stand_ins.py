"""Proof that `collections stand-ins` speaks the Claude and Voyage wire formats.

Runs the official Python SDKs (`anthropic` with strict response validation, `voyageai`) against
running stand-ins. For Claude, the SDK's own request shapes must be accepted where the real API
accepts them (`messages.parse` with a pydantic model sends the SDK's transformed JSON schema as
structured outputs; each model's least thinking; a forced tool where the model allows it), every
answer must parse (thinking blocks first, JSON in a text block, usage with thinking tokens, a reply
cut off at max_tokens), and each documented refusal must arrive as the SDK's error type with the
real status. Then embeddings of each input type and dimension, and every error status.

Bedrock: boto3's `bedrock-runtime` `invoke_model` (its own SigV4 signing, the model id with `:`
encoded in the path) must succeed through inference profiles, and a bare id, an unknown model, a
`model` field, a wrong secret and an unknown key must fail with Bedrock's error codes.

Rate limits (rate_limits.py): on a server limited to one request a minute per API, the SDKs raise
their rate-limit errors, with `retry-after` readable from the response.

Usage: check_stand_ins.py --ok URL --faults-429 URL --faults-500 URL --faults-529 URL --image FILE
    --aws-access-key KEY --aws-secret SECRET (the keys the --ok server verifies Bedrock signatures with)
    --rate-limited URL (a server started with --rate-limit claude=1/min,voyage=1/min)
Each --faults-N server answers every model request with that fault. Exits 1 naming the first
check that failed; prints one line per check otherwise.
"""

import argparse
import base64
import json
import sys
import warnings
from typing import Literal

import anthropic
import boto3
import botocore.config
import botocore.exceptions
import pydantic
import voyageai
import voyageai.error
from rate_limits import prove_rate_limits

warnings.filterwarnings("ignore")

TOOL = {
    "name": "record_image_analysis",
    "description": "Record what the image shows.",
    "input_schema": {
        "type": "object",
        "properties": {"summary": {"type": "string"}},
        "required": ["summary"],
        "additionalProperties": False,
    },
}


class Photo(pydantic.BaseModel):
    """The analysis schema's shape, as a user of the SDK would write it."""

    category: Literal[
        "people", "animals", "food", "nature", "landscape", "architecture", "city", "vehicles", "documents",
        "screenshots", "art", "objects", "abstract", "other",
    ]
    summary: str
    description: str
    tags: list[str]
    objects: list[str]
    colors: list[str]
    detected_text: str


checks = 0


def check(name, condition, detail=""):
    global checks
    if not condition:
        print(f"FAILED: {name} {detail}", file=sys.stderr)
        sys.exit(1)
    checks += 1
    print(f"ok  {name}")


def expect_error(name, error_type, call, status, contains=""):
    try:
        call()
    except error_type as error:
        got = getattr(error, "status_code", None) or getattr(error, "http_status", None)
        check(name, got == status, f"status {got}")
        if contains:
            check(f"{name}: message", contains in str(error.body), str(error.body))
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


def prove_structured_outputs(client, image):
    message = client.messages.parse(
        model="claude-haiku-5-5",
        max_tokens=1024,
        thinking={"type": "disabled"},
        output_config={"effort": "low"},
        output_format=Photo,
        messages=image_message(image),
    )
    check("messages: a Message", message.type == "message" and message.id.startswith("msg_"))
    check("messages: Haiku 5.5, thinking disabled: one text block", [b.type for b in message.content] == ["text"])
    check("messages: structured output parsed by the SDK", isinstance(message.parsed_output, Photo))
    check("messages: stop_reason end_turn", message.stop_reason == "end_turn", message.stop_reason)
    check("messages: usage counts the image", message.usage.input_tokens > 100 and message.usage.output_tokens > 0)
    details = message.usage.output_tokens_details
    check("messages: no thinking tokens with thinking off", details is not None and details.thinking_tokens == 0)
    check("messages: request-id header as _request_id", (message._request_id or "").startswith("req_"))

    opus = client.messages.parse(
        model="claude-opus-5-5", max_tokens=4096, output_config={"effort": "low"}, output_format=Photo,
        messages=image_message(image),
    )
    kinds = [block.type for block in opus.content]
    check("messages: Opus 5.5 thinks first", kinds == ["thinking", "text"], str(kinds))
    check("messages: thinking block has a signature", opus.content[0].signature != "")
    check("messages: JSON after the thinking block parsed", isinstance(opus.parsed_output, Photo))
    thought = opus.usage.output_tokens_details.thinking_tokens
    check("messages: thinking tokens within output tokens", 0 < thought <= opus.usage.output_tokens)

    sonnet = client.messages.parse(
        model="claude-sonnet-5-5", max_tokens=1024, thinking={"type": "between_tools"},
        output_config={"effort": "low"}, output_format=Photo, messages=image_message(image),
    )
    check("messages: Sonnet 5.5 between_tools accepted", [b.type for b in sonnet.content] == ["text"])

    cut = client.messages.parse(
        model="claude-haiku-5-5", max_tokens=5, thinking={"type": "disabled"}, output_format=Photo,
        messages=image_message(image),
    )
    check("messages: stop_reason max_tokens", cut.stop_reason == "max_tokens" and cut.usage.output_tokens == 5)


def prove_tools_and_text(client, image):
    forced = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=1024,
        tools=[TOOL],
        tool_choice={"type": "tool", "name": TOOL["name"]},
        messages=image_message(image),
    )
    block = forced.content[0]
    check("messages: forced tool on Haiku 4.5", block.type == "tool_use" and block.name == TOOL["name"])
    check("messages: stop_reason tool_use", forced.stop_reason == "tool_use")
    extended = client.messages.create(
        model="claude-haiku-4-5-20251001",
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        messages=image_message(image),
    )
    check("messages: extended thinking on Haiku 4.5", [b.type for b in extended.content] == ["thinking", "text"])
    text = client.messages.create(
        model="claude-haiku-5-5", max_tokens=1024, thinking={"type": "disabled"}, messages=image_message(image)
    )
    check("messages: plain text answer", text.content[0].type == "text" and text.stop_reason == "end_turn")


def prove_refusals(client, image):
    bad = anthropic.BadRequestError
    forced = {"type": "tool", "name": TOOL["name"]}
    cases = [
        ("forced tool use on Sonnet 5.5", dict(model="claude-sonnet-5-5", tools=[TOOL], tool_choice=forced),
         "are not supported for this model"),
        ("forced tool use on Opus 5.5", dict(model="claude-opus-5-5", tools=[TOOL], tool_choice={"type": "any"}),
         "not supported for this model"),
        ("forced tool use while Haiku 5.5 thinks by default",
         dict(model="claude-haiku-5-5", tools=[TOOL], tool_choice=forced), "Thinking may not be enabled"),
        ("thinking disabled on Opus 5.5", dict(model="claude-opus-5-5", thinking={"type": "disabled"}),
         "thinking.type.disabled"),
        ("thinking disabled on Sonnet 5.5", dict(model="claude-sonnet-5-5", thinking={"type": "disabled"}),
         "between_tools"),
        ("extended thinking on Haiku 5.5",
         dict(model="claude-haiku-5-5", thinking={"type": "enabled", "budget_tokens": 1024}), "thinking.type.enabled"),
        ("thinking disabled at effort max on Haiku 5.5",
         dict(model="claude-haiku-5-5", thinking={"type": "disabled"}, output_config={"effort": "max"}), "effort"),
        ("effort on Haiku 4.5", dict(model="claude-haiku-4-5", output_config={"effort": "low"}), "effort"),
        ("temperature under 2026-10-21", dict(model="claude-haiku-4-5", extra_body={"temperature": 0.5}),
         "temperature"),
        ("an object without additionalProperties false",
         dict(model="claude-haiku-5-5", thinking={"type": "disabled"}, output_config={"format": {
             "type": "json_schema", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}}),
         "additionalProperties"),
        ("a schema keyword structured outputs refuse",
         dict(model="claude-haiku-5-5", thinking={"type": "disabled"}, output_config={"format": {
             "type": "json_schema", "schema": {"type": "object", "additionalProperties": False,
                                               "properties": {"a": {"type": "string", "maxLength": 5}}}}}),
         "maxLength"),
        ("a media type the API refuses",
         dict(model="claude-haiku-4-5", messages=image_message(image, media_type="image/bmp")), "media_type"),
        ("bytes that are not the media type",
         dict(model="claude-haiku-4-5", messages=image_message(image, media_type="image/png")), "media type"),
        ("a corrupt image", dict(model="claude-haiku-4-5",
                                 messages=image_message(base64.b64encode(b"not an image").decode())), "image"),
    ]
    for name, options, contains in cases:
        options.setdefault("messages", image_message(image))
        expect_error(f"messages: 400 for {name}", bad,
                     lambda: client.messages.create(max_tokens=1024, **options), 400, contains)
    prefill = image_message(image) + [{"role": "assistant", "content": "{"}]
    error = expect_error("messages: 400 for a prefill on Haiku 5.5", bad,
                         lambda: client.messages.create(model="claude-haiku-5-5", max_tokens=64, messages=prefill),
                         400, "prefill")
    check("messages: 400 body", error.body["error"]["type"] == "invalid_request_error" and error.request_id)
    check("messages: a prefill still works on Haiku 4.5",
          client.messages.create(model="claude-haiku-4-5", max_tokens=1024, messages=prefill).type == "message")
    expect_error("messages: 404 for an unknown model", anthropic.NotFoundError,
                 lambda: client.messages.create(model="claude-haiku-9", max_tokens=64, messages=image_message(image)),
                 404, "claude-haiku-9")


def prove_messages(urls, image):
    client = claude(urls["ok"])
    prove_structured_outputs(client, image)
    prove_tools_and_text(client, image)
    prove_refusals(client, image)
    keyless = claude(urls["ok"], default_headers={"Authorization": "Basic eA=="})
    expect_error(
        "messages: 401 without a usable key",
        anthropic.AuthenticationError,
        lambda: keyless.messages.create(model="claude-haiku-5-5", max_tokens=64, messages=image_message(image)),
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
            lambda: faulty.messages.create(model="claude-haiku-5-5", max_tokens=64, messages=image_message(image)),
            status,
        )
        check(f"messages: {status} body", error.body["error"]["type"] == kind)
        if status == 429:
            check("messages: 429 retry-after", int(error.response.headers["retry-after"]) >= 1)
            check("messages: 429 retry-after-ms", int(error.response.headers["retry-after-ms"]) >= 0)


def bedrock(url, key, secret):
    return boto3.client(
        "bedrock-runtime", endpoint_url=url, region_name="us-east-1", aws_access_key_id=key,
        aws_secret_access_key=secret, config=botocore.config.Config(retries={"max_attempts": 1}),
    )


def bedrock_body(image, **fields):
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024, "messages": image_message(image)}
    body.update(fields)
    return json.dumps(body)


def expect_client_error(name, call, code):
    try:
        call()
    except botocore.exceptions.ClientError as error:
        got = error.response["Error"]["Code"]
        check(name, got == code, f"got {got}: {error}")
        return error
    except Exception as error:  # noqa: BLE001 - any other type is the failure being reported
        check(name, False, f"raised {type(error).__name__}: {error}")
    check(name, False, "raised nothing")


def prove_bedrock(url, key, secret, image):
    client = bedrock(url, key, secret)
    schema = {"type": "json_schema", "schema": Photo.model_json_schema() | {"additionalProperties": False}}
    answer = client.invoke_model(
        modelId="us.anthropic.claude-haiku-5-5", contentType="application/json", accept="application/json",
        body=bedrock_body(image, thinking={"type": "disabled"}, output_config={"format": schema, "effort": "low"}),
    )
    message = json.loads(answer["body"].read())
    check("bedrock: invoke_model through a us. profile", message["type"] == "message")
    check("bedrock: structured output in a text block", Photo.model_validate_json(message["content"][0]["text"]))
    check("bedrock: request id header", answer["ResponseMetadata"]["RequestId"] != "")
    colon = client.invoke_model(
        modelId="eu.anthropic.claude-haiku-4-5-20251001-v1:0", body=bedrock_body(image),
        contentType="application/json", accept="application/json",
    )
    check("bedrock: a model id with ':' signed and routed", json.loads(colon["body"].read())["type"] == "message")
    expect_client_error(
        "bedrock: a bare id refused for on-demand throughput",
        lambda: client.invoke_model(modelId="anthropic.claude-haiku-5-5", body=bedrock_body(image)),
        "ValidationException",
    )
    expect_client_error(
        "bedrock: an unknown model",
        lambda: client.invoke_model(modelId="us.anthropic.claude-haiku-9", body=bedrock_body(image)),
        "ValidationException",
    )
    expect_client_error(
        "bedrock: the Claude API's model field refused",
        lambda: client.invoke_model(
            modelId="us.anthropic.claude-haiku-5-5", body=bedrock_body(image, model="claude-haiku-5-5")),
        "ValidationException",
    )
    expect_client_error(
        "bedrock: forced tool use on Sonnet 5.5, as on the Claude API",
        lambda: client.invoke_model(
            modelId="global.anthropic.claude-sonnet-5-5",
            body=bedrock_body(image, tools=[TOOL], tool_choice={"type": "tool", "name": TOOL["name"]})),
        "ValidationException",
    )
    expect_client_error(
        "bedrock: a wrong secret",
        lambda: bedrock(url, key, secret + "x").invoke_model(
            modelId="us.anthropic.claude-haiku-5-5", body=bedrock_body(image)),
        "InvalidSignatureException",
    )
    expect_client_error(
        "bedrock: an unknown access key",
        lambda: bedrock(url, "AKIAUNKNOWN0000000000", secret).invoke_model(
            modelId="us.anthropic.claude-haiku-5-5", body=bedrock_body(image)),
        "UnrecognizedClientException",
    )


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
        sent = 503 if status == 529 else status  # Voyage has no 529: the stand-in sends 503 instead
        expect_error(f"embeddings: {status} (as Voyage sends it)", error_type, lambda: faulty.embed(texts, model="voyage-4"), sent)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ok", required=True)
    for status in (429, 500, 529):
        parser.add_argument(f"--faults-{status}", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--aws-access-key", required=True)
    parser.add_argument("--aws-secret", required=True)
    parser.add_argument("--rate-limited", required=True)
    args = parser.parse_args()
    urls = {"ok": args.ok, 429: args.faults_429, 500: args.faults_500, 529: args.faults_529}
    with open(args.image, "rb") as file:
        image = base64.b64encode(file.read()).decode()
    prove_messages(urls, image)
    prove_bedrock(args.ok, args.aws_access_key, args.aws_secret, image)
    prove_embeddings(urls)
    prove_rate_limits(args.rate_limited, image, check, expect_error, claude, image_message)
    print(
        f"{checks} checks passed with anthropic {anthropic.__version__}, boto3 {boto3.__version__} "
        f"and voyageai {voyageai.__version__}"
    )


if __name__ == "__main__":
    main()
