"""Practika: movement-training video platform."""
