"""Courses models."""
