#!/usr/bin/env bash
# Builds the deployable zip for Azure Functions (Flex Consumption, custom handler):
#   host.json                 at the root
#   <FunctionName>/function.json  one folder per function (from functions/bindings/)
#   handler/                  the self-contained linux-x64 handler (executable bit kept)
# Usage: functions/publish.sh [OUT_ZIP]   (default out/functions.zip)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
zip_path="${1:-$root/out/functions.zip}"
case "$zip_path" in /*) ;; *) zip_path="$PWD/$zip_path" ;; esac
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

dotnet publish "$root/functions/BaiQianWan.Assess.Functions.csproj" -c Release -r linux-x64 --self-contained true \
  -p:PublishSingleFile=false -p:DebugType=none -p:GenerateDocumentationFile=false -o "$stage/handler" --nologo -v quiet
cp "$root/host.json" "$stage/host.json"
for dir in "$root"/functions/bindings/*/; do
  name="$(basename "$dir")"
  mkdir -p "$stage/$name"
  cp "$dir/function.json" "$stage/$name/function.json"
done
# Settings files are configuration, not code: app settings come from the Function App's configuration.
rm -f "$stage"/handler/appsettings.Development.json
chmod +x "$stage/handler/BaiQianWan.Assess.Functions"

mkdir -p "$(dirname "$zip_path")"
rm -f "$zip_path"
# Python's zipfile keeps Unix modes (the executable bit) and lets us fix timestamps for a reproducible archive.
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
        mode = os.stat(p).st_mode & 0o777
        info.external_attr = (0o100000 | mode) << 16
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
assert "host.json" in names, "host.json missing at the root"
host = json.loads(z.read("host.json"))
exe = host["customHandler"]["description"]["defaultExecutablePath"]
assert exe in names, f"handler {exe} missing"
assert (z.getinfo(exe).external_attr >> 16) & 0o111, f"{exe} lost its executable bit"
functions = sorted({n.split("/")[0] for n in names if n.count("/") == 1 and n.endswith("/function.json")})
assert functions, "no function folders"
assert not any(n.startswith("handler/") and n.endswith("function.json") for n in names), "function.json inside handler/"
for f in functions:
    json.loads(z.read(f + "/function.json"))
print(f"{len(functions)} functions, handler {exe}", file=sys.stderr)
PY
echo "$zip_path"
