"""The monthly baseline cost of one environment, per resource, from its synthesized
template and the committed price table (infra/prices/<region>.json): what runs all month
before any media traffic. `practika infra cost --env prod` prints it; docs/operations.md
quotes it.

Minimum task counts are what autoscaling keeps running (its ScalableTarget's MinCapacity);
traffic-driven lines (ALB LCUs beyond the assumed one, NAT and CloudFront bytes, S3,
log ingestion, WAF requests) are not in the baseline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRICES = Path(__file__).resolve().parent.parent / "prices"


@dataclass(frozen=True)
class Line:
    resource: str  # logical id
    item: str
    monthly: float


def prices(region: str) -> dict[str, Any]:
    return json.loads((PRICES / f"{region}.json").read_text())  # type: ignore[no-any-return]


def _props(resource: dict[str, Any]) -> dict[str, Any]:
    return resource.get("Properties", {})  # type: ignore[no-any-return]


def _ref(value: Any) -> str | None:
    if isinstance(value, dict):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            return str(value["Fn::GetAtt"][0])
    return None


def _min_tasks(resources: dict[str, dict[str, Any]], service: str) -> int:
    for target in resources.values():
        if target["Type"] != "AWS::ApplicationAutoScaling::ScalableTarget":
            continue
        resource_id = json.dumps(_props(target).get("ResourceId"))
        if service in resource_id:
            return int(_props(target)["MinCapacity"])
    return 1


def estimate(template: dict[str, Any], price: dict[str, Any]) -> list[Line]:
    hours = price["hours_per_month"]
    resources: dict[str, dict[str, Any]] = template["Resources"]
    lines: list[Line] = []
    for key, resource in resources.items():
        kind, p = resource["Type"], _props(resource)
        if kind == "AWS::EC2::NatGateway":
            lines.append(Line(key, "NAT gateway hours", hours * price["nat_gateway_hour"]))
        elif kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            lcu = price["alb_lcus_assumed"] * price["alb_lcu_hour"]
            lines.append(Line(key, "ALB hours + LCUs", hours * (price["alb_hour"] + lcu)))
        elif kind == "AWS::ECS::Service":
            task = resources[str(_ref(p["TaskDefinition"]))]
            cpu = int(_props(task)["Cpu"]) / 1024
            gib = int(_props(task)["Memory"]) / 1024
            extra_disk = max(0, _props(task).get("EphemeralStorage", {}).get("SizeInGiB", 20) - 20)
            count = _min_tasks(resources, key)
            per_task = (
                cpu * price["fargate_vcpu_hour"]
                + gib * price["fargate_gb_hour"]
                + extra_disk * price["fargate_ephemeral_gb_hour_over_20"]
            )
            what = f"Fargate {count} × ({cpu:g} vCPU, {gib:g} GiB)"
            lines.append(Line(key, what, hours * count * per_task))
        elif kind == "AWS::RDS::DBInstance":
            factor = price["rds_multi_az_factor"] if p.get("MultiAZ") else 1
            instance = price["rds_instance_hour"][p["DBInstanceClass"]] * hours * factor
            storage = int(p["AllocatedStorage"]) * price["rds_gp3_gb_month"] * factor
            multi = ", Multi-AZ" if factor > 1 else ""
            lines.append(Line(key, f"RDS {p['DBInstanceClass']}{multi}", instance))
            lines.append(Line(key, f"RDS {p['AllocatedStorage']} GiB gp3{multi}", storage))
        elif kind == "AWS::EC2::VPCEndpoint" and p.get("VpcEndpointType") == "Interface":
            azs = len(p.get("SubnetIds", []))
            service = json.dumps(p["ServiceName"]).split(".")[-1].strip('"]}')
            item = f"interface endpoint {service} × {azs} AZ"
            lines.append(Line(key, item, hours * azs * price["interface_endpoint_az_hour"]))
        elif kind == "AWS::WAFv2::WebACL":
            rules = len(p.get("Rules", []))
            monthly = price["waf_web_acl_month"] + rules * price["waf_rule_month"]
            lines.append(Line(key, f"WAF web ACL + {rules} rules", monthly))
        elif kind == "AWS::SecretsManager::Secret":
            lines.append(Line(key, "secret", price["secret_month"]))
        elif kind == "AWS::KMS::Key":
            lines.append(Line(key, "KMS key", price["kms_key_month"]))
        elif kind == "AWS::CloudWatch::Alarm":
            lines.append(Line(key, "alarm", price["alarm_month"]))
        elif kind == "AWS::CloudWatch::Dashboard":
            lines.append(Line(key, "dashboard", price["dashboard_month"]))
    return lines
