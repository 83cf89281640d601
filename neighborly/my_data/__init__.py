"""A person's own data across every domain: download it, or delete the account.

Top floor: it imports accounts, help requests, mentoring and resources; no domain imports it."""
