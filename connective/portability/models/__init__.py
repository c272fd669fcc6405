"""Portability models."""
