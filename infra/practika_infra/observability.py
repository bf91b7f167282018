"""The Monitoring & Observability group: alarms to SNS, a dashboard, logs to S3 too.

CloudWatch Logs holds the tasks' JSON logs (log groups in `compute/`); the
application's EMF lines become CloudWatch metrics in the `Practika` namespace
(names: src/practika/observability/metrics.py); X-Ray receives traces from the
ADOT sidecars.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_logs_destinations as destinations
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from practika_infra.config import EnvConfig
from practika_infra.nag import LOG_GROUP_KMS, acknowledge, skip_checkov

NAMESPACE = "Practika"
ARCHIVE_PREFIX = "app-logs/"
# The table docs/operations.md gives for Athena (LOCATION: the logs bucket).
ATHENA_TABLE = """CREATE EXTERNAL TABLE practika_app_logs (
  timestamp string, level string, event string, logger string, service string,
  request_id string, trace_id string, user_id string, method string, route string,
  status int, duration_ms double
)
PARTITIONED BY (dt string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')
LOCATION 's3://<logs bucket>/app-logs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2026-01-01,NOW',
  'storage.location.template' = 's3://<logs bucket>/app-logs/dt=${dt}/'
)"""


def app_metric(name: str, statistic: str = "Sum", **dimensions: str) -> cw.Metric:
    return cw.Metric(
        namespace=NAMESPACE,
        metric_name=name,
        dimensions_map=dimensions,
        statistic=statistic,
        period=Duration.minutes(5),
    )


class Observability(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EnvConfig,
        alb: elbv2.ApplicationLoadBalancer,
        target_group: elbv2.ApplicationTargetGroup,
        api: ecs.FargateService,
        worker: ecs.FargateService,
        database: rds.DatabaseInstance,
        log_groups: list[logs.ILogGroup],
        log_bucket: s3.IBucket,
    ) -> None:
        super().__init__(scope, id)
        key = kms.Key(
            self, "TopicKey", enable_key_rotation=True, description="Practika alarm topic"
        )
        self.topic = sns.Topic(self, "Alarms", master_key=key, enforce_ssl=True)
        key.grant_encrypt_decrypt(iam.ServicePrincipal("cloudwatch.amazonaws.com"))
        if config.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        action = cw_actions.SnsAction(self.topic)
        lb = alb.metrics
        tg = target_group.metrics
        self.alarms: dict[str, cw.Alarm] = {}

        def alarm(name: str, metric: cw.Metric, threshold: float, why: str, **kw: object) -> None:
            a = metric.create_alarm(
                self,
                name,
                alarm_description=why,
                threshold=threshold,
                evaluation_periods=kw.pop("periods", 3),  # type: ignore[arg-type]
                datapoints_to_alarm=kw.pop("datapoints", 2),  # type: ignore[arg-type]
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
                **kw,  # type: ignore[arg-type]
            )
            a.add_alarm_action(action)
            a.add_ok_action(action)
            self.alarms[name] = a

        gt = cw.ComparisonOperator.GREATER_THAN_THRESHOLD
        lt = cw.ComparisonOperator.LESS_THAN_THRESHOLD
        # Watched by the api's deployments (below): a release whose tasks pass their health
        # checks but answer 5xx rolls back too, not only one whose tasks fail to start.
        self.deployment_alarms = [
            cw.Alarm(
                self,
                "DeployTarget5xx",
                alarm_description="Deployment guard: the api answers 5xx (rolls a release back)",
                metric=tg.http_code_target(
                    elbv2.HttpCodeTarget.TARGET_5XX_COUNT, period=Duration.minutes(1)
                ),
                threshold=5,
                evaluation_periods=2,
                datapoints_to_alarm=2,
                comparison_operator=gt,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            ),
            cw.Alarm(
                self,
                "DeployAlb5xx",
                alarm_description="Deployment guard: the ALB answers 5xx (rolls a release back)",
                metric=lb.http_code_elb(
                    elbv2.HttpCodeElb.ELB_5XX_COUNT, period=Duration.minutes(1)
                ),
                threshold=5,
                evaluation_periods=2,
                datapoints_to_alarm=2,
                comparison_operator=gt,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            ),
        ]
        for guard in self.deployment_alarms:
            guard.add_alarm_action(action)
        api.enable_deployment_alarms(
            [a.alarm_name for a in self.deployment_alarms],
            behavior=ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
        )
        alarm(
            "Alb5xx",
            lb.http_code_elb(elbv2.HttpCodeElb.ELB_5XX_COUNT, period=Duration.minutes(5)),
            10,
            "The ALB answers 5xx (no healthy target?)",
            comparison_operator=gt,
        )
        alarm(
            "Target5xx",
            tg.http_code_target(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, period=Duration.minutes(5)),
            10,
            "The api answers 5xx",
            comparison_operator=gt,
        )
        alarm(
            "Latency",
            tg.target_response_time(statistic="p99", period=Duration.minutes(5)),
            1.0,
            "p99 response time above 1 s",
            comparison_operator=gt,
        )
        alarm(
            "UnhealthyTargets",
            tg.unhealthy_host_count(period=Duration.minutes(1)),
            0,
            "An api task fails /readyz",
            comparison_operator=gt,
            periods=3,
            datapoints=3,
        )
        for name, service in (("Api", api), ("Worker", worker)):
            alarm(
                f"{name}Cpu",
                service.metric_cpu_utilization(period=Duration.minutes(5)),
                85,
                f"{name} CPU above 85%",
                comparison_operator=gt,
            )
            alarm(
                f"{name}Memory",
                service.metric_memory_utilization(period=Duration.minutes(5)),
                85,
                f"{name} memory above 85%",
                comparison_operator=gt,
            )
        alarm(
            "DatabaseCpu",
            database.metric_cpu_utilization(period=Duration.minutes(5)),
            80,
            "RDS CPU above 80%",
            comparison_operator=gt,
        )
        alarm(
            "DatabaseStorage",
            database.metric_free_storage_space(period=Duration.minutes(5)),
            5 * 1024**3,
            "RDS free storage below 5 GiB",
            comparison_operator=lt,
        )
        alarm(
            "DatabaseConnections",
            database.metric_database_connections(period=Duration.minutes(5)),
            150,
            "RDS connections above 150 (pool sizes × tasks)",
            comparison_operator=gt,
        )
        alarm(
            "VideoJobsFailed",
            app_metric("VideosFailed", Service="worker", Reason="gave_up"),
            0,
            "Videos failed after every retry (our side, not the file)",
            comparison_operator=gt,
            periods=1,
            datapoints=1,
        )
        alarm(
            "VideoBacklog",
            app_metric("JobQueueOldestSeconds", "Maximum", Service="worker"),
            900,
            "A video has waited over 15 min for processing",
            comparison_operator=gt,
        )

        self.dashboard = cw.Dashboard(self, "Dashboard", dashboard_name=f"practika-{config.name}")
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="Requests and 5xx",
                left=[
                    lb.request_count(),
                    tg.http_code_target(elbv2.HttpCodeTarget.TARGET_5XX_COUNT),
                ],
            ),
            cw.GraphWidget(
                title="Latency p50/p99 (s)",
                left=[
                    tg.target_response_time(statistic="p50"),
                    tg.target_response_time(statistic="p99"),
                ],
            ),
            cw.GraphWidget(
                title="ECS CPU %",
                left=[api.metric_cpu_utilization(), worker.metric_cpu_utilization()],
            ),
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="Uploads",
                left=[
                    app_metric("UploadsStarted", Service="api"),
                    app_metric("UploadsCompleted", Service="api"),
                ],
            ),
            cw.GraphWidget(
                title="Processing (ms) and failures",
                left=[app_metric("VideoProcessingTime", "p90", Service="worker", Outcome="ready")],
                right=[
                    app_metric("VideosFailed", Service="worker", Reason="rejected"),
                    app_metric("VideosFailed", Service="worker", Reason="gave_up"),
                ],
            ),
            cw.GraphWidget(
                title="Job queue",
                left=[app_metric("JobQueueDepth", "Maximum", Service="worker")],
                right=[app_metric("JobQueueOldestSeconds", "Maximum", Service="worker")],
            ),
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="RDS",
                left=[database.metric_cpu_utilization()],
                right=[database.metric_database_connections()],
            ),
            cw.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=12),
        )

        # Application logs are also archived in the logs bucket (cheap, queryable by Athena).
        self.archive = firehose.DeliveryStream(
            self,
            "LogArchive",
            destination=firehose.S3Bucket(
                log_bucket,
                # One folder per day: Athena's partition projection reads dt (ATHENA_TABLE).
                data_output_prefix=f"{ARCHIVE_PREFIX}dt=!{{timestamp:yyyy-MM-dd}}/",
                error_output_prefix="app-logs-errors/!{firehose:error-output-type}/"
                "dt=!{timestamp:yyyy-MM-dd}/",
                compression=firehose.Compression.GZIP,
                buffering_interval=Duration.minutes(5),
            ),
            encryption=firehose.StreamEncryption.aws_owned_key(),
        )
        # Subscription filters deliver gzip'd CloudWatch envelopes (batches of events):
        # Firehose unzips them, keeps each event's message (the app's JSON line), one per
        # line, then gzips the file once. Without this the archive was gzip inside gzip,
        # envelopes and all, which Athena cannot read.
        stream = self.archive.node.default_child
        assert isinstance(stream, firehose.CfnDeliveryStream)
        stream.add_property_override(
            "ExtendedS3DestinationConfiguration.ProcessingConfiguration",
            {
                "Enabled": True,
                "Processors": [
                    {
                        "Type": "Decompression",
                        "Parameters": [
                            {"ParameterName": "CompressionFormat", "ParameterValue": "GZIP"}
                        ],
                    },
                    {
                        "Type": "CloudWatchLogProcessing",
                        "Parameters": [
                            {"ParameterName": "DataMessageExtraction", "ParameterValue": "true"}
                        ],
                    },
                    {"Type": "AppendDelimiterToRecord", "Parameters": []},
                ],
            },
        )
        skip_checkov(self.archive.node.find_child("LogGroup"), LOG_GROUP_KMS)
        for n, group in enumerate(log_groups):
            logs.SubscriptionFilter(
                self,
                f"Archive{n}",
                log_group=group,
                destination=destinations.FirehoseDestination(self.archive),
                filter_pattern=logs.FilterPattern.all_events(),
            )
        acknowledge(
            self,
            (
                f"AwsSolutions-IAM5[Resource::<{_logical(log_bucket)}.Arn>/*]",
                "Firehose writes archive objects anywhere under the logs bucket's prefixes.",
            ),
            (
                "AwsSolutions-IAM5[Action::s3:Abort*]",
                "Firehose's CDK grant on the logs bucket (multipart writes of archives).",
            ),
            (
                "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
                "Firehose's CDK grant on the logs bucket (retries replace partial objects).",
            ),
            (
                "AwsSolutions-IAM5[Action::s3:GetObject*]",
                "Firehose's CDK grant on the logs bucket.",
            ),
            (
                "AwsSolutions-IAM5[Action::s3:GetBucket*]",
                "Firehose's CDK grant on the logs bucket.",
            ),
            ("AwsSolutions-IAM5[Action::s3:List*]", "Firehose's CDK grant on the logs bucket."),
        )


def _logical(bucket: s3.IBucket) -> str:
    from aws_cdk import Stack

    return Stack.of(bucket).get_logical_id(bucket.node.default_child)  # type: ignore[arg-type]
