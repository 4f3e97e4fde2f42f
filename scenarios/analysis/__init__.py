"""Analysis of plans: metrics of a plan and side-by-side comparison of saved scenarios."""
