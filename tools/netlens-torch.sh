#!/bin/sh
# netlens-torch: the PyTorch exporter (tools/torch2netlens.py) as `cmake --install` puts it on the PATH; its
# Python files live in ../share/netlens/torch beside this script. PyTorch and torchvision come from the Python
# that runs it: $NETLENS_PYTHON, else python3 (Debian's python3-torch belongs to /usr/bin/python3).
here=$(dirname "$(readlink -f "$0")")
# The spec it writes is checked by the netlens installed beside it (unless $NETLENS_BIN names another).
NETLENS_BIN=${NETLENS_BIN:-$here/netlens} NETLENS_TORCH_PROG=netlens-torch exec "${NETLENS_PYTHON:-python3}" "$here/../share/netlens/torch/torch2netlens.py" "$@"
