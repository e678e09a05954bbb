"""Provenance: where each fact comes from, through citing chains, and checked quotes."""
