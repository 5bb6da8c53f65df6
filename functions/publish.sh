#!/usr/bin/env bash
# Builds the zip a Flex Consumption function app deploys (FUNCTIONS_WORKER_RUNTIME=dotnet-isolated):
#   the worker's publish output at the zip's root: host.json, functions.metadata, worker.config.json,
#   extensions.json and .azurefunctions/ (the host-side extensions), the app's assemblies.
# Reproducible: a deterministic Release build, entries in name order with a fixed time and fixed modes,
# so the same sources give the same bytes.
# Usage: functions/publish.sh [OUT_ZIP]   (default out/functions.zip)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
zip_path="${1:-$root/out/functions.zip}"
case "$zip_path" in /*) ;; *) zip_path="$PWD/$zip_path" ;; esac
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

dotnet publish "$root/functions/BaiQianWan.Assess.Functions.csproj" -c Release \
  -p:DebugType=none -p:GenerateDocumentationFile=false -p:ContinuousIntegrationBuild=true \
  -o "$stage" --nologo -v quiet
# Settings files are configuration, not code: app settings come from the function app's configuration.
rm -f "$stage"/appsettings.Development.json

mkdir -p "$(dirname "$zip_path")"
rm -f "$zip_path"
python3 - "$stage" "$zip_path" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
paths = []
for base, dirs, files in os.walk(stage):
    dirs.sort()
    for f in sorted(files):
        paths.append(os.path.join(base, f))
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for p in sorted(paths, key=lambda p: os.path.relpath(p, stage)):
        rel = os.path.relpath(p, stage).replace(os.sep, "/")
        info = zipfile.ZipInfo(rel, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = (0o100644) << 16
        info.create_system = 3
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(p, "rb") as fh:
            z.writestr(info, fh.read())
PY

# Check the layout the Functions host expects before handing the zip over.
python3 - "$zip_path" <<'PY'
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
for required in ("host.json", "functions.metadata", "worker.config.json", "extensions.json"):
    assert required in names, f"{required} missing at the zip's root"
host = json.loads(z.read("host.json"))
assert host.get("version") == "2.0", "host.json version is not 2.0"
assert "customHandler" not in host, "host.json still names a custom handler"
worker = json.loads(z.read("worker.config.json"))["description"]
assert worker["language"] == "dotnet-isolated", f"worker language is {worker['language']}"
assert worker["defaultWorkerPath"] in names, f"worker {worker['defaultWorkerPath']} missing"
for e in json.loads(z.read("extensions.json"))["extensions"]:
    hint = e["hintPath"].removeprefix("./")
    assert hint in names, f"extension {e['name']} missing: {hint}"
functions = json.loads(z.read("functions.metadata"))
triggers = sorted({b["type"] for f in functions for b in f["bindings"] if b["direction"].lower() == "in"})
assert triggers == ["httpTrigger", "queueTrigger", "timerTrigger"], triggers
assert not any(n.endswith("/function.json") or n == "function.json" for n in names), "custom-handler function.json left in the zip"
print(f"{len(functions)} functions ({', '.join(triggers)}), worker {worker['defaultWorkerPath']}", file=sys.stderr)
PY
echo "$zip_path"
