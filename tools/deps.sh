#!/usr/bin/env bash
# tools/deps.sh: installs the Debian packages in tools/deps.list that are
# missing. Runs apt-get update first only when something must be installed.
set -euo pipefail
cd "$(dirname "$0")"
mapfile -t pkgs < <(grep -v '^#' deps.list | grep -v '^$')
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all ${#pkgs[@]} packages present"
    exit 0
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
