"""The national view: monthly returns received from many hubs (validation, idempotent import,
flattened measures), national figures, hubs compared and trends."""
