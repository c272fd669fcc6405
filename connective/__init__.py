"""Connective: a self-hostable, federated platform for personal learning networks."""
