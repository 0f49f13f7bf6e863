"""Suite-wide settings: no test may reach a model hub (CI machines may have a network)."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
