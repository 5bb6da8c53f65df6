#!/bin/sh
# Rebuilds the fonts the renderer embeds, from Debian's packages:
#   fonts-wqy-microhei  -> wqy-microhei.ttf: face 0 of wqy-microhei.ttc (PDFsharp cannot embed a .ttc)
#   fonts-droid-fallback -> droid-fallback-extra.ttf: Droid Sans Fallback cut down to the characters
#                           WenQuanYi Micro Hei lacks (CJK Extension A, Hangul ...), the fallback face
# Needs python3-fonttools (Debian). Run from anywhere; writes next to this script.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
wqy=${WQY_TTC:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}
droid=${DROID_TTF:-/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf}
PY=${PYTHON:-/usr/bin/python3}
"$PY" - "$wqy" "$droid" "$here" <<'PYEOF'
import sys
from fontTools.ttLib import TTCollection, TTFont
from fontTools import subset
wqy_path, droid_path, out = sys.argv[1:4]
face = TTCollection(wqy_path).fonts[0]
face.save(out + "/wqy-microhei.ttf")
have = set(face.getBestCmap())
droid = TTFont(droid_path)
extra = sorted(c for c in droid.getBestCmap() if c not in have)
opts = subset.Options()
opts.name_IDs = ["*"]
opts.notdef_outline = True
opts.layout_features = []
s = subset.Subsetter(opts)
s.populate(unicodes=extra)
s.subset(droid)
droid.save(out + "/droid-fallback-extra.ttf")
print(f"wqy-microhei.ttf: {len(have)} code points; droid-fallback-extra.ttf: {len(extra)} more")
PYEOF
