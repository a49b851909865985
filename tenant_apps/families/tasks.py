"""Background jobs of the families app (run in the town's schema by the worker middleware)."""

import dramatiq


@dramatiq.actor(max_retries=0, time_limit=60 * 60 * 1000)
def run_invitation_batch(batch_id: int) -> None:
    """Send a bulk invitation (families.services.invitations)."""
    from .services.invitations import invitation_batch_run

    invitation_batch_run(batch_id=batch_id)
