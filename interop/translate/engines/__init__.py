"""Translation engines; each imports its heavy dependencies only when made."""
