# The CDK app's targets (included by the root Makefile).
INFRA_ENVS := dev staging prod
# `make` runs jsii on the venv's Node 24 (web/web.mk); a bare `pytest` on a machine's Node 20
# would have jsii warn that it is past end of life on every run: silenced (docs/operations.md).
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
# checkov lives in its own environment: its pins would pull the service's back.
CHECKOV := $(TOOLS)/checkov/bin/checkov

.PHONY: checkov infra-scan actionlint

# staging and prod refuse to synthesize without a domain and an alarm address (HTTPS
# only); offline they get example ones. A real deploy passes its own (docs/operations.md).
EXAMPLE_CONTEXT := -c practika:domain=practika.example.com \
	-c practika:hosted_zone_id=Z0123456789ABCDEFGHIJ -c practika:alarm_email=ops@example.com

# Every environment, offline, into infra/cdk.out/<env> (no AWS account needed). staging and
# prod upload the web app, so it is built first.
synth: setup web-build
	$(WITH_NODE) $(VENV)/bin/practika infra synth --env dev
	$(WITH_NODE) $(VENV)/bin/practika infra synth --env staging $(EXAMPLE_CONTEXT)
	$(WITH_NODE) $(VENV)/bin/practika infra synth --env prod $(EXAMPLE_CONTEXT)

$(CHECKOV): infra/checkov/requirements.txt | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(TOOLS)/checkov
	$(UV) pip sync --quiet --python $(TOOLS)/checkov/bin/python $<
	touch $@

checkov: $(CHECKOV)

# tests/infra runs checkov over every environment when it is installed; make test installs it.
test: $(CHECKOV) actionlint

# The GitHub Actions workflows (.github/): actionlint from the locked infra group.
actionlint: setup
	$(VENV)/bin/actionlint

# checkov over what `make synth` wrote; skips carry their reasons in each resource's Metadata.
infra-scan: synth $(CHECKOV)
	$(CHECKOV) --quiet --compact --skip-download --framework cloudformation \
		$(foreach env,$(INFRA_ENVS),-d infra/cdk.out/$(env))
