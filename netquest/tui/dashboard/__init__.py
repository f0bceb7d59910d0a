"""The teacher's dashboard: what the class is doing, live, made to be projected."""
