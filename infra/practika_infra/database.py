"""RDS PostgreSQL in the private subnets, credentials generated into Secrets Manager.

Two users, two secrets: the master user owns the schema and is used by the migration
task only; the services connect as `practika_app`, which the migration task creates
with DML on the app's tables and nothing more (src/practika/db_users.py). Each secret
rotates every 30 days: the master's in place (single user), the app user's by
alternating with `practika_app_clone` (multi-user), so running tasks never hold a
password that stopped working mid-rotation.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from constructs import Construct

from practika_infra.config import EnvConfig
from practika_infra.nag import SECRET_CMK, acknowledge, skip_checkov
from practika_infra.networking import DB_PORT, Networking

POSTGRES_VERSION = rds.PostgresEngineVersion.VER_16_13
DB_NAME = "practika"
DB_USER = "practika"  # the master user: owns the schema, runs the migrations
APP_USER = "practika_app"  # the services' user: rows only (db_users.py)
ROTATION_DAYS = 30


class Database(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EnvConfig,
        net: Networking,
        retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, id)
        # The newest 16.x minor this aws-cdk-lib knows (tests/infra checks there is none newer).
        engine = rds.DatabaseInstanceEngine.postgres(version=POSTGRES_VERSION)
        parameters = rds.ParameterGroup(
            self,
            "Parameters",
            engine=engine,
            parameters={"rds.force_ssl": "1", "log_min_duration_statement": "500"},
        )
        self.instance = rds.DatabaseInstance(
            self,
            "Postgres",
            engine=engine,
            instance_type=ec2.InstanceType(config.db_instance_class),
            vpc=net.vpc,
            vpc_subnets=net.private_subnets,
            security_groups=[net.db_sg],
            port=DB_PORT,
            database_name=DB_NAME,
            credentials=rds.Credentials.from_generated_secret(DB_USER),
            parameter_group=parameters,
            storage_encrypted=True,
            publicly_accessible=False,
            multi_az=config.db_multi_az,
            allocated_storage=config.db_allocated_storage_gib,
            max_allocated_storage=config.db_max_storage_gib,
            storage_type=rds.StorageType.GP3,
            backup_retention=Duration.days(config.db_backup_days),
            deletion_protection=config.deletion_protection,
            removal_policy=RemovalPolicy.SNAPSHOT,
            iam_authentication=True,
            auto_minor_version_upgrade=True,
            cloudwatch_logs_exports=["postgresql", "upgrade"],
            cloudwatch_logs_retention=retention,
            monitoring_interval=Duration.seconds(60),
            # Which statements wait on what, per query: the first thing to read in an incident.
            enable_performance_insights=True,
            performance_insight_retention=rds.PerformanceInsightRetention.DEFAULT,
        )
        assert self.instance.secret is not None
        self.secret = self.instance.secret
        skip_checkov(self.instance.node.find_child("Secret"), SECRET_CMK)
        # The master rotates in place; only the migration task uses it, and it re-reads
        # the secret when a password fails.
        self.instance.add_rotation_single_user(
            automatically_after=Duration.days(ROTATION_DAYS), vpc_subnets=net.private_subnets
        )
        # The services' user. The multi-user rotation function signs in as the master
        # (the secret's `masterarn`) to set the clone's password, so the previous
        # credentials still work while tasks pick up the new ones.
        app_secret = rds.DatabaseSecret(
            self, "AppUserSecret", username=APP_USER, master_secret=self.secret
        )
        skip_checkov(app_secret, SECRET_CMK)
        self.app_secret = app_secret.attach(self.instance)
        self.instance.add_rotation_multi_user(
            "AppUserRotation",
            secret=self.app_secret,
            automatically_after=Duration.days(ROTATION_DAYS),
            vpc_subnets=net.private_subnets,
        )
        acknowledge(
            self.instance,
            (
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]",
                "The AWS-managed policy RDS Enhanced Monitoring is designed to use.",
            ),
            (
                "AwsSolutions-RDS11",
                "The default port is reachable only from the ECS tasks' security group.",
            ),
        )
        if not config.db_multi_az:
            acknowledge(
                self.instance, ("AwsSolutions-RDS3", f"{config.name}: single-AZ to save cost.")
            )
            skip_checkov(self.instance, ("CKV_AWS_157", f"{config.name}: single-AZ to save cost."))
        if not config.deletion_protection:
            acknowledge(
                self.instance, ("AwsSolutions-RDS10", f"{config.name}: disposable environment.")
            )
