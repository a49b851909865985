"""Per-town online-payment provider configuration (public schema)."""
