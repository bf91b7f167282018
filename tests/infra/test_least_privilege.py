"""Issue 17: each process holds only the credentials its job needs, read from the
synthesized stacks with `aws_cdk.assertions`.

- The services connect to PostgreSQL as `practika_app` (its own secret, rotated by
  alternating users); only the migration task holds the master user's secret.
- The worker reads neither the session secret nor the CloudFront private key; it and the
  api share the mail-link key (the worker signs unsubscribe links, the api checks them).
"""

from __future__ import annotations

from typing import Any

from aws_cdk.assertions import Match, Template
from practika_infra.database import APP_USER, DB_USER, ROTATION_DAYS

from tests.infra.conftest import Synth
from tests.infra.template import policy_roles, props, refs, statements


def _tasks(synth: Synth) -> dict[str, dict[str, Any]]:
    """`serve`, `worker`, `migrate` → the task definition's properties."""
    template = Template.from_json(synth.main)
    found = template.find_resources("AWS::ECS::TaskDefinition")
    tasks = {}
    for task in found.values():
        app = next(c for c in props(task)["ContainerDefinitions"] if c["Name"] == "app")
        tasks[app["Command"][0]] = {
            **props(task),
            "env": {e["Name"]: e["Value"] for e in app["Environment"]},
        }
    assert set(tasks) == {"serve", "worker", "migrate"}
    return tasks


def _only(logical_ids: set[str], prefix: str) -> str:
    [match] = [k for k in logical_ids if k.startswith(prefix)]
    return match


def _secret_readers(synth: Synth) -> dict[str, set[str]]:
    """role logical id → the secrets it may GetSecretValue."""
    readers: dict[str, set[str]] = {}
    for policy, statement in statements(synth.main):
        actions = statement["Action"]
        if "secretsmanager:GetSecretValue" in (actions if isinstance(actions, list) else [actions]):
            for role in policy_roles(synth.main, policy):
                readers.setdefault(role, set()).update(refs(statement["Resource"]))
    return readers


def test_the_app_user_has_its_own_secret_rotated_by_alternating_users(synth: Synth) -> None:
    template = Template.from_json(synth.main)
    attachments = set(template.find_resources("AWS::SecretsManager::SecretTargetAttachment"))
    master = _only(attachments, "DatabasePostgresSecretAttachment")
    app_user = _only(attachments, "DatabaseAppUserSecretAttachment")
    # The app user's secret names its user and the master secret the rotation signs in with.
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {
            "GenerateSecretString": Match.object_like(
                {
                    "GenerateStringKey": "password",
                    "SecretStringTemplate": {
                        "Fn::Join": [
                            "",
                            [f'{{"username":"{APP_USER}","masterarn":"', {"Ref": master}, '"}'],
                        ]
                    },
                }
            )
        },
    )
    assert APP_USER != DB_USER
    # Both secrets rotate on the same schedule; the app user's with the multi-user
    # function, which is given the master secret to set the clone's password.
    for secret in (master, app_user):
        template.has_resource_properties(
            "AWS::SecretsManager::RotationSchedule",
            {
                "SecretId": {"Ref": secret},
                "RotationRules": {"ScheduleExpression": f"rate({ROTATION_DAYS} days)"},
            },
        )
    # The app user's rotation function is AWS's PostgreSQL multi-user application, given
    # the master secret to sign in with.
    mappings = synth.main["Mappings"]
    kinds = {}
    for application in template.find_resources("AWS::Serverless::Application").values():
        mapping = application["Properties"]["Location"]["ApplicationId"]["Fn::FindInMap"][0]
        kind = mappings[mapping]["aws"]["applicationId"].rsplit("/", 1)[1]
        kinds[kind] = application["Properties"]["Parameters"]
    multi = kinds["SecretsManagerRDSPostgreSQLRotationMultiUser"]
    assert multi["masterSecretArn"] == {"Ref": master}
    assert "SecretsManagerRDSPostgreSQLRotationSingleUser" in kinds  # the master's own


def test_the_services_connect_as_the_app_user_and_only_migrations_as_the_owner(
    synth: Synth,
) -> None:
    attachments = set(
        Template.from_json(synth.main).find_resources("AWS::SecretsManager::SecretTargetAttachment")
    )
    master = _only(attachments, "DatabasePostgresSecretAttachment")
    app_user = _only(attachments, "DatabaseAppUserSecretAttachment")
    tasks = _tasks(synth)
    readers = _secret_readers(synth)
    for command in ("serve", "worker"):
        env = tasks[command]["env"]
        assert env["PRACTIKA_DATABASE_SECRET_ARN"] == {"Ref": app_user}, command
        assert "PRACTIKA_DATABASE_APP_SECRET_ARN" not in env, command
        role = next(iter(refs(tasks[command]["TaskRoleArn"])))
        assert app_user in readers[role] and master not in readers[role], command
    migrate = tasks["migrate"]
    assert migrate["env"]["PRACTIKA_DATABASE_SECRET_ARN"] == {"Ref": master}
    assert migrate["env"]["PRACTIKA_DATABASE_APP_SECRET_ARN"] == {"Ref": app_user}
    migrate_role = next(iter(refs(migrate["TaskRoleArn"])))
    assert readers[migrate_role] == {master, app_user}
    # No task role but the migration's may read the master secret.
    holders = {role for role, secrets in readers.items() if master in secrets}
    assert holders == {migrate_role}
    # What `practika infra deploy` reads to know no bootstrap is needed (test_infra_cli.py).
    assert synth.main["Outputs"]["ServicesDatabaseUser"]["Value"] == "app"


def test_the_worker_reads_neither_the_session_secret_nor_the_signing_key(synth: Synth) -> None:
    template = Template.from_json(synth.main)
    secrets = set(template.find_resources("AWS::SecretsManager::Secret"))
    session = _only(secrets, "AppSecretsSessionSecret")
    signing_key = _only(secrets, "AppSecretsCloudFrontPrivateKey")
    mail_links = _only(secrets, "AppSecretsMailLinkSecret")
    tasks = _tasks(synth)
    readers = _secret_readers(synth)
    role = {command: next(iter(refs(task["TaskRoleArn"]))) for command, task in tasks.items()}

    assert {session, signing_key, mail_links} <= readers[role["serve"]]
    assert mail_links in readers[role["worker"]]
    assert not {session, signing_key} & readers[role["worker"]]
    assert not {session, signing_key, mail_links} & readers[role["migrate"]]

    api_env, worker_env = tasks["serve"]["env"], tasks["worker"]["env"]
    assert api_env["PRACTIKA_SESSION_SECRET_ARN"] == {"Ref": session}
    assert api_env["PRACTIKA_MAIL_LINK_SECRET_ARN"] == worker_env["PRACTIKA_MAIL_LINK_SECRET_ARN"]
    for command in ("worker", "migrate"):
        env = tasks[command]["env"]
        assert not any(
            name.startswith(("PRACTIKA_SESSION_", "PRACTIKA_CLOUDFRONT_")) for name in env
        )
