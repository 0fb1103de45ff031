#!/usr/bin/env bash
# One-command local run: DynamoDB (dynalite) + Intune/Entra sandbox + Quarkus dev mode.
#
#   bash src/local/run.sh [extra arguments for the command]
#
# Environment: DYNALITE_PORT (8701), SANDBOX_PORT (8702), WORK_QUEUE_PORT (8703), DYNALITE_PATH (unset: in memory),
# SANDBOX_LOCK_DELAY_SECONDS (5), RETRY_SWEEP_EVERY_SECONDS (120), LOCAL_RUN_LOG_DIR (target/local-run),
# LOCAL_RUN_CMD (./mvnw quarkus:dev -Dquarkus.analytics.disabled=true). Ctrl+C stops Quarkus and every stand-in.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."

dynalite_port="${DYNALITE_PORT:-8701}"
sandbox_port="${SANDBOX_PORT:-8702}"
queue_port="${WORK_QUEUE_PORT:-8703}"
log_dir="${LOCAL_RUN_LOG_DIR:-target/local-run}"
# No analytics question: its prompt would hold the terminal's input, and Ctrl+C would no longer reach Quarkus.
run_cmd="${LOCAL_RUN_CMD:-./mvnw quarkus:dev -Dquarkus.analytics.disabled=true}"

die() { echo "run.sh: $*" >&2; exit 1; }

command -v node >/dev/null || die "node (>= 20) is required"
if [ ! -d "$here/node_modules" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  echo "run.sh: installing src/local dependencies (npm ci)"
  npm ci --prefix "$here" --silent --no-audit --no-fund || die "npm ci in src/local failed"
fi

mkdir -p "$log_dir"
# The stand-ins read this FIFO as stdin and exit at EOF, i.e. once every holder of fd 9 is gone: this
# shell, then the command exec'd below. So they stop with Quarkus however it ends, even on kill -9.
keepalive_dir="$(mktemp -d)"
mkfifo "$keepalive_dir/fifo"
exec 9<>"$keepalive_dir/fifo"

pids=()
cleanup() {
  rm -rf "$keepalive_dir"
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() { # name, script, arguments
  local name="$1" script="$2"; shift 2
  node "$here/$script" "$@" --exit-on-stdin-eof <"$keepalive_dir/fifo" >"$log_dir/$name.log" 2>&1 9>&- &
  pids+=($!)
}

wait_ready() { # name, pid, ready-line prefix
  local log="$log_dir/$1.log" deadline=$((SECONDS + 15))
  until grep -q "^$3" "$log"; do
    if ! kill -0 "$2" 2>/dev/null; then
      sed 's/^/  /' "$log" >&2
      die "$1 did not start (log above, also in $log)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "$1 not ready after 15 s; see $log"
    sleep 0.1
  done
}

start dynalite dynalite.mjs --port "$dynalite_port" ${DYNALITE_PATH:+--path "$DYNALITE_PATH"}
dynalite_pid=$!
start sandbox sandbox.mjs --port "$sandbox_port" ${DYNALITE_PATH:+--kms-root-key-file "$DYNALITE_PATH.kms-root-key"}
sandbox_pid=$!
# The retry sweep on the schedule template.yaml gives it in AWS (every 2 minutes; RETRY_SWEEP_EVERY_SECONDS).
start schedule retry-schedule.mjs --url "http://127.0.0.1:8080/internal/retry-sweep" \
  --every "${RETRY_SWEEP_EVERY_SECONDS:-120}"
schedule_pid=$!
# The work queue of lock batches: ElasticMQ (SQS protocol) and the event source mapping that feeds the function,
# run from the test classpath (the same classes the tests use).
echo "run.sh: compiling the local work queue (ElasticMQ) from the test classpath"
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$log_dir/queue.classpath" >"$log_dir/queue-build.log" 2>&1 \
  || { sed 's/^/  /' "$log_dir/queue-build.log" >&2; die "building the local work queue failed"; }
java -cp "target/test-classes:target/classes:$(cat "$log_dir/queue.classpath")" dev.intunelock.testing.LocalWorkQueue \
  --port "$queue_port" --invoke "http://127.0.0.1:8080/_lambda_" <"$keepalive_dir/fifo" >"$log_dir/work-queue.log" 2>&1 9>&- &
pids+=($!)
queue_pid=$!
wait_ready dynalite "$dynalite_pid" "dynalite ready "
wait_ready sandbox "$sandbox_pid" "sandbox ready "
wait_ready schedule "$schedule_pid" "retry-schedule ready"
wait_ready work-queue "$queue_pid" "work-queue ready"

export DYNAMODB_ENDPOINT="http://127.0.0.1:$dynalite_port"
export AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local
export LOCKS_TABLE=LocksTable AUDIT_TABLE=AuditTable PIN_KEYS_TABLE=PinKeysTable
# The PIN vault's data keys come from the sandbox's KMS stand-in (a persistent DYNALITE_PATH keeps its root secret
# beside the data, so stored PINs stay readable across runs).
export KMS_ENDPOINT="http://127.0.0.1:$sandbox_port/kms" PIN_KMS_KEY_ID=alias/intune-lock-local-pins
export GRAPH_BASE_URL="http://127.0.0.1:$sandbox_port"
export INTUNE_TENANT_ID=sandbox-tenant
export GRAPH_TOKEN_URL="http://127.0.0.1:$sandbox_port/sandbox-tenant/oauth2/v2.0/token"
export INTUNE_CLIENT_ID=sandbox-client INTUNE_CLIENT_SECRET=sandbox-secret
export MP_JWT_VERIFY_PUBLICKEY_LOCATION="http://127.0.0.1:$sandbox_port/dev/jwks.json"
export MP_JWT_VERIFY_ISSUER=https://sandbox.intune-lock.local/
export MP_JWT_VERIFY_AUDIENCES=intune-lock-local
# The self-service page signs in at the sandbox (authorization code + PKCE) as one of its users.
export SELF_SERVICE_AUTHORITY="http://127.0.0.1:$sandbox_port/sandbox-tenant"
export SELF_SERVICE_CLIENT_ID=sandbox-self-service
export SELF_SERVICE_SCOPE=intune-lock-local/SelfService.Lock
export SQS_ENDPOINT="http://127.0.0.1:$queue_port"
export WORK_QUEUE_URL="$(sed -n 's/^work-queue ready //p' "$log_dir/work-queue.log")"
export HELPDESK_CONTACT="${HELPDESK_CONTACT:-IT helpdesk (sandbox), +1 555 0100, helpdesk@contoso.example}"
# A demo alert webhook source (generic format) so deliveries can be signed with openssl (see README).
export WEBHOOK_SOURCES="${WEBHOOK_SOURCES:-demo}" WEBHOOK_DEMO_FORMAT=generic WEBHOOK_DEMO_SECRETS=demo-secret

cat <<EOF

Local stand-ins are up (logs in $log_dir/):
  DynamoDB (dynalite)   $DYNAMODB_ENDPOINT   tables $LOCKS_TABLE, $AUDIT_TABLE, $PIN_KEYS_TABLE, ${DYNALITE_PATH:-in memory}
  KMS (sandbox)         $KMS_ENDPOINT   key $PIN_KMS_KEY_ID
  Intune/Entra sandbox  $GRAPH_BASE_URL   remoteLock calls: curl $GRAPH_BASE_URL/sandbox/calls
  Work queue (ElasticMQ) $SQS_ENDPOINT   lock batches, fed to the function as Lambda's SQS event source would
  Retry sweep           every ${RETRY_SWEEP_EVERY_SECONDS:-120} s, as scheduled in AWS (log: $log_dir/schedule.log)
API (once Quarkus has started below): http://localhost:8080
Lost-device self-service page: http://localhost:8080/self-service/ (sign in as alice or bob)
Get a caller token:
  TOKEN=\$(curl -s '$GRAPH_BASE_URL/dev/token?user=alice@contoso.example&roles=Lock.Devices,Pins.Read' \\
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  curl -H "Authorization: Bearer \$TOKEN" http://localhost:8080/...
Sandbox devices:
EOF
node -e '
  const { devices } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const d of devices) console.log(`  ${d.id}  ${d.deviceType.padEnd(17)} ${d.deviceName.padEnd(20)} ${d.owner}`);
' "$here/sandbox-devices.json"
echo

trap - EXIT INT TERM
rm -rf "$keepalive_dir" # the open fd 9 keeps the FIFO alive
eval "exec $run_cmd \"\$@\""
