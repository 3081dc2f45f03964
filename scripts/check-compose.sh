#!/usr/bin/env bash
# Validates docker-compose.yml offline (no Docker engine needed): `docker compose config -q`
# when the Compose plugin is there, else `docker-compose config -q`, installing Debian's
# docker-compose package first when it is missing and we are root with apt-get. Every profile
# is enabled, so the optional services are checked too.
#
#   bash scripts/check-compose.sh [compose file]   (default: docker-compose.yml; relative to the repository root)
#
# Exit status: 0 valid, or skipped because no validator could be had (says so); non-zero when
# the file is invalid.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

FILE="${1:-docker-compose.yml}"
say() { echo "check-compose: $*" >&2; }

[[ -f "$FILE" ]] || { say "no such file: $FILE"; exit 1; }

validator=()
find_validator() {
  if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    validator=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1 && docker-compose version >/dev/null 2>&1; then
    validator=(docker-compose)
  fi
}

find_validator
if [[ ${#validator[@]} -eq 0 ]]; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    say "installing Debian's docker-compose package (the validator)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-compose; } >/dev/null 2>&1 \
      || say "apt-get could not install docker-compose"
    find_validator
  fi
fi
if [[ ${#validator[@]} -eq 0 ]]; then
  echo "check-compose: SKIPPED: neither 'docker compose' nor 'docker-compose' is available, and docker-compose could not be installed (needs root and apt-get); $FILE was not validated"
  exit 0
fi

# Profiles named in the file (`profiles: ["a", "b"]`), each passed as --profile.
profile_args=()
while read -r profile; do
  [[ -n "$profile" ]] && profile_args+=(--profile "$profile")
done < <(sed -n 's/^[[:space:]]*profiles:[[:space:]]*\[\(.*\)\].*/\1/p' "$FILE" | tr ',' '\n' | tr -d ' "'\' | sort -u)

say "${validator[*]} -f $FILE ${profile_args[*]} config -q"
# A stable project name: without it, docker-compose v1 derives one from the folder, which fails
# for names it cannot normalise.
if "${validator[@]}" --project-name ksml -f "$FILE" "${profile_args[@]}" config -q; then
  echo "check-compose: $FILE is valid (${validator[*]})"
else
  status=$?
  echo "check-compose: $FILE is INVALID (${validator[*]} config exited $status)" >&2
  exit "$status"
fi
