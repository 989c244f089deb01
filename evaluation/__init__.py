"""Measuring how well the assistant understands: held-out accuracy and friends."""
