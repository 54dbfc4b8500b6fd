"""Analysers: one module each, registered by name with `proplens.registry.analyser`."""
