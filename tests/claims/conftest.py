"""The claim tests import ``claim`` from their own folder, and run torch on one thread: their
tensors are tiny, and on a busy 2-core machine torch's second thread makes each call of a small
operation about a hundred times slower."""

import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
torch.set_num_threads(1)
