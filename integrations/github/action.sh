#!/usr/bin/env bash
# The GitHub Action's step (action.yml): review one image with the gate, write the SARIF and markdown reports,
# append the markdown to the job summary, and set the step's outputs. Runs the same anywhere with these variables:
#   INPUT_IMAGE or INPUT_ARCHIVE   what to review (an engine or registry reference, or a `docker save` archive)
#   INPUT_CONFIG                   a .dive-ci file (default: searched from the working directory up)
#   INPUT_DOCKERFILE               the Dockerfile the image was built from
#   INPUT_FAIL_ON                  error (default), warn or never
#   INPUT_SARIF, INPUT_MARKDOWN    where to write the reports (default fathom.sarif, fathom.md)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY   set by the runner; FATHOM: the command that runs fathom
set -uo pipefail
target="${INPUT_ARCHIVE:-${INPUT_IMAGE:-}}"
if [ -z "$target" ]; then
  echo "::error title=fathom::set the image or the archive input"
  exit 2
fi
sarif="${INPUT_SARIF:-fathom.sarif}"
markdown="${INPUT_MARKDOWN:-fathom.md}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -z "${FATHOM:-}" ]; then
  # the action's own checkout: build it once (npm ci, npm run build) unless it is built already
  if [ ! -f "$here/dist/cli/fathom.js" ]; then
    (cd "$here" && npm ci --no-audit --no-fund >&2 && npm run build >&2) || { echo "::error title=fathom::could not build fathom"; exit 2; }
  fi
  FATHOM="node $here/dist/cli/fathom.js"
fi
args=("$target" --ci --fail-on "${INPUT_FAIL_ON:-error}" --report "sarif=$sarif" --report "markdown=$markdown")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--ci-config "$INPUT_CONFIG")
[ -n "${INPUT_DOCKERFILE:-}" ] && args+=(--dockerfile "$INPUT_DOCKERFILE")
# shellcheck disable=SC2086 # FATHOM is a command line (node PATH)
$FATHOM "${args[@]}"
code=$?
if [ -f "$markdown" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$markdown" >> "$GITHUB_STEP_SUMMARY"
fi
case "$code" in
  0) result=pass ;;
  1) result=fail ;;
  *) result=error ;;
esac
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "result=$result"
    echo "exit-code=$code"
    [ -f "$sarif" ] && echo "sarif=$sarif"
    [ -f "$markdown" ] && echo "markdown=$markdown"
  } >> "$GITHUB_OUTPUT"
fi
exit "$code"
