"""The Global Services group: CloudFront (static site + videos), ACM, Route53."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from aws_cdk import aws_s3 as s3
from constructs import Construct

from practika_infra.config import EnvConfig
from practika_infra.nag import acknowledge, skip_checkov

# Paths without a file extension are the SPA's routes: serve index.html for them.
SPA_ROUTER = """
function handler(event) {
  var request = event.request;
  if (!request.uri.includes('.')) { request.uri = '/index.html'; }
  return request;
}
"""

CSP = (
    "default-src 'self'; img-src 'self' data: blob: https:; media-src 'self' blob: https:; "
    "connect-src 'self' https:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def fingerprint(public_key_pem: str) -> str:
    """12 hex digits of the SHA-256 of the key's DER form: its name in the template."""
    import hashlib

    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_public_key(Path(public_key_pem).read_bytes())
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:12]


def hosted_zone(scope: Construct, config: EnvConfig) -> route53.IHostedZone:
    assert config.domain and config.hosted_zone_id
    return route53.HostedZone.from_hosted_zone_attributes(
        scope, "Zone", hosted_zone_id=config.hosted_zone_id, zone_name=config.domain
    )


def certificate(scope: Construct, id: str, host: str, zone: route53.IHostedZone) -> acm.Certificate:
    """ACM: `host`'s certificate, validated by DNS in the environment's zone.

    Made at the top of its stack (CloudFront's in the us-east-1 certificate stack, the
    ALB's in the platform stack), where it always was: under a construct it would get a
    new logical id, and CloudFormation would replace the certificate in use.
    """
    return acm.Certificate(
        scope, id, domain_name=host, validation=acm.CertificateValidation.from_dns(zone)
    )


def api_certificate(
    stack: Construct, config: EnvConfig, zone: route53.IHostedZone
) -> acm.Certificate:
    """The ALB's certificate: api.<domain> (ACM → ALB in the diagram)."""
    return certificate(stack, "ApiCertificate", f"api.{config.domain}", zone)


class Cdn(Construct):
    """One distribution, two origins: the SPA bucket and the videos bucket (signed URLs)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EnvConfig,
        static: s3.IBucket,
        videos: s3.IBucket,
        logs: s3.IBucket,
        certificate: acm.ICertificate | None,
    ) -> None:
        super().__init__(scope, id)
        # One PublicKey per key, named by its fingerprint: CloudFormation cannot change a
        # key's EncodedKey in place, so rotating adds the new key next to the old one (the
        # group trusts both while URLs signed with the old one are alive), and a later
        # deploy without the old file removes it. The app signs with the first.
        keys = [
            cloudfront.PublicKey(
                self,
                f"SigningKey{fingerprint(pem)}",
                encoded_key=Path(pem).read_text(),
                comment=f"Practika {config.name}: verifies signed video URLs",
            )
            for pem in config.trusted_public_keys
        ]
        self.public_key = keys[0]
        self.key_group = cloudfront.KeyGroup(self, "SigningKeys", items=keys)
        headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=CSP, override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(365),
                    include_subdomains=True,
                    override=True,
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
            ),
        )
        router = cloudfront.Function(
            self,
            "SpaRouter",
            code=cloudfront.FunctionCode.from_inline(SPA_ROUTER),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"Practika {config.name}",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(static),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                response_headers_policy=headers,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=router, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            additional_behaviors={
                # Video objects are private: only URLs signed with the key group's key open them.
                "videos/*": cloudfront.BehaviorOptions(
                    origin=origins.S3BucketOrigin.with_origin_access_control(videos),
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    trusted_key_groups=[self.key_group],
                    cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
                    response_headers_policy=headers,
                ),
            },
            domain_names=[f"app.{config.domain}"] if certificate else None,
            certificate=certificate,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=logs,
            log_file_prefix="cloudfront/",
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
        )
        acknowledge(
            self.distribution,
            ("AwsSolutions-CFR1", "Coaches and learners are worldwide; no geographic restriction."),
            (
                "AwsSolutions-CFR2",
                "The distribution serves static files and signed video objects only; "
                "the API is behind the ALB's regional WAF.",
            ),
        )
        skip_checkov(
            self.distribution,
            (
                "CKV_AWS_68",
                "Static files and signed video objects only; the API sits behind the ALB's "
                "regional WAF (a CloudFront web ACL would bill for no extra protection).",
            ),
        )
        if certificate is None:
            skip_checkov(
                self.distribution,
                (
                    "CKV_AWS_174",
                    "No domain configured: the default *.cloudfront.net certificate "
                    "cannot pin a minimum TLS version.",
                ),
            )
            acknowledge(
                self.distribution,
                (
                    "AwsSolutions-CFR4",
                    "No domain configured: the default *.cloudfront.net certificate "
                    "cannot pin a minimum TLS version.",
                ),
            )


class Dns(Construct):
    """app.<domain> → CloudFront, api.<domain> → ALB (A and AAAA aliases)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        zone: route53.IHostedZone,
        config: EnvConfig,
        distribution: cloudfront.IDistribution,
        alb: elbv2.IApplicationLoadBalancer,
    ) -> None:
        super().__init__(scope, id)
        cdn = route53.RecordTarget.from_alias(targets.CloudFrontTarget(distribution))
        api = route53.RecordTarget.from_alias(targets.LoadBalancerTarget(alb))
        for name, target in (("app", cdn), ("api", api)):
            route53.ARecord(self, f"{name}A", zone=zone, record_name=name, target=target)
            route53.AaaaRecord(self, f"{name}Aaaa", zone=zone, record_name=name, target=target)
