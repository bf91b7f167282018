"""Logs, metrics and traces: readable locally, CloudWatch/X-Ray shaped in AWS."""
