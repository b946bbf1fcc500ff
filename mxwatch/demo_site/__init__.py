"""Bundled demo news site: fictional articles with gold annotations, served on 127.0.0.1 for demos and tests."""
