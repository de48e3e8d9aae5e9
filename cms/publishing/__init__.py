"""How content goes live: clinical review publishes, the review forms, headless preview."""
