"""The transactional outbox of town jobs (a town-schema app; see `services`)."""
