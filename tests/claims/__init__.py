"""Claims: each sentence a page states about what an operation does, and the test that sweeps it (claim.py)."""
