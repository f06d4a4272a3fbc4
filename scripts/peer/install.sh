#!/usr/bin/env bash
# Installs the PyTorch peers' interpreter for `npm run bench:speed`: PyPI's torch in a venv under
# ~/.cache/task-relations/torch-venv (never in the repo). Debian's python3-torch 1.13 also runs the peers, but
# measured 5-8x slower than PyPI's build on the same machine, which would flatter every ratio against it.
# PyPI's Linux wheel pulls the CUDA runtime libraries (about 5 GB) even on CPU-only machines: torch will not import
# without them.
set -euo pipefail
venv="${TRA_PEER_VENV:-$HOME/.cache/task-relations/torch-venv}"
if "$venv/bin/python" -c 'import torch, numpy' 2>/dev/null; then
  echo "peer python ready: $venv/bin/python (torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)'))"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check torch numpy
echo "peer python ready: $venv/bin/python (torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)'))"
