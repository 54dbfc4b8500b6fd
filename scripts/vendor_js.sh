#!/usr/bin/env bash
# Rebuild src/proplens/web/static/vendor/ from the npm registry: Vega, Vega-Lite, vega-embed and
# vega-interpreter (BSD-3-Clause), and Swagger UI (Apache-2.0) for the API docs page. The interpreter evaluates Vega expressions without eval, so the
# pages keep a strict Content-Security-Policy (no 'unsafe-eval'). Its ES module is turned into a
# classic script that takes vega-util's helpers from the global `vega`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/proplens/web/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
versions=(vega@6.4.0 vega-lite@6.5.0 vega-embed@7.3.0 vega-interpreter@2.3.2 swagger-ui-dist@5.35.0)
(cd "$tmp" && for v in "${versions[@]}"; do npm pack --silent "$v" >/dev/null; done)
mkdir -p "$out"
for tgz in "$tmp"/*.tgz; do
  name=$(basename "$tgz" .tgz); mkdir -p "$tmp/$name"; tar xzf "$tgz" -C "$tmp/$name"
done
cp "$tmp"/vega-6*/package/build/vega.min.js "$out/vega.min.js"
cp "$tmp"/vega-lite-*/package/build/vega-lite.min.js "$out/vega-lite.min.js"
cp "$tmp"/vega-embed-*/package/build/vega-embed.min.js "$out/vega-embed.min.js"
{
  echo "/* vega-interpreter 2.3.2 (BSD-3-Clause), wrapped as a classic script by scripts/vendor_js.sh */"
  echo "(function () {"
  sed -e "s/^import { \(.*\) } from 'vega-util';/const { \1 } = window.vega;/" \
      -e "s/^export { expression as expressionInterpreter };/window.vegaInterpreter = { expressionInterpreter: expression };/" \
      "$tmp"/vega-interpreter-*/package/build/vega-interpreter.js
  echo "})();"
} > "$out/vega-interpreter.js"
cp "$tmp"/vega-6*/package/LICENSE "$out/LICENSE-vega.txt"
# Swagger UI (Apache-2.0) for /docs, served from here instead of a CDN
cp "$tmp"/swagger-ui-dist-*/package/swagger-ui-bundle.js "$out/swagger-ui-bundle.js"
cp "$tmp"/swagger-ui-dist-*/package/swagger-ui.css "$out/swagger-ui.css"
cp "$tmp"/swagger-ui-dist-*/package/LICENSE "$out/LICENSE-swagger-ui.txt"
printf '%s\n' "${versions[@]}" > "$out/VERSIONS.txt"
ls -la "$out"
