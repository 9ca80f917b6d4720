"""Who may call the API: JWT sessions and their revocation, login with an
atomic lockout, the client address behind trusted proxies, and the rules on
writing persons that every door (REST, admin, imports, manage.py) applies."""
