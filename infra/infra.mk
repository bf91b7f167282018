# The CDK app's targets (included by the root Makefile).
INFRA_ENVS := dev staging prod
# jsii warns that Node 20 is past end of life on every run; we know, and silence it
# deliberately (docs/operations.md). Node 22+ from the npm registry removes the need.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

# Every environment, offline, into infra/cdk.out/<env> (no AWS account needed).
synth: setup
	@for env in $(INFRA_ENVS); do \
		$(VENV)/bin/practika infra synth --env $$env || exit 1; \
	done
