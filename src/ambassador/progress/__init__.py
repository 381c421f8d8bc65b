"""HR completion tracking with the minimum of personal data."""
