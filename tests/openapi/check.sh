#!/usr/bin/env bash
# tests/openapi/check.sh BUILD_DIR — checks web/static/openapi.json, the API description the server
# embeds and serves at /api/v1/openapi.json:
#   1. @apidevtools/swagger-parser validates it (OpenAPI 3.1 schema, $refs resolve);
#   2. redocly lint with redocly.yaml (the recommended rules, stricter on operationIds and tags);
#   3. routes-match.mjs: its operations are exactly the routes web/ registers (router.add);
#   4. openapi-typescript generates its types and `tsc --noEmit` checks sample/desk-client.ts, the
#      desk's main calls made with a client typed by them (openapi-fetch);
#   5. validate-responses.mjs checks every exchange of the HTTP test suite (tests/api) against it, and
#      that every operation was exercised.
# Step 5 reads the log test_api writes when HOTLINE_RESPONSE_LOG is set (default
# BUILD_DIR/openapi/responses.jsonl). Under ctest, test_api writes it (its ENVIRONMENT) and this check
# runs after it (fixture openapi_responses, tests/CMakeLists.txt), so the suite runs once. Run by hand,
# test_api is run here when the log is missing or older than the test_api or hotline binary.
# Installs its npm packages with `npm ci` from package-lock.json when they are missing or stale.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
spec=$root/web/static/openapi.json
out=$build/openapi
log=${HOTLINE_RESPONSE_LOG:-$out/responses.jsonl}
# Fewer API exchanges than this means the log is not a whole run of test_api (a full run has ~1,500).
min_exchanges=${OPENAPI_MIN_EXCHANGES:-1000}
mkdir -p "$out"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "openapi check: node and npm are needed (scripts/install-deps installs them)" >&2; exit 1; }
cd "$here"
if [ ! -d node_modules/@redocly/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci (tests/openapi)"
  npm ci --no-audit --no-fund --loglevel=error
fi
bin=$here/node_modules/.bin

echo "== swagger-parser validate"
node --input-type=module -e '
  import SwaggerParser from "@apidevtools/swagger-parser";
  const api = await SwaggerParser.validate(process.argv[1]);
  const n = Object.values(api.paths).reduce((k, item) => k + Object.keys(item).filter((m) => m !== "parameters").length, 0);
  console.log(`valid: OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths, ${n} operations`);
' "$spec"

echo "== redocly lint"
"$bin/redocly" lint --config "$here/redocly.yaml" --format=stylish "$spec" 2>&1 | sed '/[║╔╚]/d; /^ *$/d'

echo "== documented operations = registered routes"
node "$here/routes-match.mjs" "$spec" "$root/web"

echo "== openapi-typescript + tsc --noEmit sample/desk-client.ts"
# Its bundled linter does not read .redocly.lint-ignore.yaml: the two findings accepted there are left out.
"$bin/openapi-typescript" "$spec" --redocly "$here/redocly.yaml" --output "$out/api.d.ts" 2>&1 |
  sed '/^ *$/d; /4XX. response\. at #\/paths\/~1\(healthz\|metrics\)\/get\/responses$/d'
cat > "$out/tsconfig.json" <<EOF
{
  "extends": "$here/tsconfig.json",
  "compilerOptions": { "paths": { "weiquan-openapi": ["./api.d.ts"] } },
  "files": ["$here/sample/desk-client.ts"]
}
EOF
"$bin/tsc" -p "$out/tsconfig.json"
echo "the sample type-checks"

echo "== HTTP test suite responses against the description"
if [ ! -s "$log" ] || [ "$build/tests/test_api" -nt "$log" ] || [ "$build/hotline" -nt "$log" ]; then
  echo "running test_api to write $log"
  (cd "$build" && HOTLINE_BIN="$build/hotline" HOTLINE_RESPONSE_LOG="$log" tests/test_api --report_level=short)
fi
node "$here/validate-responses.mjs" "$spec" "$log" --min "$min_exchanges" --all-operations
