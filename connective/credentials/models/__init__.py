"""Credentials models."""
