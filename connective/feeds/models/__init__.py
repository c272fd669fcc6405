"""Feeds models."""
