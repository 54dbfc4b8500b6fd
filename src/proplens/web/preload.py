"""Imported once by the web workers' fork server: the models load here, before any
worker is forked, so that a worker that replaces a stopped one is ready at once."""

from proplens.api import analyse

analyse("Warm up.", "en")
analyse("Warm up: the language detector loads on first use.", None)
