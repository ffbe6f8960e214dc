#!/usr/bin/env bash
# Sends every file in events/ through its function with `osls invoke local`, against the stand-in
# seeded to match them, and checks each documented outcome. Usage: npm run invoke:events
set -uo pipefail
cd "$(dirname "$0")/.."
# The stand-in runs in its own process group on a free port, so no leftover from an earlier run
# (npx's children outlive a plain kill) can answer in its place.
log=$(mktemp)
setsid npx tsx test/stand-in/main.ts --seed-demo --port 0 >"$log" 2>&1 &
group=$!
trap 'kill -- -$group 2>/dev/null; rm -f "$log"' EXIT
url=
for _ in $(seq 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)
  [ -n "$url" ] && break
  sleep 0.2
done
[ -n "$url" ] || { cat "$log"; echo "the stand-in did not start"; echo "0 passed, 1 failed"; exit 1; }
export AWS_ENDPOINT_URL=$url AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
  AWS_SECRET_ACCESS_KEY=local AWS_EC2_METADATA_DISABLED=true AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true \
  NOTIFICATION_TOPIC_ARN= FOLLOW_UP_FUNCTION_ARN= HOLD_CHECK_SCHEDULER_ROLE_ARN= SLS_TELEMETRY_DISABLED=1 \
  RUNBOOK_TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:credential-responder-prod-runbook \
  FINDINGS_TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:credential-responder-prod-findings \
  MEMBER_ROLE_NAME=credential-responder-member ALLOWED_ACCOUNT_IDS=210987654321

# function  event file  expected outcome
cases="onFinding guardduty-akia-iam-user contained
onFinding guardduty-asia-assumed-role contained
onFinding guardduty-asia-role-session contained
contain console-contain-key contained
onRunbook sns-runbook-contain contained
onFinding securityhub-akia-iam-user contained
onFinding health-exposed-key contained
onRunbook sns-guardduty-finding contained
contain console-contain-dry-run planned
onFinding guardduty-root-credentials escalated
onFinding guardduty-protected-role escalated
contain console-release-key released
contain console-release-role released
onFinding guardduty-member-account-key contained
onFinding guardduty-member-root-key escalated
contain console-delete-root-key escalated
onFinding guardduty-attack-sequence contained
onFinding guardduty-attack-sequence-signals contained
onFinding guardduty-attack-sequence-no-key escalated
onFinding securityhub-ocsf-guardduty contained
onFinding guardduty-s3-finding skipped
followUp follow-up-sweep clean
followUp follow-up-hold-check held"

passed=0
failed=0
while read -r fn event expected; do
  outcome=$(npx osls invoke local -f "$fn" -p "events/$event.json" 2>/dev/null | grep -o '"outcome": "[a-z]*"' | head -1 | cut -d'"' -f4)
  if [ "$outcome" = "$expected" ]; then
    passed=$((passed + 1))
    echo "ok    $fn events/$event.json: $outcome"
  else
    failed=$((failed + 1))
    echo "FAIL  $fn events/$event.json: expected $expected, got ${outcome:-no report}"
  fi
done <<<"$cases"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
