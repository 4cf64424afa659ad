"""TaskForge Auth: the authentication layer of the TaskForge API."""
