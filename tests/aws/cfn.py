"""Read luna's CloudFormation template offline.

load() parses the YAML with its short intrinsic tags (!Ref, !Sub, ...)
into the long JSON form ({"Ref": ...}, {"Fn::Sub": ...}). resolve()
then evaluates the intrinsics for a given set of parameter values, the
way CloudFormation would, with made-up physical ids for resources, so
the result can be checked against the AWS API models.
"""

import json
import re

import yaml

ACCOUNT = "123456789012"
REGION = "eu-west-1"
STACK = "luna-test"

# Values for parameters without a default, as an operator would pass them.
SAMPLE_PARAMETERS = {
    "Image": ACCOUNT + ".dkr.ecr." + REGION + ".amazonaws.com/luna:0.1.0",
    "Subnets": "subnet-0123456789abcdef0,subnet-0fedcba9876543210",
    "VpcId": "vpc-0123456789abcdef0",
}

TAGS = ["Ref", "Condition"]
FN_TAGS = ["Sub", "GetAtt", "If", "Equals", "Not", "And", "Or", "Join",
           "Select", "Split", "FindInMap", "GetAZs", "ImportValue",
           "Base64", "Cidr"]


class Loader(yaml.SafeLoader):
    """A SafeLoader that knows CloudFormation's short tags."""


def _construct(name):
    def construct(loader, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if name == "Fn::GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name: value}
    return construct


for _tag in TAGS:
    Loader.add_constructor("!" + _tag, _construct(_tag))
for _tag in FN_TAGS:
    Loader.add_constructor("!" + _tag, _construct("Fn::" + _tag))


def load(path):
    """The template at PATH as plain Python data in the long form."""
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def parameter_values(template, overrides=None):
    """Every parameter's value: overrides, samples, then defaults."""
    values = {}
    for name, spec in template.get("Parameters", {}).items():
        if overrides and name in overrides:
            raw = overrides[name]
        elif name in SAMPLE_PARAMETERS:
            raw = SAMPLE_PARAMETERS[name]
        elif "Default" in spec:
            raw = spec["Default"]
        else:
            raise ValueError("parameter '%s' has no value" % name)
        if spec["Type"].startswith("List<") or \
                spec["Type"] == "CommaDelimitedList":
            raw = [v for v in str(raw).split(",") if v]
        elif spec["Type"] == "Number":
            raw = float(raw) if "." in str(raw) else int(raw)
        values[name] = raw
    return values


def physical_id(name, rtype):
    """A believable physical id (what !Ref returns) for a resource."""
    service = rtype.split("::")[1].lower()
    arn = "arn:aws:%s:%s:%s:" % (service, REGION, ACCOUNT)
    ids = {
        "AWS::SNS::Topic": arn + STACK + "-" + name,
        "AWS::SecretsManager::Secret": arn + "secret:" + name + "-AbCdEf",
        "AWS::ECS::TaskDefinition":
            "arn:aws:ecs:%s:%s:task-definition/%s-luna:1" % (
                REGION, ACCOUNT, STACK),
        "AWS::CloudWatch::Alarm": STACK + "-" + name,
        "AWS::EC2::SecurityGroup": "sg-0123456789abcdef0",
    }
    return ids.get(rtype, STACK + "-" + name + "-1A2B3C4D")


def attribute(name, rtype, attr):
    """A believable value of !GetAtt NAME.ATTR."""
    if attr == "GroupId":
        return "sg-0123456789abcdef0"
    if attr == "Name":
        return name.lower()
    return "arn:aws:%s:%s:%s:%s/%s" % (rtype.split("::")[1].lower(),
                                        REGION, ACCOUNT, name.lower(),
                                        attr.lower())


NO_VALUE = object()


class Resolver:
    """Evaluates intrinsic functions for one set of parameter values."""

    def __init__(self, template, overrides=None):
        self.template = template
        self.params = parameter_values(template, overrides)
        self.pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::StackName": STACK,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": NO_VALUE,
        }
        self.conditions = {}
        for cname, cond in template.get("Conditions", {}).items():
            self.conditions[cname] = bool(self.value(cond))

    def ref(self, name):
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.params:
            return self.params[name]
        res = self.template["Resources"].get(name)
        if res is None:
            raise KeyError("!Ref to unknown '%s'" % name)
        return physical_id(name, res["Type"])

    def getatt(self, name, attr):
        res = self.template["Resources"].get(name)
        if res is None:
            raise KeyError("!GetAtt of unknown '%s'" % name)
        return attribute(name, res["Type"], attr)

    def sub(self, arg):
        if isinstance(arg, list):
            text, local = arg[0], {k: self.value(v) for k, v in
                                   arg[1].items()}
        else:
            text, local = arg, {}

        def one(match):
            key = match.group(1)
            if key.startswith("!"):
                return "${" + key[1:] + "}"
            if key in local:
                return str(local[key])
            if "." in key:
                rname, attr = key.split(".", 1)
                return str(self.getatt(rname, attr))
            value = self.ref(key)
            if isinstance(value, list):
                return ",".join(value)
            return str(value)
        return re.sub(r"\$\{([^}]+)\}", one, text)

    def value(self, node):
        """NODE with every intrinsic evaluated; NO_VALUE drops a key."""
        if isinstance(node, list):
            out = [self.value(v) for v in node]
            return [v for v in out if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, arg), = node.items()
            fn = self.function(key)
            if fn is not None:
                return fn(arg)
        out = {k: self.value(v) for k, v in node.items()}
        return {k: v for k, v in out.items() if v is not NO_VALUE}

    def function(self, key):
        table = {
            "Ref": lambda a: self.ref(a),
            "Condition": lambda a: self.conditions[a],
            "Fn::Sub": self.sub,
            "Fn::GetAtt": lambda a: self.getatt(a[0], a[1]),
            "Fn::If": lambda a: self.value(
                a[1] if self.conditions[a[0]] else a[2]),
            "Fn::Equals": lambda a: self.value(a[0]) == self.value(a[1]),
            "Fn::Not": lambda a: not self.value(a[0]),
            "Fn::And": lambda a: all(self.value(v) for v in a),
            "Fn::Or": lambda a: any(self.value(v) for v in a),
            "Fn::Join": lambda a: a[0].join(
                str(v) for v in self.value(a[1])),
        }
        return table.get(key)

    def resources(self):
        """(name, type, resolved properties) of each resource created."""
        for name, res in self.template["Resources"].items():
            cond = res.get("Condition")
            if cond is not None and not self.conditions[cond]:
                continue
            yield name, res["Type"], self.value(res.get("Properties", {}))


def dump(value):
    return json.dumps(value, indent=1, sort_keys=True)
