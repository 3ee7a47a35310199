"""Test code that is not itself a test: servers, databases, browsers, shared data, fixtures."""
