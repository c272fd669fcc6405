"""Portability models."""

from connective.portability.models.jobs import ExportJob, ImportJob, JobState, UnresolvedContact

__all__ = ["ExportJob", "ImportJob", "JobState", "UnresolvedContact"]
