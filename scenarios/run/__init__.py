"""Running scenarios: load data and rules, solve, re-check, write a run folder; nationwide runs,
assessment and staffing runs."""
