#!/usr/bin/env bash
# After a deploy: the API is alive and ready, the SPA is served, and CloudFront refuses a
# video URL that is not signed. Usage: infra/smoke.sh API_URL APP_URL
set -euo pipefail
api="$1" app="$2"
curl -fsS --retry 10 --retry-delay 6 --retry-all-errors "${api}/healthz"
curl -fsS --retry 10 --retry-delay 6 --retry-all-errors "${api}/readyz"
curl -fsS -o /dev/null "${app}/"
status="$(curl -s -o /dev/null -w '%{http_code}' "${app}/videos/smoke-test/original")"
if [ "${status}" != "403" ]; then
  echo "an unsigned video URL answered ${status}, not 403" >&2
  exit 1
fi
echo "smoke test passed"
