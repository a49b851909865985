from .fixtures import family, frozen_today, other_family, parent_client, staff_client  # noqa: F401
