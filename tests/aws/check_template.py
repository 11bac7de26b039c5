#!/usr/bin/env python3
"""Offline checks of scripts/aws/luna.yaml.

  check_template.py TEMPLATE --spec specification.json   resource spec
  check_template.py TEMPLATE --api                        AWS API models
  check_template.py TEMPLATE --wiring                     alarms, dashboard

--spec checks every resource type, property name, required property and
value type against AWS's published CloudFormation resource specification
(npm package @aws-cdk/cfnspec). --api turns the task definition, service,
metric filters, alarms, dashboard, log group and subscriptions into the
inputs of the API calls CloudFormation makes, and validates them with
botocore's parameter validator against the service models. --wiring checks
that each alarm and dashboard metric is one a metric filter produces.
Each check runs for the defaults and for every optional part switched on.
Prints one line per problem and exits 1 when there is any.
"""

import argparse
import json
import re
import sys

import cfn

# Parameter sets: the defaults, and every condition switched on.
PARAMETER_SETS = [
    {},
    {"AlarmEmail": "ops@example.org",
     "AlarmHttpsEndpoint": "https://events.example.org/integration/x",
     "ControlToken": "s3cret-token", "ControlCidr": "203.0.113.7/32",
     "LogFormat": "emf", "AssignPublicIp": "DISABLED"},
]

problems = []


def problem(where, what):
    problems.append("%s: %s" % (where, what))


# --- the resource specification ---------------------------------------

def spec_type_ok(value, primitive):
    if primitive in ("String",):
        return isinstance(value, (str, int, float)) and \
            not isinstance(value, bool)
    if primitive in ("Integer", "Long"):
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or \
            (isinstance(value, str) and re.fullmatch(r"-?\d+", value))
    if primitive == "Double":
        if isinstance(value, bool):
            return False
        if isinstance(value, (int, float)):
            return True
        try:
            float(value)
            return True
        except (TypeError, ValueError):
            return False
    if primitive == "Boolean":
        return isinstance(value, bool) or value in ("true", "false")
    if primitive == "Json":
        return isinstance(value, (dict, str))
    if primitive == "Timestamp":
        return isinstance(value, str)
    return False


def check_value(spec, rtype, where, prop, value):
    if "PrimitiveType" in prop:
        if not spec_type_ok(value, prop["PrimitiveType"]):
            problem(where, "expected %s, got %r" % (prop["PrimitiveType"],
                                                    value))
        return
    kind = prop.get("Type")
    if kind in ("List", "Map"):
        if kind == "List" and not isinstance(value, list):
            problem(where, "expected a list, got %r" % (value,))
            return
        if kind == "Map" and not isinstance(value, dict):
            problem(where, "expected a map, got %r" % (value,))
            return
        items = value if kind == "List" else list(value.values())
        for i, item in enumerate(items):
            sub = "%s[%s]" % (where, i)
            if "PrimitiveItemType" in prop:
                check_value(spec, rtype, sub, {
                    "PrimitiveType": prop["PrimitiveItemType"]}, item)
            else:
                check_object(spec, rtype, sub, prop["ItemType"], item)
        return
    check_object(spec, rtype, where, kind, value)


def check_object(spec, rtype, where, type_name, value):
    if type_name == "Tag":
        key = "Tag"
    else:
        key = rtype + "." + type_name
    ptype = spec["PropertyTypes"].get(key)
    if ptype is None:
        problem(where, "unknown property type '%s'" % key)
        return
    if not isinstance(value, dict):
        problem(where, "expected %s object, got %r" % (type_name, value))
        return
    check_properties(spec, rtype, where, ptype.get("Properties", {}), value)


def check_properties(spec, rtype, where, props, values):
    for name, value in values.items():
        if name not in props:
            problem(where, "unknown property '%s'" % name)
            continue
        check_value(spec, rtype, where + "." + name, props[name], value)
    for name, prop in props.items():
        if prop.get("Required") and name not in values:
            problem(where, "required property '%s' missing" % name)


def walk_getatts(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::GetAtt":
                found.append(tuple(value))
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                for ref in re.findall(r"\$\{([^}!]+)\}", text):
                    if "." in ref and not ref.startswith("AWS::"):
                        found.append(tuple(ref.split(".", 1)))
            walk_getatts(value, found)
    elif isinstance(node, list):
        for value in node:
            walk_getatts(value, found)


def check_spec(template, spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    resources = template["Resources"]
    for overrides in PARAMETER_SETS:
        resolver = cfn.Resolver(template, overrides)
        for name, rtype, props in resolver.resources():
            rspec = spec["ResourceTypes"].get(rtype)
            if rspec is None:
                problem(name, "unknown resource type '%s'" % rtype)
                continue
            check_properties(spec, rtype, name, rspec["Properties"], props)
    getatts = []
    walk_getatts(template, getatts)
    for rname, attr in getatts:
        rtype = resources.get(rname, {}).get("Type")
        attrs = spec["ResourceTypes"].get(rtype, {}).get("Attributes", {})
        if attr not in attrs:
            problem("GetAtt %s.%s" % (rname, attr),
                    "not an attribute of %s" % rtype)


# --- the AWS API models ------------------------------------------------

def lower_camel(node, keep=("Options", "DockerLabels")):
    """CloudFormation's ECS property names as the ECS API spells them."""
    if isinstance(node, list):
        return [lower_camel(v, keep) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        api = key[0].lower() + key[1:]
        out[api] = value if key in keep else lower_camel(value, keep)
    return out


def api_calls(resolver):
    """(service, operation, params, where) for each resource."""
    for name, rtype, p in resolver.resources():
        if rtype == "AWS::ECS::TaskDefinition":
            yield "ecs", "RegisterTaskDefinition", lower_camel(p), name
        elif rtype == "AWS::ECS::Service":
            params = lower_camel(p)
            yield "ecs", "CreateService", params, name
        elif rtype == "AWS::Logs::LogGroup":
            yield "logs", "CreateLogGroup", {
                "logGroupName": p["LogGroupName"]}, name
            yield "logs", "PutRetentionPolicy", {
                "logGroupName": p["LogGroupName"],
                "retentionInDays": p["RetentionInDays"]}, name
        elif rtype == "AWS::Logs::MetricFilter":
            yield "logs", "PutMetricFilter", metric_filter_input(p), name
        elif rtype == "AWS::CloudWatch::Alarm":
            yield "cloudwatch", "PutMetricAlarm", p, name
        elif rtype == "AWS::CloudWatch::Dashboard":
            yield "cloudwatch", "PutDashboard", p, name
        elif rtype == "AWS::SNS::Subscription":
            yield "sns", "Subscribe", p, name
        elif rtype == "AWS::SNS::Topic":
            yield "sns", "CreateTopic", {
                "Name": cfn.STACK + "-" + name,
                "Attributes": {"DisplayName": p["DisplayName"]}}, name
        elif rtype == "AWS::EC2::SecurityGroupIngress":
            q = dict(p)
            q.pop("Description", None)
            yield "ec2", "AuthorizeSecurityGroupIngress", q, name


def metric_filter_input(p):
    transforms = []
    for t in p["MetricTransformations"]:
        api = {"metricName": t["MetricName"],
               "metricNamespace": t["MetricNamespace"],
               "metricValue": t.get("MetricValue")}
        if "DefaultValue" in t:
            api["defaultValue"] = float(t["DefaultValue"])
        if "Unit" in t:
            api["unit"] = t["Unit"]
        if "Dimensions" in t:
            api["dimensions"] = {d["Key"]: d["Value"]
                                 for d in t["Dimensions"]}
        transforms.append(api)
    return {"logGroupName": p["LogGroupName"],
            "filterName": p["FilterName"],
            "filterPattern": p["FilterPattern"],
            "metricTransformations": transforms}


def coerce(params, shape):
    """CloudFormation passes numbers as they are typed: make them fit."""
    kind = shape.type_name
    if kind == "structure" and isinstance(params, dict):
        return {k: coerce(v, shape.members[k]) if k in shape.members else v
                for k, v in params.items()}
    if kind == "list" and isinstance(params, list):
        return [coerce(v, shape.member) for v in params]
    if kind == "map" and isinstance(params, dict):
        return {k: coerce(v, shape.value) for k, v in params.items()}
    if kind in ("integer", "long") and isinstance(params, str) and \
            re.fullmatch(r"-?\d+", params):
        return int(params)
    if kind == "double" and isinstance(params, (int, str)) and \
            not isinstance(params, bool):
        return float(params)
    if kind == "string" and isinstance(params, (int, float)) and \
            not isinstance(params, bool):
        return str(params)
    return params


def check_enums(params, shape, where):
    """botocore's validator leaves enums alone: check them here."""
    kind = shape.type_name
    if kind == "structure" and isinstance(params, dict):
        for k, v in params.items():
            if k in shape.members:
                check_enums(v, shape.members[k], where + "." + k)
    elif kind == "list" and isinstance(params, list):
        for i, v in enumerate(params):
            check_enums(v, shape.member, "%s[%d]" % (where, i))
    elif kind == "map" and isinstance(params, dict):
        for k, v in params.items():
            check_enums(v, shape.value, where + "." + k)
    elif kind == "string" and shape.enum and params not in shape.enum:
        problem(where, "%r is not one of %s" % (params, shape.enum))


def check_api(template):
    import botocore.session
    from botocore.validate import ParamValidator

    session = botocore.session.get_session()
    validator = ParamValidator()
    seen = set()
    for overrides in PARAMETER_SETS:
        resolver = cfn.Resolver(template, overrides)
        for service, op, params, name in api_calls(resolver):
            shape = session.get_service_model(service) \
                .operation_model(op).input_shape
            params = coerce(params, shape)
            report = validator.validate(params, shape)
            check_enums(params, shape, "%s (%s %s)" % (name, service, op))
            seen.add(op)
            if report.has_errors():
                for line in report.generate_report().splitlines():
                    problem("%s (%s %s)" % (name, service, op), line)
    for op in ("RegisterTaskDefinition", "CreateService", "PutMetricFilter",
               "PutMetricAlarm", "PutDashboard", "Subscribe"):
        if op not in seen:
            problem("template", "nothing checked against %s" % op)


# --- alarms and dashboard read metrics the filters make -----------------

def filter_metrics(resolver):
    made = set()
    for _, rtype, p in resolver.resources():
        if rtype != "AWS::Logs::MetricFilter":
            continue
        for t in p["MetricTransformations"]:
            made.add((t["MetricNamespace"], t["MetricName"]))
    return made


def alarm_metrics(p):
    if "MetricName" in p:
        yield p["Namespace"], p["MetricName"]
    for m in p.get("Metrics", []):
        if "MetricStat" in m:
            metric = m["MetricStat"]["Metric"]
            yield metric["Namespace"], metric["MetricName"]


def dashboard_metrics(body):
    for widget in body["widgets"]:
        for row in widget.get("properties", {}).get("metrics", []):
            names = [v for v in row if isinstance(v, str)]
            if len(names) >= 2:
                yield names[0], names[1]
            for v in row:
                if isinstance(v, dict) and "expression" in v:
                    for name in re.findall(r'MetricName=\\?"(\w+)',
                                           v["expression"]):
                        yield None, name


def check_wiring(template):
    for overrides in PARAMETER_SETS:
        resolver = cfn.Resolver(template, overrides)
        made = filter_metrics(resolver)
        names = {n for _, n in made}
        for name, rtype, p in resolver.resources():
            if rtype == "AWS::CloudWatch::Alarm":
                for metric in alarm_metrics(p):
                    if metric not in made:
                        problem(name, "alarm on %s/%s, which no metric "
                                "filter makes" % metric)
            if rtype == "AWS::CloudWatch::Dashboard":
                try:
                    body = json.loads(p["DashboardBody"])
                except ValueError as e:
                    problem(name, "DashboardBody is not JSON: %s" % e)
                    continue
                for ns, metric in dashboard_metrics(body):
                    if (ns is None and metric not in names) or \
                            (ns is not None and (ns, metric) not in made):
                        problem(name, "dashboard shows %s/%s, which no "
                                "metric filter makes" % (ns, metric))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("template")
    ap.add_argument("--spec", help="the cfnspec specification.json")
    ap.add_argument("--api", action="store_true")
    ap.add_argument("--wiring", action="store_true")
    args = ap.parse_args()
    template = cfn.load(args.template)
    if args.spec:
        check_spec(template, args.spec)
    if args.api:
        check_api(template)
    if args.wiring:
        check_wiring(template)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
