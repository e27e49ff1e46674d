"""scripts/lib/moto_bootstrap.py: IAM bootstrap and checks for the verifying moto server.

Used by scripts/moto (run with .venv/bin/python):
  moto_bootstrap.py bootstrap URL CREDFILE   create the test user, its policy and access key,
                                             write CREDFILE, then run the checks below
  moto_bootstrap.py verify URL CREDFILE      a call signed with the key in CREDFILE works on
                                             S3, EventBridge, SQS, SSM, IAM and STS, and one
                                             signed with a wrong secret is refused (403)
  moto_bootstrap.py calls                    print BOOTSTRAP_CALLS

The server runs with INITIAL_NO_AUTH_ACTION_COUNT=BOOTSTRAP_CALLS: moto accepts that many
actions without checking signatures, then verifies SigV4 (and IAM policies) on every request.
So `bootstrap` makes exactly BOOTSTRAP_CALLS requests before the checks, with no retries,
and must run first on a fresh server. Exit status 1 with a message on stderr on any failure.
"""

import json
import os
import re
import sys

USER = "collections-test"
POLICY_NAME = "collections-test-allow-all"
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
# create_user + put_user_policy + create_access_key; scripts/moto reads it (`calls`) and
# starts the server with INITIAL_NO_AUTH_ACTION_COUNT set to it.
BOOTSTRAP_CALLS = 3
REGION = "us-east-1"
KEY_RE = re.compile(r"^[A-Za-z0-9+/]+$")


def load_boto():
    """Import boto3 (slow, so only when needed) with the caller's AWS setup out of the way."""
    # Profiles, config files, credentials and proxies from the environment must not leak in:
    # a missing AWS_PROFILE alone would make every client creation fail.
    for name in list(os.environ):
        if name.startswith("AWS_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            del os.environ[name]
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    global boto3, Config, BotoCoreError, ClientError, CONFIG
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError
    # One attempt only: a retried bootstrap call would spend the no-auth budget twice.
    CONFIG = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30)


def fail(msg):
    print(f"[moto_bootstrap] error: {msg}", file=sys.stderr)
    sys.exit(1)


def client(service, url, key_id, secret):
    return boto3.client(service, region_name=REGION, endpoint_url=url, config=CONFIG,
                        aws_access_key_id=key_id, aws_secret_access_key=secret)


def describe(err):
    if isinstance(err, ClientError):
        meta = err.response.get("ResponseMetadata", {})
        code = err.response.get("Error", {}).get("Code", "?")
        return f"HTTP {meta.get('HTTPStatusCode', '?')} {code}"
    return f"{type(err).__name__}: {err}"


def read_credentials(path):
    creds = {}
    try:
        with open(path) as f:
            for line in f:
                key, sep, value = line.strip().partition("=")
                if sep:
                    creds[key] = value
    except OSError as err:
        fail(f"cannot read {path}: {err}")
    key_id, secret = creds.get("AWS_ACCESS_KEY_ID", ""), creds.get("AWS_SECRET_ACCESS_KEY", "")
    if not (KEY_RE.match(key_id) and KEY_RE.match(secret)):
        fail(f"{path} does not hold AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    return key_id, secret


def write_credentials(path, key_id, secret):
    if not (KEY_RE.match(key_id) and KEY_RE.match(secret)):
        fail(f"unexpected access key format from moto: {key_id!r}")
    tmp = f"{path}.tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f"AWS_ACCESS_KEY_ID={key_id}\nAWS_SECRET_ACCESS_KEY={secret}\n")
    os.replace(tmp, path)


def bootstrap(url, path):
    # Dummy credentials: these calls fall inside the no-auth budget.
    iam = client("iam", url, "bootstrap", "bootstrap")
    try:
        iam.create_user(UserName=USER)
        iam.put_user_policy(UserName=USER, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(POLICY))
        key = iam.create_access_key(UserName=USER)["AccessKey"]
    except (ClientError, BotoCoreError) as err:
        fail(f"bootstrap of {url} failed ({describe(err)}); was the server fresh? "
             "(scripts/moto reset starts it again)")
    write_credentials(path, key["AccessKeyId"], key["SecretAccessKey"])
    verify(url, path)


def verify(url, path):
    key_id, secret = read_credentials(path)
    # First, a wrong secret must be refused: if not, the server is not verifying signatures
    # (or its no-auth budget is not used up yet; a good call first would hide that).
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    for service, op in [("s3", "list_buckets"), ("sts", "get_caller_identity")]:
        try:
            getattr(client(service, url, key_id, wrong), op)()
        except ClientError as err:
            if err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 403:
                continue
            fail(f"{service}.{op} with a wrong secret: expected HTTP 403, got {describe(err)}")
        except BotoCoreError as err:
            fail(f"{service}.{op} with a wrong secret: {describe(err)}")
        else:
            fail(f"{service}.{op} with a wrong secret succeeded on {url}: "
                 "the server does not verify signatures")
    # Then the key works, and its policy allows what the tests use.
    checks = [
        ("sts", "get_caller_identity"),
        ("s3", "list_buckets"),
        ("events", "list_event_buses"),
        ("sqs", "list_queues"),
        ("ssm", "describe_parameters"),
        ("iam", "get_user"),
    ]
    for service, op in checks:
        try:
            getattr(client(service, url, key_id, secret), op)()
        except (ClientError, BotoCoreError) as err:
            fail(f"{service}.{op} signed with the key in {path} failed on {url}: {describe(err)}")


def main(argv):
    if len(argv) == 2 and argv[1] == "calls":
        print(BOOTSTRAP_CALLS)
        return
    if len(argv) != 4 or argv[1] not in ("bootstrap", "verify"):
        fail("usage: moto_bootstrap.py bootstrap|verify URL CREDFILE  |  moto_bootstrap.py calls")
    load_boto()
    {"bootstrap": bootstrap, "verify": verify}[argv[1]](argv[2], argv[3])


if __name__ == "__main__":
    main(sys.argv)
