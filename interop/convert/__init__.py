"""Conversion between national formats and the common formats, with nothing lost silently.

Every converter returns, next to its output, a :class:`~interop.convert.loss.LossReport`: each
source item it did not carry over and each target field it could not fill.
"""
