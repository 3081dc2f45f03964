#!/usr/bin/env bash
# Installs what executing the notebooks headless needs: Debian's Jupyter (nbconvert, nbclient,
# ipykernel) and the tslab TypeScript kernel from node_modules. Idempotent. When Jupyter cannot
# be installed, it says why and exits 0: the notebook tests then skip and print the reason.
set -uo pipefail
cd "$(dirname "$0")/.."

have_jupyter() {
  command -v jupyter >/dev/null 2>&1 && /usr/bin/python3 -c 'import nbclient, nbconvert, ipykernel' >/dev/null 2>&1
}

if ! have_jupyter; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing Jupyter from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client >/dev/null
  fi
fi
if ! have_jupyter; then
  echo "WARNING: Jupyter is not available; notebook tests will be skipped" >&2
  exit 0
fi
# tslab registers its kernel with the Python that runs Jupyter (Debian's, not a pyenv one).
npx --no-install tslab install --python=/usr/bin/python3 >/dev/null
jupyter kernelspec list
