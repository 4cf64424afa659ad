"""Users, passwords, browser sessions and CSRF protection."""
