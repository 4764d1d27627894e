"""The claim tests run torch on one thread: their tensors are tiny, and on a busy 2-core machine
torch's second thread makes each call of a small operation about a hundred times slower. (This
folder is a package, tests/claims, so that its modules and this conftest have names of their own.)"""

import torch

torch.set_num_threads(1)
