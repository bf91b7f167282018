"""The Networking group: VPC, public and private subnets, NAT, security groups, ALB."""

from __future__ import annotations

from aws_cdk import Annotations, Duration, RemovalPolicy, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from practika_infra.config import EnvConfig
from practika_infra.nag import LOG_GROUP_KMS, acknowledge, skip_checkov

APP_PORT = 8000
DB_PORT = 5432


class Networking(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EnvConfig,
        log_bucket: s3.IBucket,
        retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, id)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            availability_zones=config.availability_zones,
            nat_gateways=config.nat_gateways,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24
                ),
                ec2.SubnetConfiguration(
                    name="private", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=22
                ),
            ],
            restrict_default_security_group=True,
        )
        self.flow_logs = logs.LogGroup(
            self, "FlowLogs", retention=retention, removal_policy=RemovalPolicy.DESTROY
        )
        skip_checkov(self.flow_logs, LOG_GROUP_KMS)
        self.vpc.add_flow_log(
            "FlowLog", destination=ec2.FlowLogDestination.to_cloud_watch_logs(self.flow_logs)
        )
        # Video bytes between tasks and S3 skip the NAT (and its per-GB charge).
        self.vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3)

        self.endpoint_sg = ec2.SecurityGroup(
            self,
            "EndpointSg",
            vpc=self.vpc,
            description="Interface endpoints: HTTPS from inside the VPC",
            allow_all_outbound=False,
        )
        self.endpoint_sg.add_ingress_rule(
            ec2.Peer.ipv4(self.vpc.vpc_cidr_block), ec2.Port.tcp(443), "from the VPC"
        )
        acknowledge(
            self.endpoint_sg,
            (
                "AwsSolutions-EC23",
                "Ingress is the VPC's own CIDR (a token cdk-nag cannot read), port 443 only.",
            ),
        )
        for name in config.vpc_endpoints:
            self.vpc.add_interface_endpoint(
                "Endpoint" + "".join(part.title() for part in name.split(".")),
                service=ec2.InterfaceVpcEndpointAwsService(name),
                private_dns_enabled=True,
                security_groups=[self.endpoint_sg],
                subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            )

        # Security groups, wired as the diagram's SG arrows say:
        # internet → ALB (80/443), ALB → ECS (app port), ECS → RDS (5432).
        self.alb_sg = ec2.SecurityGroup(
            self,
            "AlbSg",
            vpc=self.vpc,
            description="ALB: HTTPS (and HTTP to redirect) from anywhere",
        )
        self.alb_sg.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS")
        self.alb_sg.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(80), "HTTP (redirected)")
        acknowledge(
            self.alb_sg,
            (
                "AwsSolutions-EC23",
                "The public ALB takes HTTP(S) from anywhere; the WAF filters it.",
            ),
        )
        skip_checkov(
            self.alb_sg,
            (
                "CKV_AWS_260",
                "Port 80 redirects to HTTPS (with a domain) or is the API's only listener "
                "on the ALB's AWS hostname (without one; docs/operations.md).",
            ),
        )
        self.service_sg = ec2.SecurityGroup(
            self, "ServiceSg", vpc=self.vpc, description="ECS tasks: the app port from the ALB only"
        )
        self.service_sg.add_ingress_rule(self.alb_sg, ec2.Port.tcp(APP_PORT), "from the ALB")
        self.db_sg = ec2.SecurityGroup(
            self,
            "DatabaseSg",
            vpc=self.vpc,
            description="RDS: PostgreSQL from the ECS tasks only",
            allow_all_outbound=False,
        )
        self.db_sg.add_ingress_rule(self.service_sg, ec2.Port.tcp(DB_PORT), "from ECS tasks")

        self.alb = elbv2.ApplicationLoadBalancer(
            self,
            "Alb",
            vpc=self.vpc,
            internet_facing=True,
            security_group=self.alb_sg,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            drop_invalid_header_fields=True,
            idle_timeout=Duration.seconds(60),  # the app's keep-alive (75 s) is longer
        )
        self.alb.log_access_logs(log_bucket, prefix="alb")

    def api_listener(
        self, config: EnvConfig, certificate: acm.ICertificate | None
    ) -> elbv2.ApplicationListener:
        """The ALB's listener for the api: HTTPS with the api.<domain> certificate, port 80
        only redirecting; without a domain (dev only, config.check refuses it elsewhere)
        plain HTTP on the ALB's own hostname, for the CLI and smoke tests."""
        if certificate is not None:
            listener = self.alb.add_listener(
                "Https",
                port=443,
                certificates=[certificate],
                ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS,
                open=False,  # the security group already says who may connect
            )
            self.alb.add_redirect(source_port=80, target_port=443)
            return listener
        # A browser app needs the domain (see docs/operations.md).
        Annotations.of(Stack.of(self)).add_warning_v2(
            "practika:no-domain",
            f"{config.name} has no domain: the API is served over plain HTTP on the ALB's "
            "hostname and the browser app cannot sign in. Fine for a dev sandbox only.",
        )
        listener = self.alb.add_listener("Http", port=80, open=False)
        skip_checkov(
            listener,
            *(
                (check, "No domain, no certificate: HTTP on the ALB's AWS hostname only.")
                for check in ("CKV_AWS_2", "CKV_AWS_103")
            ),
        )
        return listener

    @property
    def private_subnets(self) -> ec2.SubnetSelection:
        return ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
