#!/usr/bin/env bash
# The office's portal pages under load: the Release app on its own on a demo store, signed in through the portal's
# own form (antiforgery token and cookie read with curl, the demo's one-time password changed as a first sign-in
# requires), then wrk with the session cookie on the run review, the rankings of one class and the audit log.
#
#   bench/portal-wrk.sh [seconds]          # from the repository root; default 10 s a page
#
# Needs: dotnet, curl, wrk. Builds functions/ and cli/ in Release, makes the demo store in $BENCH_DIR (default
# /tmp/bqw-portal-wrk: `cli demo --level county`, 2025Q1–Q3 county runs published) unless it is already there,
# serves it on 127.0.0.1:5082 (PORT to change) and stops the app at the end. Prints p50/p95/p99 and requests/s.
set -euo pipefail

SECONDS_PER_PAGE="${1:-10}"
PORT="${PORT:-5082}"
BENCH_DIR="${BENCH_DIR:-/tmp/bqw-portal-wrk}"
BASE="http://127.0.0.1:$PORT"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$BENCH_DIR/cookies.txt"
NEW_PASSWORD="bench-office-2025"

cd "$ROOT"
mkdir -p "$BENCH_DIR"
dotnet build -c Release functions -v q -nologo >/dev/null
dotnet build -c Release cli -v q -nologo >/dev/null

if [[ ! -f "$BENCH_DIR/out/demo.db" ]]; then
  dotnet cli/bin/Release/net10.0/baiqianwan.dll demo --out "$BENCH_DIR/out" --level county > "$BENCH_DIR/demo.txt"
  rm -f "$BENCH_DIR/office-password"
fi
# The office's password: the one-time one the demo printed, until this script has changed it once.
if [[ -f "$BENCH_DIR/office-password" ]]; then
  PASSWORD="$(cat "$BENCH_DIR/office-password")"
else
  PASSWORD="$(grep -E '登录名 office ' "$BENCH_DIR/demo.txt" | sed -E 's/.*一次性密码 ([^ ]+).*/\1/')"
fi

Store__Kind=sqlite Store__Connection="$BENCH_DIR/out/demo.db" Runs__Dispatch=inprocess Timer__Enabled=false \
  Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet functions/bin/Release/net10.0/BaiQianWan.Assess.Functions.dll --urls "$BASE" > "$BENCH_DIR/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "$BASE/signin" && break
  kill -0 $APP 2>/dev/null || { cat "$BENCH_DIR/app.log"; exit 1; }
  sleep 0.5
done

# The antiforgery token of the form on a page (its cookie goes to the jar).
token() { curl -fs -b "$JAR" -c "$JAR" "$BASE$1" | sed -nE 's/.*name="__af" value="([^"]+)".*/\1/p' | head -1; }

rm -f "$JAR"
status=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$JAR" -c "$JAR" \
  --data-urlencode "__af=$(token /signin)" --data-urlencode "name=office" --data-urlencode "password=$PASSWORD" "$BASE/signin")
case "$status" in
  "302 $BASE/password")
    curl -fs -o /dev/null -b "$JAR" -c "$JAR" --data-urlencode "__af=$(token /password)" \
      --data-urlencode "current=$PASSWORD" --data-urlencode "replacement=$NEW_PASSWORD" "$BASE/password"
    echo "$NEW_PASSWORD" > "$BENCH_DIR/office-password" ;;
  302*) ;;
  *) echo "sign-in failed: $status" >&2; exit 1 ;;
esac
SESSION="$(awk '$6 == "bqw_session" { print $7 }' "$JAR")"
[[ -n "$SESSION" ]] || { echo "no session cookie" >&2; exit 1; }
COOKIE="Cookie: bqw_session=$SESSION"

# The newest published county run, and the first class in its rankings.
RUN="$(curl -fs -H "$COOKIE" "$BASE/office/runs" | grep -oE '/office/runs/run-[0-9]+' | head -1)"
[[ -n "$RUN" ]] || { echo "no run on the runs page" >&2; exit 1; }
CLASS="$(curl -fs -H "$COOKIE" "$BASE/api/periods/2025Q3/rankings?level=county" | grep -oE '"class": ?"[^"]+"' | head -1 | sed -E 's/.*"([^"]+)"$/\1/')"
CLASS_URL="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$CLASS")"

cat > "$BENCH_DIR/latency.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  %.1f requests/s  errors %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

run() {
  local label="$1" path="$2" code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "$COOKIE" "$BASE$path")
  [[ "$code" == 200 ]] || { echo "$label: $path answered $code" >&2; exit 1; }
  printf '%-28s %s\n' "$label" "$path"
  wrk -t2 -c16 -d"${SECONDS_PER_PAGE}s" -s "$BENCH_DIR/latency.lua" -H "$COOKIE" "$BASE$path" | tail -1
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run "run review" "$RUN"
run "rankings of one class" "/api/periods/2025Q3/rankings?level=county&class=$CLASS_URL"
run "audit log" "/office/audit"
run "audit log, filtered" "/office/audit?action=publish"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
