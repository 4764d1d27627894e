"""图解卷积 · Convolution Visualized: the figure engine.

Layers, in one direction: arith (pure integers) → experiments (torch) → scene (plain data)
→ draw (matplotlib) → encode (PNG/GIF); catalog lists every figure, cache keeps them.
This package knows nothing about MkDocs.
"""

__version__ = "0.1.0"
