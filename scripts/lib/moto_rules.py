"""scripts/lib/moto_rules.py: CloudFormation's parameter rules, which moto does not check.

Run as the moto server (scripts/moto does: `.venv/bin/python scripts/lib/moto_rules.py -H HOST -p PORT`,
the arguments of `moto_server`), or import it before moto serves a request: importing patches
moto's CloudFormation backend so that CreateStack, UpdateStack and CreateChangeSet refuse, with
CloudFormation's `ValidationError`, parameter values the template does not allow. moto 5.2 accepts
them all (`Architecture=sparc`, `MaxReceiveCount=1`).

The rules, from "Parameters" in the CloudFormation User Guide
(docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html, read
2026-12-04) and the messages CloudFormation answers with:
- a parameter with neither a value nor a Default: `Parameters: [A, B] must have values`;
- a parameter the template does not declare: `Parameters: [X] do not exist in the template`;
- AllowedValues (String and Number): `Parameter 'X' must be one of AllowedValues`;
- AllowedPattern (String, the whole value must match): `Parameter 'X' must match pattern P`;
- MinLength / MaxLength (String, characters): `Parameter 'X' must contain at least N characters`,
  `Parameter 'X' must contain at most N characters`;
- MinValue / MaxValue (Number): `Parameter 'X' must be a number not less than N`,
  `Parameter 'X' must be a number not greater than N`; a Number that is not a number:
  `Parameter 'X' must be a number`;
- when the template gives a ConstraintDescription, it replaces the rule's text:
  `Parameter 'X' failed to satisfy constraint: <ConstraintDescription>`.
The docs give the ConstraintDescription example ("Malformed input-Parameter MyParameter must match
pattern [A-Za-z0-9]+" without one, the description with one); the API answers the wording above.
Checked in the order CloudFormation reports them: missing values first, then each parameter.
A TemplateBody over 51,200 bytes is refused too ("a maximum length of 51,200 bytes", TemplateBody in
API_CreateStack.html, read 2026-12-04; the quotas page has the same figure): such a template must
come from S3 (TemplateURL), which moto would otherwise let slip.

Two moto 5.2 faults in change sets are also mended, where CloudFormation's behaviour is plain:
- a stack created or updated by ExecuteChangeSet gets the template's Outputs and the change set's
  parameters (moto keeps neither, so DescribeStacks shows no outputs and the next change set is
  compared with stale values);
- `UsePreviousValue` on a CommaDelimitedList or Number parameter passes moto's already-parsed value
  (a list, a number) back in, and executing the change set crashes (`'list' object has no attribute
  'split'`): such values are given back as CloudFormation stores them, text;
- a parameter left at its Default when the stack was made counts, for moto, as changed by an
  update that passes the same value (UsePreviousValue), so every resource using one is "modified"
  and the update fails; an update now compares with the values the stack resolved;
- a change set lists the resources a changed parameter modifies (moto lists only template edits,
  so a new archive key showed no change at all).

moto's signature check rebuilds a form-encoded body from its parsed fields with `+` for a space,
so a request from a client that percent-encodes spaces as `%20`, as SigV4 prescribes and botocore
and our clients do, is refused (`SignatureDoesNotMatch`) when any value holds a space. A request
whose signature fails moto's rebuilding is checked once more against the body rebuilt as those
clients encode it (RFC 3986 unreserved characters kept, everything else `%XX`, fields in order).

And EventBridge passes a PutEvents entry's TraceHeader on to its targets
(docs.aws.amazon.com/eventbridge/latest/userguide/eb-related-service-xray.html, read 2026-12-04):
an SQS target's message gets it as its AWSTraceHeader system attribute, so the local stack can
follow a photo's three invocations as one trace. moto drops it.
"""

import json
import re
import sys
import threading

import yaml
from moto.cloudformation import models, parsing
from moto.events import models as events_models
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.utils import yaml_tag_constructor


def _template(body):
    """The template as a dict (YAML with CloudFormation's tags, or JSON); {} if unreadable."""
    if isinstance(body, dict):
        return body
    yaml.add_multi_constructor("", yaml_tag_constructor)
    try:
        parsed = yaml.load(body or "{}", Loader=yaml.Loader)
    except yaml.YAMLError:
        try:
            parsed = json.loads(body)
        except ValueError:
            return {}
    return parsed if isinstance(parsed, dict) else {}


def _number(text):
    try:
        return float(str(text).strip())
    except ValueError:
        return None


def _violation(name, slot, value):
    """The rule `value` breaks, as CloudFormation words it; None if it breaks none."""
    kind = str(slot.get("Type", "String"))
    value = "" if value is None else str(value)
    problem = None
    allowed = slot.get("AllowedValues")
    if kind == "Number" or kind.startswith("List<Number>"):
        number = _number(value)
        if number is None:
            problem = "must be a number"
        elif allowed is not None and number not in [_number(v) for v in allowed]:
            problem = "must be one of AllowedValues"
        elif "MinValue" in slot and number < float(slot["MinValue"]):
            problem = f"must be a number not less than {slot['MinValue']}"
        elif "MaxValue" in slot and number > float(slot["MaxValue"]):
            problem = f"must be a number not greater than {slot['MaxValue']}"
    elif kind == "String":
        if allowed is not None and value not in [str(v) for v in allowed]:
            problem = "must be one of AllowedValues"
        elif "AllowedPattern" in slot and re.fullmatch(str(slot["AllowedPattern"]), value) is None:
            problem = f"must match pattern {slot['AllowedPattern']}"
        elif "MinLength" in slot and len(value) < int(slot["MinLength"]):
            problem = f"must contain at least {slot['MinLength']} characters"
        elif "MaxLength" in slot and len(value) > int(slot["MaxLength"]):
            problem = f"must contain at most {slot['MaxLength']} characters"
    if problem is None:
        return None
    if slot.get("ConstraintDescription"):
        return f"Parameter '{name}' failed to satisfy constraint: {slot['ConstraintDescription']}"
    return f"Parameter '{name}' {problem}"


def check(template, parameters):
    """Raises moto's ValidationError when `parameters` (name to value) break the template's rules."""
    slots = _template(template).get("Parameters") or {}
    unknown = [name for name in parameters if name not in slots]
    if unknown:
        raise ValidationError(message=f"Parameters: [{', '.join(unknown)}] do not exist in the template")
    missing = [name for name, slot in slots.items() if name not in parameters and "Default" not in slot]
    if missing:
        raise ValidationError(message=f"Parameters: [{', '.join(missing)}] must have values")
    for name, slot in slots.items():
        if not isinstance(slot, dict):
            continue
        value = parameters.get(name, slot.get("Default"))
        message = _violation(name, slot, value)
        if message:
            raise ValidationError(message=message)


def _as_text(value):
    """A parameter value as CloudFormation keeps it: a list joined with commas, a number as text."""
    if isinstance(value, list):
        return ",".join(_as_text(item) for item in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return str(value)


TEMPLATE_BODY_LIMIT = 51_200


def _install_body_limit():
    from moto.cloudformation.responses import CloudFormationResponse

    if getattr(CloudFormationResponse, "_collections_body_limit", False):
        return
    for action in ["create_stack", "update_stack", "create_change_set", "validate_template"]:
        def limited(self, _original=getattr(CloudFormationResponse, action)):
            body = self._get_param("TemplateBody") or ""
            if len(body.encode("utf-8")) > TEMPLATE_BODY_LIMIT:
                raise ValidationError(
                    message="1 validation error detected: Value at 'templateBody' failed to satisfy constraint: "
                    f"Member must have length less than or equal to {TEMPLATE_BODY_LIMIT}")
            return _original(self)
        setattr(CloudFormationResponse, action, limited)
    CloudFormationResponse._collections_body_limit = True


def _install():
    backend = models.CloudFormationBackend
    if getattr(backend, "_collections_rules", False):
        return
    create_stack, update_stack, create_change_set = (
        backend.create_stack,
        backend.update_stack,
        backend.create_change_set,
    )

    def checked_create_stack(self, name, template, parameters, *args, **kwargs):
        check(template, parameters or {})
        return create_stack(self, name, template, parameters, *args, **kwargs)

    def checked_update_stack(self, name, template, role_arn=None, parameters=None, *args, **kwargs):
        # UpdateStack takes the request's list (with UsePreviousValue): resolve it as moto does.
        resolved = self._resolve_update_parameters(instance=self.get_stack(name), incoming_params=parameters or [])
        check(template, resolved)
        return update_stack(self, name, template, role_arn, parameters, *args, **kwargs)

    def checked_create_change_set(self, stack_name, change_set_name, template, parameters, *args, **kwargs):
        parameters = {key: _as_text(value) for key, value in (parameters or {}).items()}
        check(template, parameters)
        return create_change_set(self, stack_name, change_set_name, template, parameters, *args, **kwargs)

    execute_change_set = backend.execute_change_set

    def execute_change_set_with_outputs(self, change_set_name, stack_name=None):
        execute_change_set(self, change_set_name, stack_name)
        change_set = self.describe_change_set(change_set_name)
        stack = self.stacks[change_set.stack_id]
        stack.parameters = dict(change_set.parameters)
        stack._parse_template()
        stack.output_map = stack._create_output_map()

    backend.create_stack = checked_create_stack
    backend.update_stack = checked_update_stack
    backend.create_change_set = checked_create_change_set
    resource_update = parsing.ResourceMap.update

    def update_against_resolved(self, template, parameters=None):
        resolved = {key: _as_text(value) for key, value in self.resolved_parameters.items() if value is not None}
        self.input_parameters = {**resolved, **{key: _as_text(value) for key, value in self.input_parameters.items()}}
        return resource_update(self, template, parameters)

    parsing.ResourceMap.update = update_against_resolved

    def diff_with_parameters(self):
        resources = self.stack.resource_map
        saved = resources.input_parameters
        resolved = {key: _as_text(value) for key, value in resources.resolved_parameters.items() if value is not None}
        resources.input_parameters = {**resolved, **{key: _as_text(value) for key, value in saved.items()}}
        try:
            parameters = {key: _as_text(value) for key, value in (self.parameters or {}).items()}
            names = resources.build_resource_diff(self.template_dict, parameters)
        finally:
            resources.input_parameters = saved
        new = self.template_dict.get("Resources", {})
        old = resources._resource_json_map
        return [
            models.Change(action=action, logical_resource_id=name, resource_type=(new.get(name) or old[name])["Type"])
            for action in ("Add", "Modify", "Remove")
            for name in dict.fromkeys(names[action])
        ]

    models.ChangeSet.diff = diff_with_parameters
    backend.execute_change_set = execute_change_set_with_outputs
    backend._collections_rules = True


def _install_strict_form_signatures():
    from urllib.parse import quote

    from moto.iam import access_control

    request_class = access_control.IAMRequest
    if getattr(request_class, "_collections_strict_forms", False):
        return
    check_signature = request_class.check_signature

    def check_either_encoding(self):
        try:
            return check_signature(self)
        except Exception:
            if self._body or not isinstance(self._data, dict) or not self._data:
                raise
            fields = [(key, value) for key, values in self._data.items()
                      for value in (values if isinstance(values, list) else [values])]
            self._body = "&".join(f"{quote(key, safe='-_.~')}={quote(value, safe='-_.~')}" for key, value in fields)
            try:
                return check_signature(self)
            finally:
                self._body = None

    request_class.check_signature = check_either_encoding
    request_class._collections_strict_forms = True


_trace = threading.local()


def _install_trace_headers():
    backend = events_models.EventsBackend
    if getattr(backend, "_collections_traces", False):
        return
    put_events = backend.put_events

    def put_events_one_by_one(self, events):
        # Each entry on its own, so its TraceHeader is known while it reaches its targets; a
        # request over the limit still fails as moto fails it.
        if len(events) > 10 or not any("TraceHeader" in event for event in events):
            return put_events(self, events)
        results = []
        for event in events:
            _trace.header = event.get("TraceHeader")
            try:
                results += put_events(self, [event])
            finally:
                _trace.header = None
        return results

    from moto.sqs.models import SQSBackend

    send_message = SQSBackend.send_message

    def send_message_with_trace(self, *args, **kwargs):
        # Set only while this thread delivers one PutEvents entry to its targets.
        header = getattr(_trace, "header", None)
        if header and not kwargs.get("system_attributes"):
            kwargs["system_attributes"] = {"AWSTraceHeader": {"StringValue": header, "DataType": "String"}}
        return send_message(self, *args, **kwargs)

    backend.put_events = put_events_one_by_one
    SQSBackend.send_message = send_message_with_trace
    backend._collections_traces = True


_install()
_install_body_limit()
_install_strict_form_signatures()
_install_trace_headers()

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
