"""Proves with boto3 that the moto servers refuse what CloudFormation refuses (scripts/lib/moto_rules.py).

Usage: check_moto_rules.py --url http://127.0.0.1:PORT --template infrastructure/template.yaml [--key ID --secret S] [--lambda]

Each case creates a stack, a change set, or updates a stack with one bad parameter and expects
CloudFormation's ValidationError and message; no stack may be left behind. Then the real template
creates with valid parameters, through CreateStack and through a CREATE change set, which leaves
the stack its outputs; and an UPDATE change set that changes one archive key lists and modifies
that function alone. Prints
"N moto rule checks passed" and exits 0, or prints the failures and exits 1.
"""

import argparse
import sys
import urllib.error
import uuid

import boto3
from botocore.exceptions import ClientError

# A small template with one rule of each kind, with and without a ConstraintDescription.
RULES_TEMPLATE = """
Parameters:
  Choice: {Type: String, Default: a, AllowedValues: [a, b]}
  Count: {Type: Number, Default: 5, MinValue: 5, MaxValue: 100}
  Dims: {Type: Number, Default: 256, AllowedValues: [256, 512]}
  Prefix: {Type: String, Default: x/, AllowedPattern: "^[^/].*/$"}
  Named: {Type: String, Default: ab, MinLength: 2, MaxLength: 4}
  Described: {Type: String, Default: ok, AllowedPattern: "^[a-z]+$", ConstraintDescription: lowercase letters only}
  Required: {Type: String}
Resources:
  Queue:
    Type: AWS::SQS::Queue
"""

CASES = [
    ({"Choice": "c"}, "Parameter 'Choice' must be one of AllowedValues"),
    ({"Count": "1"}, "Parameter 'Count' must be a number not less than 5"),
    ({"Count": "101"}, "Parameter 'Count' must be a number not greater than 100"),
    ({"Count": "many"}, "Parameter 'Count' must be a number"),
    ({"Dims": "300"}, "Parameter 'Dims' must be one of AllowedValues"),
    ({"Prefix": "/x/"}, "Parameter 'Prefix' must match pattern ^[^/].*/$"),
    ({"Named": "a"}, "Parameter 'Named' must contain at least 2 characters"),
    ({"Named": "abcde"}, "Parameter 'Named' must contain at most 4 characters"),
    ({"Described": "UPPER"}, "Parameter 'Described' failed to satisfy constraint: lowercase letters only"),
    ({"Unknown": "1"}, "Parameters: [Unknown] do not exist in the template"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--template", required=True)
    parser.add_argument("--key", default="AKIDOPEN")
    parser.add_argument("--secret", default="open")
    parser.add_argument("--lambda", dest="lambda_checks", action="store_true",
                        help="also read functions back from Lambda (the open server)")
    args = parser.parse_args()
    cfn = boto3.client(
        "cloudformation", endpoint_url=args.url, region_name="us-east-1",
        aws_access_key_id=args.key, aws_secret_access_key=args.secret,
    )
    s3 = boto3.client(
        "s3", endpoint_url=args.url, region_name="us-east-1",
        aws_access_key_id=args.key, aws_secret_access_key=args.secret,
    )
    failures, passed = [], 0

    def expect_refusal(label, call, message):
        nonlocal passed
        try:
            call()
        except ClientError as error:
            code, text = error.response["Error"]["Code"], error.response["Error"]["Message"]
            if code == "ValidationError" and text == message:
                passed += 1
            else:
                failures.append(f"{label}: {code}: {text!r}, expected {message!r}")
            return
        failures.append(f"{label}: accepted, expected ValidationError {message!r}")

    def no_stack(name):
        names = [s["StackName"] for s in cfn.describe_stacks()["Stacks"] if s["StackStatus"] != "DELETE_COMPLETE"]
        return name not in names

    def parameters(values):
        return [{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]

    # Every rule, on CreateStack and on a CREATE change set; no stack left half-made.
    for values, message in CASES:
        given = {"Required": "r", **values}
        name = f"rules-{uuid.uuid4().hex[:8]}"
        expect_refusal(f"CreateStack {values}", lambda: cfn.create_stack(
            StackName=name, TemplateBody=RULES_TEMPLATE, Parameters=parameters(given)), message)
        expect_refusal(f"CreateChangeSet {values}", lambda: cfn.create_change_set(
            StackName=name, ChangeSetName="c1", ChangeSetType="CREATE", TemplateBody=RULES_TEMPLATE,
            Parameters=parameters(given)), message)
        if not no_stack(name):
            failures.append(f"{values}: a stack {name} was left behind")
    # A parameter without a default and without a value.
    name = f"rules-{uuid.uuid4().hex[:8]}"
    expect_refusal("no value", lambda: cfn.create_stack(StackName=name, TemplateBody=RULES_TEMPLATE),
                   "Parameters: [Required] must have values")

    # UPDATE change sets and UpdateStack check the new values too.
    name = f"rules-{uuid.uuid4().hex[:8]}"
    cfn.create_stack(StackName=name, TemplateBody=RULES_TEMPLATE, Parameters=parameters({"Required": "r"}))
    expect_refusal("UPDATE change set", lambda: cfn.create_change_set(
        StackName=name, ChangeSetName="c2", ChangeSetType="UPDATE", TemplateBody=RULES_TEMPLATE,
        Parameters=parameters({"Required": "r", "Count": "1"})),
        "Parameter 'Count' must be a number not less than 5")
    expect_refusal("UpdateStack", lambda: cfn.update_stack(
        StackName=name, TemplateBody=RULES_TEMPLATE, Parameters=parameters({"Required": "r", "Choice": "z"})),
        "Parameter 'Choice' must be one of AllowedValues")
    cfn.delete_stack(StackName=name)

    # A form body with a space percent-encoded (%20), signed as SigV4 clients sign it, passes the
    # signature check; the same body signed with another secret does not.
    def signed_form(secret):
        import urllib.request
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        body = b"Action=DescribeStacks&Version=2010-05-15&StackName=no-such-stack&NextToken=a%20b"
        request = AWSRequest(method="POST", url=args.url + "/", data=body,
                             headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"})
        SigV4Auth(Credentials(args.key, secret), "cloudformation", "us-east-1").add_auth(request)
        try:
            urllib.request.urlopen(urllib.request.Request(args.url + "/", data=body, headers=dict(request.headers)))
            return "answered"
        except urllib.error.HTTPError as error:
            return "SignatureDoesNotMatch" if b"SignatureDoesNotMatch" in error.read() else "answered"
    # On the verifying server only (the open one checks no signature; it is the one --lambda runs on).
    for secret, expected in [] if args.lambda_checks else [
            (args.secret, "answered"), (args.secret + "x", "SignatureDoesNotMatch")]:
        got = signed_form(secret)
        if got == expected:
            passed += 1
        else:
            failures.append(f"a %20 form body signed with {'another' if secret != args.secret else 'the'} secret: {got}")

    # The real template: refused with a bad Architecture, created with valid parameters.
    body = open(args.template, encoding="utf-8").read()
    bucket = f"rules-artifacts-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    empty_zip = bytes([0x50, 0x4B, 0x05, 0x06]) + bytes(18)
    for function in ["ImageProcessor", "Analyzer", "Embedder"]:
        s3.put_object(Bucket=bucket, Key=f"{function}.zip", Body=empty_zip)
    name = f"rules-real-{uuid.uuid4().hex[:8]}"
    valid = {"ArtifactBucket": bucket, "EventBusName": f"{name}-bus",
             "DatabaseUrlParameterName": f"/{name}/database-url"}
    # The template is over TemplateBody's 51,200 bytes: refused inline, read from S3.
    expect_refusal("template inline", lambda: cfn.create_stack(
        StackName=name, TemplateBody=body, Capabilities=["CAPABILITY_IAM"], Parameters=parameters(valid)),
        "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: "
        "Member must have length less than or equal to 51200")
    s3.put_object(Bucket=bucket, Key="template.yaml", Body=body.encode("utf-8"))
    url = f"https://{bucket}.s3.us-east-1.amazonaws.com/template.yaml"
    expect_refusal("template Architecture=sparc", lambda: cfn.create_stack(
        StackName=name, TemplateURL=url, Capabilities=["CAPABILITY_IAM"],
        Parameters=parameters({**valid, "Architecture": "sparc"})),
        "Parameter 'Architecture' must be one of AllowedValues")
    expect_refusal("template MaxReceiveCount=1", lambda: cfn.create_change_set(
        StackName=name, ChangeSetName="c3", ChangeSetType="CREATE", TemplateURL=url,
        Capabilities=["CAPABILITY_IAM"], Parameters=parameters({**valid, "MaxReceiveCount": "1"})),
        "Parameter 'MaxReceiveCount' must be a number not less than 5")
    cfn.create_stack(StackName=name, TemplateURL=url, Capabilities=["CAPABILITY_IAM"],
                     Parameters=parameters(valid))
    status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    if status == "CREATE_COMPLETE":
        passed += 1
    else:
        failures.append(f"the template with valid parameters: {status}")
    cfn.delete_stack(StackName=name)
    name = f"rules-set-{uuid.uuid4().hex[:8]}"
    valid = {**valid, "EventBusName": f"{name}-bus", "DatabaseUrlParameterName": f"/{name}/database-url"}
    cfn.create_change_set(StackName=name, ChangeSetName="c4", ChangeSetType="CREATE", TemplateURL=url,
                          Capabilities=["CAPABILITY_IAM"], Parameters=parameters(valid))
    cfn.execute_change_set(StackName=name, ChangeSetName="c4")
    status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    if status == "CREATE_COMPLETE":
        passed += 1
    else:
        failures.append(f"the template through a change set: {status}")
    # What the mended change sets do as CloudFormation does: outputs; an UPDATE that changes one
    # archive key (every other parameter UsePreviousValue) lists and modifies that function only.
    # The last is read back from Lambda, whose calls moto's signature check refuses even from
    # boto3: on the open server only (--lambda).
    outputs = cfn.describe_stacks(StackName=name)["Stacks"][0].get("Outputs", [])
    if any(output["OutputKey"] == "UploadBucketName" for output in outputs):
        passed += 1
    else:
        failures.append(f"a stack made by a change set has no outputs: {outputs}")
    if not args.lambda_checks:
        cfn.delete_stack(StackName=name)
        report(failures, passed)
    lambdas = boto3.client(
        "lambda", endpoint_url=args.url, region_name="us-east-1",
        aws_access_key_id=args.key, aws_secret_access_key=args.secret,
    )
    def code():
        return {f: lambdas.get_function(FunctionName=f"{name}-{f}")["Configuration"]["CodeSha256"]
                for f in ["image-processor", "analyzer", "embedder"]}
    before = code()
    s3.put_object(Bucket=bucket, Key="Analyzer-2.zip", Body=empty_zip + b"2")
    declared = cfn.get_template_summary(StackName=name)["Parameters"]
    keep = [{"ParameterKey": p["ParameterKey"], "UsePreviousValue": True}
            for p in declared if p["ParameterKey"] != "AnalyzerArtifactKey"]
    cfn.create_change_set(StackName=name, ChangeSetName="c5", ChangeSetType="UPDATE", TemplateURL=url,
                          Capabilities=["CAPABILITY_IAM"],
                          Parameters=keep + [{"ParameterKey": "AnalyzerArtifactKey", "ParameterValue": "Analyzer-2.zip"}])
    changes = [(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"])
               for c in cfn.describe_change_set(StackName=name, ChangeSetName="c5")["Changes"]]
    if changes == [("Modify", "AnalyzerFunction")]:
        passed += 1
    else:
        failures.append(f"a new Analyzer archive key: changes {changes}")
    cfn.execute_change_set(StackName=name, ChangeSetName="c5")
    after = code()
    if [f for f in before if before[f] != after[f]] == ["analyzer"]:
        passed += 1
    else:
        failures.append(f"a new Analyzer archive key changed the code of {[f for f in before if before[f] != after[f]]}")
    cfn.delete_stack(StackName=name)
    report(failures, passed)


def report(failures, passed):
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"{passed} moto rule checks passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
